from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import in_list, utcnow
from ..extensions import db

MESSAGE_STATUSES = ("pending", "claimed", "sent", "delivered", "undelivered", "failed",
                    "cancelled", "expired", "unknown")
FINAL_MESSAGE_STATUSES = ("delivered", "undelivered", "failed", "cancelled", "expired")


class OutboundMessage(db.Model):
    """The outbox: one row per planned SMS, due time in naive UTC.

    pending → claimed → sent → delivered | undelivered | failed; pending → cancelled | expired;
    claimed past its lease → unknown → reconciled (sent, or pending again).
    """

    __tablename__ = "outbound_message"
    __table_args__ = (
        # One invitation/reminder slot per administration: no double enqueue.
        UniqueConstraint("administration_id", "kind"),
        CheckConstraint(in_list("status", MESSAGE_STATUSES), name="status_known"),
        CheckConstraint("status <> 'claimed' OR (claimed_by IS NOT NULL AND claimed_until IS NOT NULL)",
                        name="claim_has_lease"),
        CheckConstraint("status <> 'cancelled' OR cancel_reason IS NOT NULL", name="cancel_has_reason"),
        CheckConstraint("status NOT IN ('sent', 'delivered', 'undelivered') OR provider_sid IS NOT NULL",
                        name="sent_has_sid"),
        CheckConstraint("attempts >= 0", name="attempts_not_negative"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), nullable=False, index=True)
    administration_id: Mapped[int | None] = mapped_column(ForeignKey("administration.id"), nullable=True)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    status: Mapped[str] = mapped_column(String(12), nullable=False, default="pending", index=True)
    due_at: Mapped[datetime] = mapped_column(nullable=False, index=True)
    not_after: Mapped[datetime] = mapped_column(nullable=False)
    body: Mapped[str | None] = mapped_column(String(1600), nullable=True)
    language: Mapped[str | None] = mapped_column(String(5), nullable=True)
    attempts: Mapped[int] = mapped_column(nullable=False, default=0)
    claimed_by: Mapped[str | None] = mapped_column(String(80), nullable=True)
    claimed_until: Mapped[datetime | None] = mapped_column(nullable=True)
    provider_sid: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True)
    last_error_code: Mapped[str | None] = mapped_column(String(20), nullable=True)
    last_error: Mapped[str | None] = mapped_column(String(500), nullable=True)
    cancel_reason: Mapped[str | None] = mapped_column(String(60), nullable=True)
    created_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(nullable=True)
    status_changed_at: Mapped[datetime | None] = mapped_column(nullable=True)

    patient: Mapped["Patient"] = relationship()  # noqa: F821
