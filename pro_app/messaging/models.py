from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Float, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import in_list, utcnow
from ..extensions import db

MESSAGE_STATUSES = ("pending", "claimed", "sent", "delivered", "undelivered", "failed",
                    "cancelled", "expired", "unknown")
FINAL_MESSAGE_STATUSES = ("delivered", "undelivered", "failed", "cancelled", "expired")
# Rows site staff must look at: never sent for a lasting reason, or not known to be sent.
ATTENTION_STATUSES = ("failed", "undelivered", "unknown")


class OutboundMessage(db.Model):
    """The outbox: one row per planned SMS, due time in naive UTC.

    pending → claimed → sent → delivered | undelivered | failed; pending → cancelled | expired;
    claimed past its lease → unknown → reconciled (sent, or pending again).
    ``due_at`` is when an unknown row is next checked with the provider.
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
        # The claim order (due_at, then id) read straight from the index: no sort of every due row.
        Index("ix_outbound_message_status_due_at_id", "status", "due_at", "id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), nullable=False, index=True)
    administration_id: Mapped[int | None] = mapped_column(ForeignKey("administration.id"), nullable=True)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    status: Mapped[str] = mapped_column(String(12), nullable=False, default="pending")
    due_at: Mapped[datetime] = mapped_column(nullable=False)
    not_after: Mapped[datetime] = mapped_column(nullable=False)
    # The text as sent, link token redacted: no usable token rests in the database.
    body: Mapped[str | None] = mapped_column(String(1600), nullable=True)
    language: Mapped[str | None] = mapped_column(String(5), nullable=True)
    attempts: Mapped[int] = mapped_column(nullable=False, default=0)
    claimed_by: Mapped[str | None] = mapped_column(String(80), nullable=True)
    claimed_until: Mapped[datetime | None] = mapped_column(nullable=True)
    # The last send attempt: when it started and the SHA-256 of the link it carried, which is
    # how reconciliation recognises this very message among those the provider lists.
    attempted_at: Mapped[datetime | None] = mapped_column(nullable=True)
    link_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    provider_sid: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True)
    last_error_code: Mapped[str | None] = mapped_column(String(20), nullable=True)
    last_error: Mapped[str | None] = mapped_column(String(500), nullable=True)
    cancel_reason: Mapped[str | None] = mapped_column(String(60), nullable=True)
    created_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(nullable=True)
    status_changed_at: Mapped[datetime | None] = mapped_column(nullable=True)

    patient: Mapped["Patient"] = relationship()  # noqa: F821
    administration: Mapped["Administration | None"] = relationship()  # noqa: F821


class SendThrottle(db.Model):
    """One row shared by every dispatcher: the next free sending slot, in epoch seconds.

    Reserving a slot is one atomic UPDATE, so the rate holds across processes and hosts.
    """

    __tablename__ = "sms_send_throttle"
    id: Mapped[int] = mapped_column(primary_key=True)
    next_slot: Mapped[float] = mapped_column(Float(precision=53), nullable=False, default=0.0)


# Statuses a delivery report can bring, in Twilio's order; "read" (RCS, WhatsApp) implies delivered.
REPORTED_STATUSES = ("delivered", "undelivered", "failed", "read")


class InboundMessage(db.Model):
    """Each text a patient sent us, by Twilio's MessageSid, once: neither the number nor the text.

    The row is written in the transaction that applies the keyword, so a second delivery of the
    same message (Twilio retrying, or a captured request replayed) finds it and changes nothing.
    """

    __tablename__ = "sms_inbound_message"
    __table_args__ = (CheckConstraint("action IS NULL OR " + in_list("action", ("opt_out", "opt_in", "help")),
                                      name="action_known"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    message_sid: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    received_at: Mapped[datetime] = mapped_column(nullable=False)
    action: Mapped[str | None] = mapped_column(String(10), nullable=True)


class StatusReport(db.Model):
    """A delivery report from Twilio, one per (MessageSid, status): a repeated report is ignored.

    ``settled_at`` is empty while no message of ours carries the sid yet: a report can arrive
    before the dispatcher has recorded the sid (the send is recorded after the whole batch, or
    only by reconciliation after a crash); the dispatcher applies such held reports later.
    """

    __tablename__ = "sms_status_report"
    __table_args__ = (
        UniqueConstraint("provider_sid", "status"),
        CheckConstraint(in_list("status", REPORTED_STATUSES), name="status_known"),
        Index("ix_sms_status_report_settled_at", "settled_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    provider_sid: Mapped[str] = mapped_column(String(64), nullable=False)
    status: Mapped[str] = mapped_column(String(12), nullable=False)
    error_code: Mapped[str | None] = mapped_column(String(20), nullable=True)
    received_at: Mapped[datetime] = mapped_column(nullable=False)
    settled_at: Mapped[datetime | None] = mapped_column(nullable=True)
