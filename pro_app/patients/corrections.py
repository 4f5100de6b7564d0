"""Corrections to a patient's recorded details: a reason is required, each change is audited.

A corrected inclusion or first radiotherapy date moves the visits not yet done and replaces
their planned messages (see `schedule.services.recompute_future_visits`); a consent given or a
number added brings back the messages of the visits to come.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..audit.services import record
from ..extensions import db
from ..privacy import encrypt_phone, phone_lookup_hash
from ..protocol import Protocol
from ..schedule.services import recompute_future_visits, replan_patient_messages
from ..staff.errors import N_
from .models import Patient
from .services import (PatientError, check_details, check_reachable, check_site_of_code, check_study_code,
                       normalise_phone)

FIELDS = ("study_code", "language", "timezone", "inclusion_date", "radiotherapy_date", "surgery_date",
          "education_level", "sms_consent")
ANCHOR_DATES = ("inclusion_date", "radiotherapy_date")


@dataclass(frozen=True)
class Details:
    """The correctable values; ``phone`` None keeps the recorded number."""

    study_code: str
    language: str
    timezone: str
    inclusion_date: date
    radiotherapy_date: date
    surgery_date: date | None
    education_level: str | None
    sms_consent: bool
    phone: str | None = None


def require_reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise PatientError("reason", N_("Give the reason for this change; it is kept in the audit trail."))
    return reason


def correct_patient(patient: Patient, details: Details, reason: str, protocol: Protocol) -> list[str]:
    """Apply the changed values; returns the names of the fields that changed."""
    reason = require_reason(reason)
    check_study_code(details.study_code, protocol, patient.id)
    check_site_of_code(details.study_code, patient.site.code, protocol)
    check_details(details, protocol)
    check_reachable(details.sms_consent, bool(details.phone) or patient.phone_ciphertext is not None)
    e164 = normalise_phone(details.phone) if details.phone else None
    changed = [name for name in FIELDS if getattr(patient, name) != getattr(details, name)]
    for name in changed:
        record("correct", "patient", patient.id, field=name, old=_plain(getattr(patient, name)),
               new=_plain(getattr(details, name)), reason=reason, patient_id=patient.id)
        setattr(patient, name, getattr(details, name))
    if e164 and _replace_phone(patient, e164, reason):
        changed.append("phone")
    db.session.flush()
    if any(name in ANCHOR_DATES for name in changed):
        _reschedule(patient, protocol)
    elif {"sms_consent", "phone"} & set(changed):
        replan_patient_messages(patient, protocol)
    return changed


def _plain(value):
    """Dates as ISO text in the audit trail, like the strings they sit next to."""
    return value.isoformat() if isinstance(value, date) else value


def _replace_phone(patient: Patient, e164: str, reason: str) -> bool:
    lookup = phone_lookup_hash(e164)
    if lookup == patient.phone_lookup:
        return False
    # The audit trail says that the number changed, never what it is.
    record("correct", "patient", patient.id, field="phone", old="set" if patient.phone_lookup else None,
           new="replaced", reason=reason, patient_id=patient.id)
    patient.phone_ciphertext, patient.phone_lookup = encrypt_phone(e164), lookup
    return True


def _reschedule(patient: Patient, protocol: Protocol) -> None:
    """Move the visits not yet done (each move is audited by the schedule) and replan their messages."""
    try:
        recompute_future_visits(patient, protocol)
    except ValueError:
        raise PatientError("radiotherapy_date", N_("With these dates a visit window would close before it "
                                                   "opens; check the inclusion and radiotherapy dates.")) from None
