"""Corrections to a patient's recorded details: a reason is required, each change is audited.

A corrected inclusion or first radiotherapy date moves the visits not yet done and replaces
their planned messages (see `schedule.services.recompute_future_visits`).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..audit.services import record
from ..extensions import db
from ..privacy import encrypt_phone, phone_lookup_hash
from ..protocol import Protocol
from ..schedule.services import recompute_future_visits
from ..staff.errors import N_
from .models import Patient
from .services import PatientError, check_details, check_study_code, normalise_phone

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


def correct_patient(patient: Patient, details: Details, reason: str, protocol: Protocol, today: date) -> list[str]:
    """Apply the changed values; returns the names of the fields that changed."""
    reason = require_reason(reason)
    check_study_code(details.study_code, protocol, patient.id)
    check_details(details, protocol)
    changed = [name for name in FIELDS if getattr(patient, name) != getattr(details, name)]
    for name in changed:
        record("correct", "patient", patient.id, field=name, old=getattr(patient, name),
               new=getattr(details, name), reason=reason, patient_id=patient.id)
        setattr(patient, name, getattr(details, name))
    if details.phone and _replace_phone(patient, normalise_phone(details.phone), reason):
        changed.append("phone")
    db.session.flush()
    if any(name in ANCHOR_DATES for name in changed):
        _reschedule(patient, protocol, today, reason)
    return changed


def _replace_phone(patient: Patient, e164: str, reason: str) -> bool:
    lookup = phone_lookup_hash(e164)
    if lookup == patient.phone_lookup:
        return False
    # The audit trail says that the number changed, never what it is.
    record("correct", "patient", patient.id, field="phone", old="set" if patient.phone_lookup else None,
           new="replaced", reason=reason, patient_id=patient.id)
    patient.phone_ciphertext, patient.phone_lookup = encrypt_phone(e164), lookup
    return True


def _reschedule(patient: Patient, protocol: Protocol, today: date, reason: str) -> None:
    before = {visit.code: _window(visit) for visit in patient.visits}
    moved = recompute_future_visits(patient, protocol, today)
    if moved:
        record("reschedule", "patient", patient.id, field="visits", reason=reason, patient_id=patient.id,
               old={visit.code: before[visit.code] for visit in moved},
               new={visit.code: _window(visit) for visit in moved})


def _window(visit) -> list[str]:
    return [visit.window_opens.isoformat(), visit.window_closes.isoformat()]
