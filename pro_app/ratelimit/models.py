from __future__ import annotations

from sqlalchemy import Float, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class RateLimitCounter(db.Model):
    """One fixed window of one rate limit (limit, route and client address in the key)."""

    __tablename__ = "rate_limit_counter"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    count: Mapped[int] = mapped_column(nullable=False)
    # Seconds since the epoch, as the `limits` package counts time.
    expires_at: Mapped[float] = mapped_column(Float(precision=53), nullable=False, index=True)
