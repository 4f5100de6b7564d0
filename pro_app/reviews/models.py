from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import utcnow
from ..extensions import db


class ResultReview(db.Model):
    """One "reviewed" mark on an administration's flagged result; rows are only ever added.

    `flags` lists the flags (`scale:rule`) the reviewer saw. A flag that appears later (a
    re-scoring, a correction) is not among them, so the result needs review again.
    """

    __tablename__ = "result_review"
    id: Mapped[int] = mapped_column(primary_key=True)
    administration_id: Mapped[int] = mapped_column(ForeignKey("administration.id"), nullable=False, index=True)
    flags: Mapped[list] = mapped_column(JSON, nullable=False)
    reviewed_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)
    reviewed_by_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"), nullable=False)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)

    reviewed_by: Mapped["StaffUser"] = relationship()  # noqa: F821
    administration: Mapped["Administration"] = relationship()  # noqa: F821
