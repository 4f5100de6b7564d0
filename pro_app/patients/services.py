"""Register patients: validate, encrypt the phone number, lay out visits and messages."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import phonenumbers

from ..audit.services import record
from ..extensions import db
from ..privacy import encrypt_phone, phone_lookup_hash
from ..protocol import Protocol
from ..schedule.services import create_visits
from ..study.models import Site
from .models import LANGUAGES, Patient


class PatientError(ValueError):
    """Invalid registration data; ``field`` names the offending field."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field, self.message = field, message


@dataclass(frozen=True)
class Registration:
    study_code: str
    site: Site
    language: str
    phone: str | None
    inclusion_date: date
    radiotherapy_date: date
    surgery_date: date | None = None
    education_level: str | None = None
    timezone: str = "Europe/Paris"


def normalise_phone(raw: str, region: str = "FR") -> str:
    """Return the number in E.164, or raise PatientError('phone', why)."""
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        raise PatientError("phone", "not a phone number") from None
    if not phonenumbers.is_valid_number(number):
        raise PatientError("phone", "not a valid phone number")
    if phonenumbers.number_type(number) not in (phonenumbers.PhoneNumberType.MOBILE,
                                                phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE):
        raise PatientError("phone", "not a mobile number; text messages need a mobile phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def check_registration(data: Registration, protocol: Protocol) -> None:
    if not re.fullmatch(protocol.study_code_pattern, data.study_code):
        raise PatientError("study_code", f"does not match the study's format (e.g. {protocol.study_code_example})")
    if db.session.scalar(db.select(Patient.id).filter_by(study_code=data.study_code)):
        raise PatientError("study_code", "already registered")
    if data.language not in LANGUAGES:
        raise PatientError("language", "must be fr or en")
    if data.radiotherapy_date < data.inclusion_date:
        raise PatientError("radiotherapy_date", "is before the inclusion date")
    if data.education_level and data.education_level not in protocol.education_levels:
        raise PatientError("education_level", "unknown education level")


def register_patient(data: Registration, protocol: Protocol) -> Patient:
    check_registration(data, protocol)
    phone = normalise_phone(data.phone) if data.phone else None
    patient = Patient(
        study_code=data.study_code, site=data.site, language=data.language, timezone=data.timezone,
        phone_ciphertext=encrypt_phone(phone) if phone else None,
        phone_lookup=phone_lookup_hash(phone) if phone else None,
        inclusion_date=data.inclusion_date, radiotherapy_date=data.radiotherapy_date,
        surgery_date=data.surgery_date, education_level=data.education_level)
    db.session.add(patient)
    db.session.flush()
    create_visits(patient, protocol)
    record("register", "patient", patient.id, patient_id=patient.id,
           new={"study_code": patient.study_code, "site": data.site.code, "language": data.language,
                "inclusion_date": data.inclusion_date, "radiotherapy_date": data.radiotherapy_date,
                "phone": "set" if phone else None})
    return patient
