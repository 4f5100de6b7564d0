"""Visit status transitions, one function each, every change audited.

upcoming → open → completed | partial | missed as dates pass and questionnaires come in;
any but completed → not_done (staff, with a reason); upcoming | open → cancelled when the
patient leaves the study. Final visits send no more messages.
"""
from __future__ import annotations

from datetime import date, datetime

from flask import current_app
from sqlalchemy import update
from sqlalchemy.orm import selectinload

from ..audit.services import record
from ..db import utcnow
from ..extensions import db
from ..messaging.models import OutboundMessage
from ..messaging.services import cancel_administration_messages, cancel_messages
from ..protocol import Protocol
from ..staff.errors import N_, FieldError
from .calendar import local_time
from .models import Visit

AFTER_TREATMENT_START = "after_treatment_start"
NOT_DONE_FROM = ("upcoming", "open", "missed", "partial")
REASON_MAX_LENGTH = 500  # visit.status_reason
NOT_DONE_REFUSALS = {
    "completed": N_("Every questionnaire of this visit was submitted: a completed visit cannot be marked not done."),
    "not_done": N_("This visit is already marked not done."),
    "cancelled": N_("This visit was cancelled when the patient left follow-up; it cannot be marked not done."),
}


class VisitError(FieldError):
    """A transition that the visit's current status does not allow; ``field`` names the input."""


def status_on(visit: Visit, today: date) -> str:
    """What the dates and submitted questionnaires say the status of a visit not yet final is."""
    submitted = [a for a in visit.administrations if a.is_submitted]
    if visit.administrations and len(submitted) == len(visit.administrations):
        return "completed"
    if today < visit.window_opens:
        return "upcoming"
    if today <= visit.window_closes:
        return "open"
    return "partial" if submitted else "missed"


def refresh_visit_status(visit: Visit, today: date, now: datetime | None = None) -> bool:
    if visit.is_final:
        return False
    return _set_status(visit, status_on(visit, today), now=now or utcnow())


def advance_visit_states(today: date, now: datetime | None = None) -> int:
    """Open visits whose window has begun; complete, or close as partial or missed, the others."""
    now = now or utcnow()
    unfinished = Visit.status.in_(("upcoming", "open"))
    _lock_visits(unfinished)
    visits = db.session.scalars(db.select(Visit).where(unfinished)
                                .options(selectinload(Visit.administrations))).all()
    changed = sum(refresh_visit_status(visit, today, now) for visit in visits)
    db.session.flush()
    return changed


def on_administration_submitted(administration, protocol: Protocol | None = None,
                                now: datetime | None = None) -> None:
    """Call in the submit transaction: no more reminders, the visit completes, baseline timing checked."""
    now = now or utcnow()
    visit = administration.visit
    cancel_administration_messages(administration.id, "completed", now)
    refresh_visit_status(visit, local_time(now, visit.patient.timezone).date(), now)
    flag_treatment_timing(visit, protocol)


def flag_treatment_timing(visit: Visit, protocol: Protocol | None = None) -> None:
    """A window closing at the first radiotherapy fraction is a baseline: answers given later are kept, flagged."""
    protocol = protocol or current_app.extensions["pro_app.protocol"]
    if protocol.visit(visit.code).closes_at != "radiotherapy":
        return
    patient = visit.patient
    late = any(local_time(a.submitted_at, patient.timezone).date() > patient.radiotherapy_date
               for a in visit.administrations if a.submitted_at is not None)
    flag = AFTER_TREATMENT_START if late else None
    if flag != visit.timing_flag:
        record("visit_timing", "visit", visit.id, field="timing_flag", old=visit.timing_flag, new=flag,
               patient_id=visit.patient_id)
        visit.timing_flag = flag


def lock_for_change(visit: Visit) -> None:
    """Take the visit's row lock (PostgreSQL) or the write lock (SQLite), then read its status again.

    Two identical posts racing each other then change the visit once: the second waits for the
    first to commit and sees its result. Held until the request commits or rolls back.
    """
    _lock_visits(Visit.id == visit.id)
    db.session.refresh(visit, ["status", "status_reason"])


def _lock_visits(condition) -> None:
    """A no-op UPDATE: row locks on PostgreSQL (waiting for, then re-checking, rows another
    transaction is changing), the write lock on SQLite; what is read next is then current."""
    db.session.execute(update(Visit).where(condition).values(status=Visit.status)
                       .execution_options(synchronize_session=False))


def not_done_refusal(visit: Visit) -> str | None:
    """Why staff cannot mark this visit not done (a msgid to translate), or None when they can."""
    if visit.status in NOT_DONE_FROM:
        return None
    return NOT_DONE_REFUSALS.get(visit.status, N_("This visit cannot be marked not done."))


def mark_visit_not_done(visit: Visit, reason: str, now: datetime | None = None) -> None:
    """Staff record that a visit will not take place (or not fully), with the reason."""
    reason = (reason or "").strip()
    if not reason:
        raise VisitError("reason", N_("Give the reason why this visit is not done; it is kept in the audit trail."))
    if len(reason) > REASON_MAX_LENGTH:
        raise VisitError("reason", N_("The reason is too long: at most %(limit)d characters."),
                         limit=REASON_MAX_LENGTH)
    refusal = not_done_refusal(visit)
    if refusal:
        raise VisitError("status", refusal)
    _set_status(visit, "not_done", reason=reason, now=now or utcnow())


def cancel_patient_visits(patient, reason: str, now: datetime | None = None) -> int:
    """The patient withdrew, died or was lost to follow-up: visits to come are cancelled, messages too."""
    now = now or utcnow()
    changed = sum(_set_status(visit, "cancelled", reason=reason, now=now)
                  for visit in patient.visits if visit.status in ("upcoming", "open"))
    db.session.flush()
    return changed


def restore_patient_visits(patient, reason: str, today: date, now: datetime | None = None) -> int:
    """A status set in error is corrected: visits cancelled for ``reason`` take the status their
    dates give (open, upcoming, or missed when the window passed meanwhile)."""
    now = now or utcnow()
    restored = 0
    for visit in patient.visits:
        if visit.status == "cancelled" and visit.status_reason == reason:
            visit.status_reason = None
            restored += _set_status(visit, status_on(visit, today), now=now, reason="follow_up_resumed")
    db.session.flush()
    return restored


def _set_status(visit: Visit, new: str, *, now: datetime, reason: str | None = None) -> bool:
    old = visit.status
    if old == new:
        return False
    visit.status = new
    if new in ("not_done", "cancelled"):
        visit.status_reason = reason
    if new in ("completed", "partial"):
        visit.completed_at = max(a.submitted_at for a in visit.administrations if a.submitted_at)
        flag_treatment_timing(visit)
    record("visit_status", "visit", visit.id, field="status", old=old, new=new, reason=reason,
           patient_id=visit.patient_id)
    if visit.is_final:
        _stop_messages(visit, new, now)
    return True


def _stop_messages(visit: Visit, status: str, now: datetime) -> None:
    reason = "completed" if status == "completed" else f"visit_{status}"
    ids = list(db.session.scalars(db.select(OutboundMessage.id).where(
        OutboundMessage.administration_id.in_([a.id for a in visit.administrations]),
        OutboundMessage.status == "pending")))
    cancel_messages(ids, reason, now)
