"""Leaving the study: withdrawal, death or loss to follow-up stops everything planned.

One transition per call, in the caller's transaction: the patient's status is set and dated,
every pending message is cancelled with the reason, upcoming and open visits are cancelled,
and the live questionnaire links stop working. Messages already handed to the SMS provider
cannot be recalled; the dispatcher checks the patient's status before each send.

The date of the event (withdrawal, death, loss) is entered by staff and kept apart from the
moment of the change. A status set in error is corrected back to active with a reason: the
visits and messages it cancelled are planned again (a window that passed meanwhile is missed).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..audit.services import record
from ..db import utcnow
from ..extensions import db
from ..messaging.services import cancel_pending_messages
from ..protocol import Protocol
from ..questionnaires.links import revoke_links
from ..schedule.services import replan_patient_messages
from ..schedule.transitions import cancel_patient_visits, restore_patient_visits
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


def check_event_date(patient: Patient, event_date: date | None, today: date) -> date:
    if event_date is None:
        raise PatientError("event_date", N_("Enter the date of the event."))
    if event_date > today:
        raise PatientError("event_date", N_("The date of the event is in the future (today is %(today)s)."),
                           today=today.isoformat())
    if event_date < patient.inclusion_date:
        raise PatientError("event_date", N_("The date of the event is before the inclusion date (%(inclusion)s)."),
                           inclusion=patient.inclusion_date.isoformat())
    return event_date


def end_follow_up(patient: Patient, status: str, reason: str, event_date: date | None = None,
                  today: date | None = None) -> Stopped:
    """Leave follow-up; ``event_date`` (required when ``today`` is given: staff enter it) is when it happened."""
    reason = require_reason(reason)
    if status not in LEAVING_STATUSES:
        raise PatientError("status", N_("Choose withdrawal, death or loss to follow-up."))
    if patient.status != "active":
        raise PatientError("status", N_("This patient has already left follow-up."))
    if today is not None:
        event_date = check_event_date(patient, event_date, today)
    now = utcnow()
    record("change_status", "patient", patient.id, field="status", old=patient.status, new=status,
           reason=reason, patient_id=patient.id)
    if event_date is not None:
        record("change_status", "patient", patient.id, field="status_event_date", old=None,
               new=event_date.isoformat(), reason=reason, patient_id=patient.id)
    patient.status, patient.status_changed_at, patient.status_event_date = status, now, event_date
    db.session.flush()
    messages = cancel_pending_messages(patient, f"patient_{status}", now)
    visits = cancel_patient_visits(patient, f"patient_{status}", now)
    links = sum(revoke_links(administration, status) for visit in patient.visits
                for administration in visit.administrations)
    record("stop_follow_up", "patient", patient.id, patient_id=patient.id,
           new={"messages_cancelled": messages, "visits_cancelled": visits, "links_revoked": links})
    return Stopped(messages, visits, links)



def resume_follow_up(patient: Patient, reason: str, protocol: Protocol, today: date) -> int:
    """Correct a status set in error back to active; returns the number of visits planned again."""
    reason = require_reason(reason)
    if patient.status == "active":
        raise PatientError("reason", N_("This patient is already in follow-up."))
    old, now = patient.status, utcnow()
    record("change_status", "patient", patient.id, field="status", old=old, new="active",
           reason=reason, patient_id=patient.id)
    if patient.status_event_date is not None:
        record("change_status", "patient", patient.id, field="status_event_date",
               old=patient.status_event_date.isoformat(), new=None, reason=reason, patient_id=patient.id)
    patient.status, patient.status_changed_at, patient.status_event_date = "active", None, None
    db.session.flush()
    visits = restore_patient_visits(patient, f"patient_{old}", today, now)
    replan_patient_messages(patient, protocol, now)
    return visits
