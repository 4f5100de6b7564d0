from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import in_list, utcnow
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


MAIL_STATUSES = ("pending", "sending", "sent", "failed")


class ReviewMail(db.Model):
    """The outbox of review e-mails: one row per investigator and newly flagged result.

    The scheduler writes rows from committed results only (a rolled-back result never mails),
    then sends each row once: claimed (`sending`) in its own commit before the SMTP call.
    `flags` lists the flags announced, so a flag that appears later is announced again.
    """

    __tablename__ = "review_mail"
    __table_args__ = (
        CheckConstraint(in_list("status", MAIL_STATUSES), name="status_known"),
        CheckConstraint("(status = 'sent') = (sent_at IS NOT NULL)", name="sent_dated"),
        UniqueConstraint("administration_id", "staff_user_id", "flags"),  # two schedulers cannot queue it twice
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    administration_id: Mapped[int] = mapped_column(ForeignKey("administration.id"), nullable=False, index=True)
    staff_user_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"), nullable=False)
    flags: Mapped[str] = mapped_column(String(500), nullable=False)  # space-separated scale:rule
    status: Mapped[str] = mapped_column(String(10), nullable=False, default="pending", index=True)
    attempts: Mapped[int] = mapped_column(nullable=False, default=0)
    last_error: Mapped[str | None] = mapped_column(String(200), nullable=True)
    created_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(nullable=True)

    recipient: Mapped["StaffUser"] = relationship()  # noqa: F821
    administration: Mapped["Administration"] = relationship()  # noqa: F821
