"""Create a patient's visits, move them when staff correct dates, and plan their messages."""
from __future__ import annotations

from datetime import date, datetime

from flask import current_app

from ..audit.services import record
from ..db import utcnow
from ..extensions import db
from ..protocol import Protocol
from ..questionnaires.models import Administration
from .calendar import local_time, visit_window
from .messages import sync_visit_messages
from .models import Visit
from .transitions import advance_visit_states, flag_treatment_timing, refresh_visit_status

__all__ = ["create_visits", "plan_visit_messages", "recompute_future_visits", "replan_patient_messages",
           "advance_visit_states"]

MODE_BY_COMPLETER = {"patient": "phone", "nurse": "nurse"}


def create_visits(patient, protocol: Protocol, now: datetime | None = None) -> list[Visit]:
    """Lay out every protocol visit for a newly registered patient, with its messages."""
    visits = []
    for rule in protocol.visits:
        window = visit_window(rule, patient.inclusion_date, patient.radiotherapy_date)
        visit = Visit(patient=patient, code=rule.code, target_date=window.target,
                      window_opens=window.opens, window_closes=window.closes)
        for item in rule.instruments:
            visit.administrations.append(Administration(instrument=item.instrument,
                                                        mode=MODE_BY_COMPLETER[item.completed_by]))
        visits.append(visit)
    db.session.add_all(visits)
    db.session.flush()
    for visit in visits:
        plan_visit_messages(visit, protocol, now)
    return visits


def plan_visit_messages(visit: Visit, protocol: Protocol, now: datetime | None = None) -> None:
    """Queue (or bring up to date) the invitation and reminders of the visit's phone questionnaires."""
    sync_visit_messages(visit, protocol, now or utcnow())


def replan_patient_messages(patient, protocol: Protocol | None = None, now: datetime | None = None) -> None:
    """Bring every visit still to come in line: after an opt-in, a phone number added, a consent given."""
    protocol = protocol or current_app.extensions["pro_app.protocol"]
    for visit in patient.visits:
        if not visit.is_final:
            sync_visit_messages(visit, protocol, now or utcnow())


def recompute_future_visits(patient, protocol: Protocol | None = None, today: date | None = None, *,
                            now: datetime | None = None) -> list[Visit]:
    """After staff corrected the inclusion or radiotherapy date: move the visits still upcoming or
    open, replace their pending messages, and re-check the baseline timing; returns the visits
    moved. Completed and other final visits never move. ``today`` defaults to the patient's local
    date. Raises ValueError when the new dates give a window closing before it opens.
    """
    protocol = protocol or current_app.extensions["pro_app.protocol"]
    now = now or utcnow()
    today = today or local_time(now, patient.timezone).date()
    moved = []
    for visit in patient.visits:
        if visit.is_final:
            flag_treatment_timing(visit, protocol)
            continue
        if _move(visit, protocol):
            moved.append(visit)
        refresh_visit_status(visit, today, now)
        sync_visit_messages(visit, protocol, now)
    return moved


def _move(visit: Visit, protocol: Protocol) -> bool:
    patient = visit.patient
    window = visit_window(protocol.visit(visit.code), patient.inclusion_date, patient.radiotherapy_date)
    old = (visit.target_date, visit.window_opens, visit.window_closes)
    new = (window.target, window.opens, window.closes)
    if old == new:
        return False
    visit.target_date, visit.window_opens, visit.window_closes = new
    record("visit_moved", "visit", visit.id, field="window", old=[str(d) for d in old], new=[str(d) for d in new],
           patient_id=visit.patient_id)
    return True
