"""Issue 15, registration and patient data: plausible dates, the code's site, texts need a phone,
codes found whatever their case or spaces."""
import re
from datetime import datetime, timedelta
from html import unescape
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from pro_app.extensions import db
from pro_app.patients.models import Patient
from pro_app.protocol import ProtocolError, load_protocol
from pro_app.schedule.transitions import advance_visit_states
from tests.integrity.web import sign_in
from tests.staff.web import html, post

TODAY = datetime.now(ZoneInfo("Europe/Paris")).date()  # the study's "today"


def _form(**changes) -> dict:
    form = {"site": "01", "study_code": "STEP-01-042", "language": "fr", "phone": "06 12 34 56 78",
            "timezone": "Europe/Paris", "inclusion_date": (TODAY - timedelta(days=1)).isoformat(),
            "radiotherapy_date": (TODAY + timedelta(days=6)).isoformat(), "surgery_date": "",
            "education_level": "secondary_or_higher", "sms_consent": "y"}
    form.update(changes)
    return {key: value for key, value in form.items() if value is not None}


def _registered(code="STEP-01-042"):
    db.session.expire_all()
    return db.session.scalar(db.select(Patient).filter_by(study_code=code))


def _day(days: int) -> str:
    return (TODAY + timedelta(days=days)).isoformat()


@pytest.mark.parametrize("changes, field, message", [
    ({"inclusion_date": _day(1), "radiotherapy_date": _day(8)}, "inclusion_date",
     f"The inclusion date is in the future; it can be {TODAY.isoformat()} at the latest."),
    ({"inclusion_date": "1999-03-01", "radiotherapy_date": "1999-03-08"}, "inclusion_date",
     f"The inclusion date is more than 365 days ago (before {_day(-365)}); check the year."),
    ({"radiotherapy_date": _day(120)}, "radiotherapy_date",
     "The first radiotherapy is 121 days after inclusion; the protocol allows at most 90. Check the dates."),
    ({"study_code": "STEP-02-099"}, "study_code",
     "This code belongs to site 02, but the patient is registered at site 01. Check the code or the site."),
    ({"phone": ""}, "phone",
     "The patient agrees to text messages: enter a mobile number, or untick the agreement if there is none."),
])
def test_implausible_registrations_are_refused_next_to_the_field(client, nurse, changes, field, message):
    response = post(client, "/patients/register?lang=en", _form(**changes))
    assert response.status_code == 400
    assert f'<p class="error" id="{field}-error">{message}</p>' in unescape(html(response))
    assert _registered(changes.get("study_code", "STEP-01-042")) is None


def test_the_limits_are_in_french_too(client, nurse):
    response = post(client, "/patients/register?lang=fr", _form(inclusion_date="1999-03-01",
                                                                  radiotherapy_date="1999-03-08"))
    assert response.status_code == 400
    assert "La date d’inclusion est antérieure de plus de 365 jours" in unescape(html(response))


def test_texts_need_a_phone_but_a_patient_without_one_may_decline_them(client, nurse):
    assert post(client, "/patients/register", _form(phone="")).status_code == 400
    response = post(client, "/patients/register", _form(phone="", sms_consent=None))
    assert response.status_code == 302 and _registered().sms_consent is False


def test_the_code_is_stored_without_spaces_and_in_upper_case(client, nurse):
    response = post(client, "/patients/register", _form(study_code=" step – 01-042 "))
    assert response.status_code == 302 and _registered() is not None


def test_a_site_02_nurse_registers_site_02_codes_only(client, make):
    sign_in(client, make.staff(role="nurse", site_code="02"))
    refused = post(client, "/patients/register?lang=en", _form(site="02", study_code="STEP-01-099"))
    assert refused.status_code == 400 and "This code belongs to site 01" in html(refused)
    response = post(client, "/patients/register", _form(site="02", study_code="STEP-02-099"))
    assert response.status_code == 302 and _registered("STEP-02-099").site.code == "02"


def test_a_correction_cannot_move_the_code_to_another_site_or_consent_without_phone(client, nurse, make):
    patient = make.patient(study_code="STEP-01-050", phone=None, sms_consent=False)
    form = {"study_code": "STEP-02-050", "language": "fr", "timezone": "Europe/Paris",
            "inclusion_date": patient.inclusion_date.isoformat(),
            "radiotherapy_date": patient.radiotherapy_date.isoformat(), "education_level": "", "phone": "",
            "reason": "typo", "version": str(patient.version)}
    response = post(client, f"/patients/{patient.id}/correct?lang=en", form)
    assert response.status_code == 400 and "This code belongs to site 02" in html(response)
    response = post(client, f"/patients/{patient.id}/correct?lang=en",
                    {**form, "study_code": "STEP-01-050", "sms_consent": "y"})
    assert response.status_code == 400 and "enter a mobile number" in html(response)
    assert _registered("STEP-01-050").sms_consent is False


def test_a_corrected_date_meets_the_same_limits_but_old_dates_may_stay(client, nurse, make):
    patient = make.patient(study_code="STEP-01-051", inclusion=TODAY - timedelta(days=400),
                           radiotherapy=TODAY - timedelta(days=395))
    form = {"study_code": "STEP-01-051", "language": "en", "timezone": "Europe/Paris", "sms_consent": "y",
            "inclusion_date": patient.inclusion_date.isoformat(), "education_level": "", "phone": "",
            "radiotherapy_date": patient.radiotherapy_date.isoformat(), "reason": "typo",
            "version": str(patient.version)}
    assert post(client, f"/patients/{patient.id}/correct", form).status_code == 302  # dates untouched
    form["version"] = str(_registered("STEP-01-051").version)
    response = post(client, f"/patients/{patient.id}/correct?lang=en", {**form, "inclusion_date": "1999-01-01"})
    assert response.status_code == 400 and "more than 365 days ago" in html(response)
    assert _registered("STEP-01-051").inclusion_date == TODAY - timedelta(days=400)


def test_the_dashboard_lists_every_patient_who_cannot_be_reached(client, nurse, make):
    make.patient(study_code="STEP-01-061")
    make.patient(study_code="STEP-01-062", sms_consent=False)
    make.patient(study_code="STEP-01-063", phone=None)  # registered before the rule: consent, no phone
    advance_visit_states(TODAY)
    db.session.commit()
    page = html(client.get("/patients/?lang=en"))
    section = page.split('id="optout"')[1].split('id="all"')[0]
    assert "Patients who cannot be reached by text message" in section
    assert "STEP-01-061" not in section
    assert "STEP-01-062</a>:\n    no consent to text messages" in section
    assert "STEP-01-063</a>:\n    no mobile number recorded" in section
    detail = html(client.get(f"/patients/{_registered('STEP-01-063').id}?lang=en"))
    assert "Accepted, but no mobile number is recorded" in detail


@pytest.mark.parametrize("typed", ["step-01-099", " STEP - 01 - 099 ", "Step‑01‑099"])
def test_a_patient_is_found_whatever_the_case_and_spaces(client, nurse, make, typed):
    patient = make.patient(study_code="STEP-01-099")
    response = client.get("/patients/find", query_string={"study_code": typed})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/patients/{patient.id}")


@pytest.mark.parametrize("lang, message", [("en", "No patient with the study code STEP-01-404."),
                                           ("fr", "Aucun patient avec le code d'étude STEP-01-404.")])
def test_a_miss_says_so_on_the_dashboard(client, nurse, lang, message):
    response = client.get("/patients/find", query_string={"study_code": "STEP-01-404", "lang": lang})
    page = unescape(html(response))
    assert response.status_code == 404
    assert message in page and 'id="find-code"' in page and 'value="STEP-01-404"' in page


def test_the_audit_filter_ignores_case_and_spaces(client, make):
    make.patient(study_code="STEP-01-077")
    make.patient(study_code="STEP-01-078")
    sign_in(client, make.staff(role="data_manager", site_code=None))
    exact = html(client.get("/audit/?patient=STEP-01-077&lang=en"))
    typed = html(client.get("/audit/?patient=%20step-01%20-077&lang=en"))
    assert "No patient has the study code" not in typed and "2 entries" in exact
    assert re.findall(r"\d+ entr\w+", typed) == re.findall(r"\d+ entr\w+", exact) == ["2 entries"]


def test_the_protocol_loader_names_a_bad_registration_limit(tmp_path):
    source = Path(__file__).parents[2] / "pro_app" / "protocol" / "step.yaml"
    text = source.read_text()
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace("inclusion_max_days_ago: 365", "inclusion_max_days_ago: -3"))
    with pytest.raises(ProtocolError, match=r"registration\.inclusion_max_days_ago: a whole number of days"):
        load_protocol(bad)
    bad.write_text(text.replace("inclusion_max_days_ago: 365", "inclusion_max_days_agoo: 365"))
    with pytest.raises(ProtocolError, match="registration: unknown setting"):
        load_protocol(bad)
    assert load_protocol(source).registration.radiotherapy_max_days_after_inclusion == 90
