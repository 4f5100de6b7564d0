"""The patient's choice to stop, or to receive again, text messages; audited with where it came from."""
from __future__ import annotations

from datetime import datetime

from ..audit.services import record
from ..db import utcnow
from ..extensions import db
from ..protocol import Protocol
from ..schedule.services import replan_patient_messages
from .services import cancel_pending_messages

# Where an opt-out or opt-in came from, as written in the audit entry's reason.
SOURCES = {
    "sms_keyword": "SMS keyword",
    "questionnaire_page": "questionnaire page",
    "staff": "recorded by staff",
}


def record_opt_out(patient, source: str, now: datetime | None = None) -> bool:
    """Stop every text message to the patient; False when already opted out."""
    if patient.sms_opted_out_at is not None:
        return False
    now = now or utcnow()
    record("sms_opt_out", "patient", patient.id, field="sms_opted_out_at", old=None, new=now,
           reason=SOURCES.get(source, source), patient_id=patient.id)
    patient.sms_opted_out_at = now
    db.session.flush()
    cancel_pending_messages(patient, "opted_out", now)
    return True


def record_opt_in(patient, source: str, now: datetime | None = None, protocol: Protocol | None = None) -> bool:
    """Text messages again: the visits still to come get their invitations and reminders back."""
    if patient.sms_opted_out_at is None:
        return False
    record("sms_opt_in", "patient", patient.id, field="sms_opted_out_at", old=patient.sms_opted_out_at, new=None,
           reason=SOURCES.get(source, source), patient_id=patient.id)
    patient.sms_opted_out_at = None
    db.session.flush()
    replan_patient_messages(patient, protocol, now)
    return True
