"""Leaving the study: withdrawal, death or loss to follow-up stops everything planned.

One transition per call, in the caller's transaction: the patient's status is set and dated,
every pending message is cancelled with the reason, upcoming and open visits are cancelled,
and the live questionnaire links stop working. Messages already handed to the SMS provider
cannot be recalled; the dispatcher checks the patient's status before each send.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..audit.services import record
from ..db import utcnow
from ..extensions import db
from ..messaging.services import cancel_pending_messages
from ..questionnaires.links import revoke_links
from ..schedule.transitions import cancel_patient_visits
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
    record("change_status", "patient", patient.id, field="status", old=patient.status, new=status,
           reason=reason, patient_id=patient.id)
    patient.status, patient.status_changed_at = status, now
    db.session.flush()
    messages = cancel_pending_messages(patient, f"patient_{status}", now)
    visits = cancel_patient_visits(patient, f"patient_{status}", now)
    links = sum(revoke_links(administration, status) for visit in patient.visits
                for administration in visit.administrations)
    record("stop_follow_up", "patient", patient.id, patient_id=patient.id,
           new={"messages_cancelled": messages, "visits_cancelled": visits, "links_revoked": links})
    return Stopped(messages, visits, links)

