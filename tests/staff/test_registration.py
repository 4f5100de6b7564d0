"""Registering a patient from the staff page: every field checked, with a message next to it."""
from datetime import date, timedelta
from html import unescape

import pytest

from pro_app.audit.models import AuditEntry
from pro_app.extensions import db
from pro_app.patients.models import Patient
from pro_app.privacy import decrypt_phone
from tests.staff.web import html, post

TODAY = date.today()


def _form(**changes) -> dict:
    form = {"site": "01", "study_code": "STEP-01-042", "language": "fr", "phone": "06 12 34 56 78",
            "timezone": "Europe/Paris", "inclusion_date": (TODAY - timedelta(days=1)).isoformat(),
            "radiotherapy_date": (TODAY + timedelta(days=6)).isoformat(), "surgery_date": "",
            "education_level": "secondary_or_higher", "sms_consent": "y"}
    form.update(changes)
    return form


def _registered(code="STEP-01-042"):
    db.session.expire_all()
    return db.session.scalar(db.select(Patient).filter_by(study_code=code))


def test_a_nurse_registers_a_patient_with_an_encrypted_e164_phone(client, nurse):
    response = post(client, "/patients/register", _form())
    patient = _registered()
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/patients/{patient.id}")
    assert decrypt_phone(patient.phone_ciphertext) == "+33612345678"
    assert (patient.site.code, patient.education_level, patient.sms_consent) == ("01", "secondary_or_higher", True)
    assert [visit.code for visit in patient.visits] == ["baseline", "m3", "m6", "m9", "m12"]
    entry = db.session.scalar(db.select(AuditEntry).filter_by(action="register"))
    assert entry.actor_id == nurse.id and "612345678" not in entry.new_value


@pytest.mark.parametrize("changes, field, message", [
    ({"study_code": "P-42"}, "study_code", "This does not match the study's code format (for example STEP-01-001)."),
    ({"phone": "06 12"}, "phone", "This phone number is not valid; check the digits."),
    ({"phone": "01 23 45 67 89"}, "phone", "This is not a mobile number; text messages need a mobile phone."),
    ({"timezone": "Mars/Olympus"}, "timezone", "Unknown time zone; use a name such as Europe/Paris."),
    ({"radiotherapy_date": (TODAY - timedelta(days=3)).isoformat()}, "radiotherapy_date",
     "The first radiotherapy date is before the inclusion date."),
    ({"surgery_date": (TODAY + timedelta(days=2)).isoformat()}, "surgery_date",
     "In this study surgery follows radiotherapy: the surgery date is before the first radiotherapy date."),
    ({"inclusion_date": ""}, "inclusion_date", "This field is required."),
    ({"inclusion_date": "31/02/2026"}, "inclusion_date", "Not a valid date value."),
])
def test_each_inconsistency_gets_a_clear_message_next_to_its_field(client, nurse, changes, field, message):
    response = post(client, "/patients/register?lang=en", _form(**changes))
    page = unescape(html(response))
    assert response.status_code == 400
    assert f'<p class="error" id="{field}-error">{message}</p>' in page
    assert 'aria-invalid="true"' in page
    assert _registered(changes.get("study_code", "STEP-01-042")) is None


def test_a_study_code_is_registered_once(client, nurse, make):
    make.patient(study_code="STEP-01-042")
    response = post(client, "/patients/register?lang=en", _form())
    assert response.status_code == 400
    assert "A patient with this study code is already registered." in html(response)


def test_surgery_more_than_three_days_after_radiotherapy_is_warned_then_allowed(client, nurse):
    late = _form(surgery_date=(TODAY + timedelta(days=12)).isoformat())
    warned = post(client, "/patients/register?lang=en", late)
    assert warned.status_code == 200
    assert "Surgery is 6 days after radiotherapy; the protocol allows at most 3." in html(warned)
    assert _registered() is None
    confirmed = post(client, "/patients/register?lang=en", {**late, "confirm_warnings": "y"})
    assert confirmed.status_code == 302
    assert _registered().surgery_date == TODAY + timedelta(days=12)
    entry = db.session.scalar(db.select(AuditEntry).filter_by(action="register"))
    assert "6 days after radiotherapy" in entry.reason


def test_messages_are_in_french_for_a_french_speaking_nurse(client, nurse):
    too_early = (TODAY - timedelta(days=3)).isoformat()
    response = post(client, "/patients/register?lang=fr", _form(radiotherapy_date=too_early))
    assert "La date de première radiothérapie est antérieure à la date d’inclusion." in unescape(html(response))
