"""Register patients: validate, encrypt the phone number, lay out visits and messages."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers

from ..audit.services import record
from ..db import utcnow
from ..extensions import db
from ..privacy import encrypt_phone, phone_lookup_hash
from ..protocol import Protocol
from ..schedule.calendar import local_time
from ..schedule.services import create_visits
from ..schedule.transitions import refresh_visit_status
from ..staff.errors import N_, FieldError
from ..study.models import Site
from .models import LANGUAGES, Patient, normalise_code  # noqa: F401  (normalise_code: re-exported)

# STEP: surgery within 3 days of the end of radiotherapy; a longer delay is a protocol deviation.
SURGERY_MAX_DAYS_AFTER_RADIOTHERAPY = 3


class PatientError(FieldError):
    """Invalid patient data; ``field`` names the offending field."""


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
    sms_consent: bool = True


def normalise_phone(raw: str, region: str = "FR") -> str:
    """Return the number in E.164, or raise PatientError('phone', why)."""
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        raise PatientError("phone", N_("This is not a phone number.")) from None
    if not phonenumbers.is_valid_number(number):
        raise PatientError("phone", N_("This phone number is not valid; check the digits."))
    if phonenumbers.number_type(number) not in (phonenumbers.PhoneNumberType.MOBILE,
                                                phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE):
        raise PatientError("phone", N_("This is not a mobile number; text messages need a mobile phone."))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def check_study_code(study_code: str, protocol: Protocol, patient_id: int | None = None) -> None:
    if not re.fullmatch(protocol.study_code_pattern, study_code):
        raise PatientError("study_code", N_("This does not match the study's code format (for example %(example)s)."),
                           example=protocol.study_code_example)
    existing = db.session.scalar(db.select(Patient.id).where(db.func.upper(Patient.study_code) == study_code))
    if existing is not None and existing != patient_id:
        raise PatientError("study_code", N_("A patient with this study code is already registered."))


def check_details(data, protocol: Protocol) -> None:
    """Checks shared by registration and corrections (``data`` has the Registration fields)."""
    if data.language not in LANGUAGES:
        raise PatientError("language", N_("Choose French or English."))
    try:
        ZoneInfo(data.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise PatientError("timezone", N_("Unknown time zone; use a name such as Europe/Paris.")) from None
    if data.radiotherapy_date < data.inclusion_date:
        raise PatientError("radiotherapy_date", N_("The first radiotherapy date is before the inclusion date."))
    if data.surgery_date is not None and data.surgery_date < data.radiotherapy_date:
        raise PatientError("surgery_date", N_("In this study surgery follows radiotherapy: the surgery date is "
                                              "before the first radiotherapy date."))
    if data.education_level and data.education_level not in protocol.education_levels:
        raise PatientError("education_level", N_("Unknown education level."))


def date_warnings(data) -> list[FieldError]:
    """Allowed but worth a second look: the protocol limits these."""
    warnings = []
    if data.surgery_date is not None:
        delay = (data.surgery_date - data.radiotherapy_date).days
        if delay > SURGERY_MAX_DAYS_AFTER_RADIOTHERAPY:
            warnings.append(FieldError(
                "surgery_date", N_("Surgery is %(days)d days after radiotherapy; the protocol allows at most "
                                   "%(limit)d. Check the dates; if they are right, confirm to continue."),
                days=delay, limit=SURGERY_MAX_DAYS_AFTER_RADIOTHERAPY))
    return warnings


def check_site_of_code(study_code: str, site_code: str, protocol: Protocol) -> None:
    """The code's site part (the pattern's group named "site") must be the patient's site."""
    code_site = protocol.site_of_code(study_code)
    if code_site is not None and code_site != site_code:
        raise PatientError("study_code", N_("This code belongs to site %(code_site)s, but the patient is registered "
                                            "at site %(site)s. Check the code or the site."),
                           code_site=code_site, site=site_code)


def check_reachable(sms_consent: bool, has_phone: bool) -> None:
    """Consent to text messages needs a mobile number: otherwise the patient silently gets nothing."""
    if sms_consent and not has_phone:
        raise PatientError("phone", N_("The patient agrees to text messages: enter a mobile number, or untick "
                                       "the agreement if there is none."))


def check_plausible_dates(data, protocol: Protocol, today: date) -> None:
    """Dates typed at registration, checked against the protocol's limits (``today`` in the study's zone)."""
    limits = protocol.registration
    latest = today + timedelta(days=limits.inclusion_max_days_ahead)
    if data.inclusion_date > latest:
        raise PatientError("inclusion_date", N_("The inclusion date is in the future; it can be %(latest)s at the "
                                                "latest."), latest=latest.isoformat())
    earliest = today - timedelta(days=limits.inclusion_max_days_ago)
    if data.inclusion_date < earliest:
        raise PatientError("inclusion_date", N_("The inclusion date is more than %(days)d days ago (before "
                                                "%(earliest)s); check the year."),
                           days=limits.inclusion_max_days_ago, earliest=earliest.isoformat())
    gap = (data.radiotherapy_date - data.inclusion_date).days
    if gap > limits.radiotherapy_max_days_after_inclusion:
        raise PatientError("radiotherapy_date", N_("The first radiotherapy is %(days)d days after inclusion; the "
                                                   "protocol allows at most %(limit)d. Check the dates."),
                           days=gap, limit=limits.radiotherapy_max_days_after_inclusion)


def check_new_patient(data: Registration, protocol: Protocol, today: date) -> None:
    """The rules for a patient entered by staff now, on top of :func:`check_registration`.

    The demo seed and the test factories register patients of the past through `register_patient`,
    so the checks against today live here, for the registration form.
    """
    check_registration(data, protocol)
    check_plausible_dates(data, protocol, today)
    check_reachable(data.sms_consent, bool(data.phone))


def check_registration(data: Registration, protocol: Protocol) -> None:
    check_study_code(data.study_code, protocol)
    check_site_of_code(data.study_code, data.site.code, protocol)
    check_details(data, protocol)
    if data.phone:
        normalise_phone(data.phone)


def register_patient(data: Registration, protocol: Protocol) -> Patient:
    check_registration(data, protocol)
    phone = normalise_phone(data.phone) if data.phone else None
    patient = Patient(
        study_code=data.study_code, site=data.site, language=data.language, timezone=data.timezone,
        phone_ciphertext=encrypt_phone(phone) if phone else None,
        phone_lookup=phone_lookup_hash(phone) if phone else None,
        inclusion_date=data.inclusion_date, radiotherapy_date=data.radiotherapy_date,
        surgery_date=data.surgery_date, education_level=data.education_level, sms_consent=data.sms_consent)
    db.session.add(patient)
    db.session.flush()
    create_visits(patient, protocol)
    today = local_time(utcnow(), patient.timezone).date()
    for visit in patient.visits:  # a baseline whose window is already open shows as open at once
        refresh_visit_status(visit, today)
    record("register", "patient", patient.id, patient_id=patient.id,
           new={"study_code": patient.study_code, "site": data.site.code, "language": data.language,
                "inclusion_date": data.inclusion_date, "radiotherapy_date": data.radiotherapy_date,
                "surgery_date": data.surgery_date, "education_level": data.education_level,
                "timezone": data.timezone, "sms_consent": data.sms_consent, "phone": "set" if phone else None},
           reason="; ".join(str(warning) for warning in date_warnings(data)) or None)
    return patient
