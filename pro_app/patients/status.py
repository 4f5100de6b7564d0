"""Leaving the study: withdrawal, death or loss to follow-up stops everything planned.

One transition per call, in the caller's transaction: the patient's status is set and dated,
every pending message is cancelled with the reason, upcoming and open visits are cancelled,
and the live questionnaire links stop working. Messages already handed to the SMS provider
cannot be recalled; the dispatcher checks the patient's status before each send.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import update

from ..audit.services import record
from ..db import utcnow
from ..extensions import db
from ..messaging.models import OutboundMessage
from ..questionnaires.links import revoke_links
from ..staff.errors import N_
from .corrections import require_reason
from .models import Patient
from .services import PatientError

LEAVING_STATUSES = ("withdrawn", "deceased", "lost")


@dataclass(frozen=True)
class Stopped:
    messages: int
    visits: int
    links: int


def end_follow_up(patient: Patient, status: str, reason: str) -> Stopped:
    reason = require_reason(reason)
    if status not in LEAVING_STATUSES:
        raise PatientError("status", N_("Choose withdrawal, death or loss to follow-up."))
    if patient.status != "active":
        raise PatientError("status", N_("This patient has already left follow-up."))
    now = utcnow()
    messages = _cancel_pending_messages(patient, f"patient_{status}", now)
    visits = links = 0
    for visit in patient.visits:
        if visit.status in ("upcoming", "open"):
            visit.status, visit.status_reason = "cancelled", f"patient_{status}"
            visits += 1
        for administration in visit.administrations:
            links += revoke_links(administration, status) or 0
    record("change_status", "patient", patient.id, field="status", old=patient.status, new=status,
           reason=reason, patient_id=patient.id)
    patient.status, patient.status_changed_at = status, now
    db.session.flush()
    record("stop_follow_up", "patient", patient.id, patient_id=patient.id,
           new={"messages_cancelled": messages, "visits_cancelled": visits, "links_revoked": links})
    return Stopped(messages, visits, links)


def _cancel_pending_messages(patient: Patient, reason: str, now) -> int:
    result = db.session.execute(
        update(OutboundMessage)
        .where(OutboundMessage.patient_id == patient.id, OutboundMessage.status == "pending")
        .values(status="cancelled", cancel_reason=reason, status_changed_at=now)
        .execution_options(synchronize_session=False))
    return result.rowcount
