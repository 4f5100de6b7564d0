"""Issue 15 in the browser, in both languages: registration refusals, the dashboard's list of
patients who cannot be reached, a code lookup that misses, a status change and its correction,
a resend, and the message calendar's link back; axe on every staff page visited."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.browser.conftest import axe_violations, sign_in_staff

pytestmark = pytest.mark.browser

TODAY = datetime.now(ZoneInfo("Europe/Paris")).date()
TEXT = {
    "en": {"past": "more than 365 days ago", "site": "This code belongs to site 02",
           "phone": "enter a mobile number", "unreachable": "no mobile number recorded",
           "miss": "No patient with the study code STEP-01-404.", "resume": "Back to active follow-up",
           "send": "Send the link now", "planned": "A resend is already planned for", "back": "Back to patient"},
    "fr": {"past": "antérieure de plus de 365 jours", "site": "Ce code appartient au centre 02",
           "phone": "saisissez un numéro de mobile", "unreachable": "aucun numéro de mobile enregistré",
           "miss": "Aucun patient avec le code d'étude STEP-01-404.", "resume": "Remettre en suivi actif",
           "send": "Envoyer le lien maintenant", "planned": "Un renvoi est déjà prévu le", "back": "Retour au patient"},
}


def _no_violations(page) -> None:
    assert axe_violations(page) == [], page.url


def _register(page, **fields) -> None:
    page.goto("/patients/register")
    values = {"#study_code": "STEP-01-042", "#phone": "06 12 34 56 78",
              "#inclusion_date": (TODAY - timedelta(days=1)).isoformat(),
              "#radiotherapy_date": (TODAY + timedelta(days=6)).isoformat()}
    values.update(fields)
    for selector, value in values.items():
        page.fill(selector, value)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_registration_refusals_and_the_unreachable_list(tablet_page, make, lang):
    text = TEXT[lang]
    sign_in_staff(tablet_page, make.staff(role="nurse", site_code="01"), lang)
    _register(tablet_page, **{"#inclusion_date": "1999-03-01", "#radiotherapy_date": "1999-03-08"})
    assert text["past"] in tablet_page.locator("#inclusion_date-error").inner_text()
    _no_violations(tablet_page)
    _register(tablet_page, **{"#study_code": "STEP-02-042"})
    assert text["site"] in tablet_page.locator("#study_code-error").inner_text()
    _register(tablet_page, **{"#phone": ""})
    assert text["phone"] in tablet_page.locator("#phone-error").inner_text()
    _no_violations(tablet_page)
    make.patient(study_code="STEP-01-063", phone=None)  # registered before the rule
    tablet_page.goto("/patients/")
    assert text["unreachable"] in tablet_page.locator("#optout + ul").inner_text()
    _no_violations(tablet_page)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_code_is_found_whatever_its_case_and_a_miss_says_so(tablet_page, make, lang):
    patient = make.patient(study_code="STEP-01-099")
    sign_in_staff(tablet_page, make.staff(role="nurse", site_code="01"), lang)
    tablet_page.goto("/patients/")
    tablet_page.fill("#find-code", "step-01-099")
    tablet_page.click("form[role=search] button[type=submit]")
    tablet_page.wait_for_url(f"**/patients/{patient.id}")
    tablet_page.goto("/patients/")
    tablet_page.fill("#find-code", "STEP-01-404")
    tablet_page.click("form[role=search] button[type=submit]")
    tablet_page.wait_for_load_state()
    assert TEXT[lang]["miss"] in tablet_page.locator("#find-code-error").inner_text()
    _no_violations(tablet_page)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_status_change_with_its_date_then_its_correction(tablet_page, make, lang):
    patient = make.patient(inclusion=TODAY - timedelta(days=2))
    sign_in_staff(tablet_page, make.staff(role="nurse", site_code="01"), lang)
    tablet_page.goto(f"/patients/{patient.id}/status")
    tablet_page.select_option("#status", "withdrawn")
    tablet_page.fill("#event_date", (TODAY + timedelta(days=3)).isoformat())
    tablet_page.fill("#reason", "Letter")
    tablet_page.check("#confirm")
    tablet_page.click("main form button[type=submit]")
    assert tablet_page.locator("#event_date-error").is_visible()
    _no_violations(tablet_page)
    tablet_page.fill("#event_date", TODAY.isoformat())
    tablet_page.check("#confirm")
    tablet_page.click("main form button[type=submit]")
    tablet_page.wait_for_url(f"**/patients/{patient.id}")
    _no_violations(tablet_page)
    tablet_page.click(f"a[href$='/patients/{patient.id}/status']")
    tablet_page.wait_for_url(f"**/patients/{patient.id}/status")
    _no_violations(tablet_page)
    tablet_page.fill("#reason", "Wrong patient")
    tablet_page.click(f"text={TEXT[lang]['resume']}")
    tablet_page.wait_for_url(f"**/patients/{patient.id}")
    assert tablet_page.locator(".flash-success").is_visible()
    assert tablet_page.locator(f"a[href$='/patients/{patient.id}/correct']").is_visible()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_resend_shows_it_is_pending_and_the_calendar_links_back(tablet_page, make, lang):
    text = TEXT[lang]
    patient = make.patient(inclusion=TODAY - timedelta(days=1))
    sign_in_staff(tablet_page, make.staff(role="nurse", site_code="01"), lang)
    tablet_page.goto(f"/patients/{patient.id}")
    tablet_page.click(f"button:has-text('{text['send']}')")
    tablet_page.wait_for_url(f"**/patients/{patient.id}")
    assert tablet_page.locator(".flash-success").is_visible()
    assert text["planned"] in tablet_page.content()
    _no_violations(tablet_page)
    tablet_page.goto(f"/staff/messages/patient/{patient.id}")
    _no_violations(tablet_page)
    tablet_page.click(f"text={text['back']}")
    tablet_page.wait_for_url(f"**/patients/{patient.id}")
