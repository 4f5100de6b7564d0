"""A research nurse on a clinic tablet (1024x768), in French and in English: signs in, registers a
patient, administers and signs an MMSE, and is refused a patient of another site; is offered only
the MMSE she can start, reads what the section counters count, and the corrections after signature."""
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from pro_app.extensions import db
from pro_app.instruments.mmse import SECTIONS
from pro_app.patients.models import Patient
from tests.browser.conftest import axe_violations, screenshot, sign_in_staff
from tests.staff.web import visit_of
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


WORDS = {
    "fr": {"start": "Commencer le MMSE", "not_open": "La fenêtre de cette visite n’est pas encore ouverte.",
           "none_recorded": "0 sur 5 éléments renseignés", "all_recorded": "3 sur 3 éléments renseignés",
           "history": "Corrections après la signature", "corrected": "corrigé ensuite (1 correction",
           "before": "Correct (1)", "after": "Incorrect (0)"},
    "en": {"start": "Start the MMSE", "not_open": "This visit's window is not open yet.",
           "none_recorded": "0 of 5 items recorded", "all_recorded": "3 of 3 items recorded",
           "history": "Corrections after signature", "corrected": "corrected afterwards (1 correction",
           "before": "Correct (1)", "after": "Incorrect (0)"},
}


def _study_zone_now() -> str:
    return datetime.now(ZoneInfo("Europe/Paris")).strftime("%Z")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_nurse_is_offered_only_the_mmse_she_can_start_and_reads_its_corrections(tablet_page, make, lang):
    page, words = tablet_page, WORDS[lang]
    nurse = make.staff(role="nurse", site_code="01", name="Nadia Nurse")
    today_patient = make.patient(study_code="STEP-01-081", education_level="secondary_or_higher")
    later_patient = make.patient(study_code="STEP-01-082")
    later = visit_of(later_patient)
    later.window_opens, later.window_closes = date.today() + timedelta(days=3), date.today() + timedelta(days=9)
    later.status = "upcoming"
    db.session.commit()
    now_mmse, later_mmse = visit_of(today_patient).administration("mmse"), later.administration("mmse")
    _sign_in(page, nurse, lang)

    page.goto("/patients/")
    _accessible(page)
    due = page.locator("table[aria-labelledby=due]")
    assert due.locator(f"a[href='/mmse/{now_mmse.id}']").inner_text().strip() == words["start"]
    assert due.locator(f"a[href='/mmse/{later_mmse.id}']").count() == 0
    assert words["not_open"] in due.inner_text()

    due.locator(f"a[href='/mmse/{now_mmse.id}']").click()
    page.click("main form[action$='/start'] button[type=submit]")
    page.wait_for_url("**/section/orientation_time")
    steps = page.locator("nav.mmse-steps")
    assert words["none_recorded"] in steps.inner_text()
    _accessible(page)
    for section in SECTIONS:
        page.wait_for_url(f"**/section/{section.code}")
        _record_section(page, section)
        page.click("button[name=go][value=next]")
    page.wait_for_url("**/mmse/*")
    page.click("a[href$='/sign']")
    page.fill("#password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"**/mmse/{now_mmse.id}")
    assert words["all_recorded"] in page.locator("#recorded-recall").inner_text()

    page.click(f"a[href='/mmse/{now_mmse.id}/section/recall/correct']")
    page.check("input[name=recall_1][value='0']")
    page.fill("#reason", "Transcription error")
    page.click("button[name=go][value=overview]")
    page.wait_for_url(f"**/mmse/{now_mmse.id}")
    _accessible(page)
    screenshot(page, f"staff-mmse-corrected-{lang}")
    history = page.locator("section.corrections").inner_text()
    assert words["history"] in history and "Nadia Nurse" in history and "Transcription error" in history
    assert words["before"] in history and words["after"] in history
    signature = page.locator("section.signature").inner_text()
    assert words["corrected"] in signature
    facts = page.locator("main").inner_text()
    zone = _study_zone_now()
    assert "UTC" not in facts
    times = re.findall(r"\d{1,2}:\d{2}(?:\s?[AP]M)? ([A-Z]{3,4})\b", facts)
    assert len(times) == 3 and set(times) == {zone}  # started, signed, corrected
