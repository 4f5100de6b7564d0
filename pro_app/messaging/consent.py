"""The patient's choice to stop, or to receive again, text messages; audited with where it came from.

Each change is one conditional UPDATE of the patient row, so two changes racing (a STOP texted
while a nurse records an opt-in) cannot both apply on a state neither saw. A change that rests
on older information carries ``as_of``: the moment the staff page was shown, or the send the
provider refused. If the patient stated a choice after that moment (``Patient.sms_choice_at``),
the change is stale and not applied: an older consent change never overrides a newer one. A
patient's own word (a keyword texted, the stop page) has no ``as_of``: received now, it is the
newest there is, and it dates the choice even when it repeats it.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, true, update

from ..audit.services import record
from ..db import utcnow
from ..extensions import db
from ..patients.models import Patient
from ..protocol import Protocol
from ..schedule.services import replan_patient_messages
from .services import cancel_pending_messages

CHANGED, ALREADY, STALE = "changed", "already", "stale"
# Where an opt-out or opt-in came from, as written in the audit entry's reason.
SOURCES = {
    "sms_keyword": "SMS keyword",
    "questionnaire_page": "questionnaire page",
    "staff": "recorded by staff",
}


def record_opt_out(patient, source: str, now: datetime | None = None, as_of: datetime | None = None) -> str:
    """Stop every text message to the patient: CHANGED, ALREADY (opted out before) or STALE."""
    now = now or utcnow()
    result = _change(patient, True, as_of, now)
    if result == CHANGED:
        record("sms_opt_out", "patient", patient.id, field="sms_opted_out_at", old=None, new=now,
               reason=SOURCES.get(source, source), patient_id=patient.id)
        cancel_pending_messages(patient, "opted_out", now)
    return result


def record_opt_in(patient, source: str, now: datetime | None = None, protocol: Protocol | None = None,
                  as_of: datetime | None = None) -> str:
    """Text messages again: the visits still to come get their invitations and reminders back."""
    old = _current(patient).sms_opted_out_at
    result = _change(patient, False, as_of, now or utcnow())
    if result == CHANGED:
        record("sms_opt_in", "patient", patient.id, field="sms_opted_out_at", old=old, new=None,
               reason=SOURCES.get(source, source), patient_id=patient.id)
        replan_patient_messages(patient, protocol, now)
    return result


def _change(patient, opt_out: bool, as_of: datetime | None, now: datetime) -> str:
    """One UPDATE, applied only if the state differs from the wanted one and nothing newer was recorded."""
    differs = Patient.sms_opted_out_at.is_(None) if opt_out else Patient.sms_opted_out_at.is_not(None)
    fresh = true() if as_of is None else or_(Patient.sms_choice_at.is_(None),
                                           Patient.sms_choice_at <= as_of)
    db.session.flush()
    statement = (update(Patient).where(Patient.id == patient.id, differs, fresh)
                 .values(sms_opted_out_at=now if opt_out else None, sms_choice_at=now,
                         version=Patient.version + 1)
                 .execution_options(synchronize_session=False))
    changed = db.session.execute(statement).rowcount == 1
    if not changed and as_of is None:
        # The patient repeating the current choice still states it now: a refusal by the provider
        # for a send attempted before this (Twilio unblocks on START) must not undo it.
        db.session.execute(update(Patient).where(Patient.id == patient.id).values(sms_choice_at=now)
                           .execution_options(synchronize_session=False))
    _current(patient)
    if changed:
        return CHANGED
    return STALE if (patient.sms_opted_out_at is None) == opt_out else ALREADY


def _current(patient):
    """The patient as stored now; pending changes are flushed first, so none is lost."""
    db.session.flush()
    db.session.refresh(patient)
    return patient
