"""A research nurse on a clinic tablet (1024x768), in French and in English: signs in, registers a
patient, administers and signs an MMSE, and is refused a patient of another site."""
from datetime import date, timedelta

import pytest

from pro_app.extensions import db
from pro_app.instruments.mmse import SECTIONS
from pro_app.patients.models import Patient
from tests.browser.conftest import axe_violations, screenshot, sign_in_staff
from tests.support.factories import PASSWORD

pytestmark = pytest.mark.browser
SERIAL7 = ("93", "86", "79", "72", "65")


def _accessible(page) -> None:
    assert axe_violations(page) == [], page.url


def _sign_in(page, nurse, lang: str) -> None:
    page.goto(f"/staff/login?lang={lang}")
    _accessible(page)
    sign_in_staff(page, nurse, lang)


def _register(page, code: str) -> None:
    page.goto("/patients/register")
    _accessible(page)
    page.fill("#study_code", code)
    page.fill("#phone", "06 12 34 56 78")
    page.fill("#inclusion_date", (date.today() - timedelta(days=1)).isoformat())
    page.fill("#radiotherapy_date", (date.today() + timedelta(days=7)).isoformat())
    page.select_option("#education_level", "secondary_or_higher")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/patients/*")
    _accessible(page)


def _record_section(page, section) -> None:
    if section.code == "attention":
        for number, said in enumerate(SERIAL7, start=1):
            page.fill(f"#serial7_{number}", said)
        page.fill("#spelling", "EDNOM")
    else:
        for item in section.items:
            page.check(f"input[name={item}][value='1']")
    if section.code == "registration":
        page.select_option("#registration_trials", "2")


def _administer(page, lang: str) -> None:
    page.click("a[href^='/mmse/']")
    _accessible(page)
    page.click("main form[action$='/start'] button[type=submit]")
    for section in SECTIONS:
        page.wait_for_url(f"**/section/{section.code}")
        if section.code in ("orientation_time", "attention"):
            _accessible(page)
        if section.code == "attention":
            screenshot(page, f"staff-mmse-attention-{lang}")
        _record_section(page, section)
        page.click("button[name=go][value=next]")
    page.wait_for_url("**/mmse/*")
    page.click("a[href$='/sign']")
    _accessible(page)
    screenshot(page, f"staff-mmse-signature-{lang}")
    page.fill("#password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/mmse/*")
    _accessible(page)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_nurse_registers_a_patient_administers_and_signs_an_mmse(tablet_page, make, lang):
    page = tablet_page
    nurse = make.staff(role="nurse", site_code="01", name="Nadia Nurse")
    other = make.patient(study_code="STEP-02-077", site_code="02")
    _sign_in(page, nurse, lang)
    assert page.locator("html").get_attribute("lang") == lang

    page.goto("/patients/")
    _accessible(page)
    _register(page, "STEP-01-077")
    page.goto("/patients/")
    screenshot(page, f"staff-dashboard-{lang}")

    _administer(page, lang)
    assert "Nadia Nurse" in page.locator(".signature").inner_text()
    assert "30" in page.locator(".results").inner_text()
    db.session.expire_all()
    patient = db.session.scalar(db.select(Patient).filter_by(study_code="STEP-01-077"))
    baseline = next(v for v in patient.visits if v.code == "baseline")
    assert baseline.administration("mmse").status == "locked"

    response = page.goto(f"/patients/{other.id}")
    assert response.status == 404
    _accessible(page)
    assert "STEP-02-077" not in page.content()
