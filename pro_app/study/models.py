from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, false
from sqlalchemy.orm import Mapped, mapped_column

from ..db import utcnow
from ..extensions import db


class Study(db.Model):
    """One row per study; the protocol itself is a file, recorded here by checksum."""

    __tablename__ = "study"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True, nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    protocol_sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    created_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)


class Site(db.Model):
    __tablename__ = "site"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    # The site's investigators get an e-mail (no patient data) when a result needs review.
    review_mail: Mapped[bool] = mapped_column(nullable=False, default=False, server_default=false())

    def __repr__(self) -> str:
        return f"<Site {self.code}>"
