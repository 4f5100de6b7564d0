"""Create and recompute a patient's visits, their administrations and planned messages."""
from __future__ import annotations

from ..db import utcnow
from ..extensions import db
from ..messaging.models import OutboundMessage
from ..protocol import Protocol
from ..questionnaires.models import Administration
from .calendar import plan_messages, visit_window
from .models import Visit

MODE_BY_COMPLETER = {"patient": "phone", "nurse": "nurse"}


def create_visits(patient, protocol: Protocol) -> list[Visit]:
    """Lay out every protocol visit for a newly registered patient."""
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
        plan_visit_messages(visit, protocol)
    return visits


def plan_visit_messages(visit: Visit, protocol: Protocol) -> list[OutboundMessage]:
    """Queue the invitation and reminders of each patient-completed questionnaire of a visit."""
    patient = visit.patient
    planned = []
    for administration in visit.administrations:
        if administration.mode != "phone" or administration.is_submitted:
            continue
        for message in plan_messages(visit.window_opens, visit.window_closes, protocol.reminders,
                                     patient.timezone, now_utc=utcnow()):
            planned.append(OutboundMessage(patient=patient, administration_id=administration.id,
                                           kind=message.kind, due_at=message.due_at_utc,
                                           not_after=message.not_after_utc))
    db.session.add_all(planned)
    db.session.flush()
    return planned


def advance_visit_states(today) -> int:
    """Open visits whose window has begun and close those whose window has ended."""
    changed = 0
    for visit in db.session.scalars(db.select(Visit).where(Visit.status.in_(("upcoming", "open")))):
        new_status = _status_on(visit, today)
        if new_status != visit.status:
            visit.status = new_status
            changed += 1
    db.session.flush()
    return changed


def _status_on(visit: Visit, today) -> str:
    if today < visit.window_opens:
        return "upcoming"
    if today <= visit.window_closes:
        return "open"
    return "missed"
