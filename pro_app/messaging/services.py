"""Outbox state changes other features call; each change is audited in the caller's transaction.

The dispatcher's own transitions live in ``outcomes.py``; both audit through ``audit_status``.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import update

from ..audit.services import record
from ..db import utcnow
from ..extensions import db
from .models import OutboundMessage

# Cancel reasons that may stop applying (the patient opts in again, a phone number is added,
# dates are corrected, a status set in error is corrected back to active): a row cancelled for
# one of these can be planned again.
REVIVABLE_REASONS = ("rescheduled", "opted_out", "no_phone", "no_consent", "patient_withdrawn",
                     "patient_deceased", "patient_lost")


def audit_status(message_id: int, patient_id: int, old: str | None, new: str, reason: str | None = None) -> None:
    record("message_status", "outbound_message", message_id, field="status", old=old, new=new, reason=reason,
           patient_id=patient_id)


def cancel_pending_messages(patient, reason: str, now: datetime | None = None) -> int:
    """Cancel every message of the patient not yet sent (withdrawal, death, opt-out...)."""
    return _cancel(OutboundMessage.patient_id == patient.id, reason, now)


def cancel_administration_messages(administration_id: int, reason: str, now: datetime | None = None) -> int:
    """Cancel the invitation and reminders still pending for one questionnaire (e.g. "completed")."""
    return _cancel(OutboundMessage.administration_id == administration_id, reason, now)


def cancel_messages(ids: list[int], reason: str, now: datetime | None = None) -> int:
    return _cancel(OutboundMessage.id.in_(ids), reason, now) if ids else 0


def _cancel(condition, reason: str, now: datetime | None) -> int:
    # Claimed and unknown rows are left alone: the dispatcher re-checks them before sending,
    # and an unknown row must be reconciled with the provider, not forgotten.
    statement = (update(OutboundMessage).where(condition, OutboundMessage.status == "pending")
                 .values(status="cancelled", cancel_reason=reason, status_changed_at=now or utcnow())
                 .returning(OutboundMessage.id, OutboundMessage.patient_id)
                 .execution_options(synchronize_session="fetch"))
    rows = db.session.execute(statement).all()
    for message_id, patient_id in rows:
        audit_status(message_id, patient_id, "pending", "cancelled", reason)
    return len(rows)
