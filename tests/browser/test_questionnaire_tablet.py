"""Clinic tablet: the nurse hands over, the patient answers, the tablet locks and shows nothing."""
from __future__ import annotations

import pytest

from pro_app.instruments.qlq_c30 import PAGES
from tests.browser.conftest import screenshot
from tests.browser.questionnaire_helpers import answer_page, assert_accessible

pytestmark = pytest.mark.browser


def test_self_completion_on_a_clinic_tablet(tablet_page, make):
    _, administration = make.questionnaire_link()
    nurse = make.staff(role="nurse", site_code="01")
    study_code = administration.visit.patient.study_code
    page = tablet_page
    page.goto("/staff/login")
    page.fill("input[name=email]", nurse.email)
    page.fill("input[name=password]", "correct-horse-battery")
    page.locator("form button[type=submit]").click()
    page.goto(f"/q/tablet/start/{administration.id}")
    assert study_code in page.locator("main").inner_text()
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/q/*")
    assert study_code not in page.content() and nurse.display_name not in page.content()
    page.get_by_role("button", name="Commencer").click()
    for number in range(1, len(PAGES) + 1):
        answer_page(page, number, "fr", check=False)
    page.wait_for_url("**/review")
    page.get_by_role("button", name="Envoyer mes réponses").click()
    page.wait_for_url("**/q/tablet/locked*")
    assert page.get_by_role("heading", level=1).inner_text() == "Cette tablette est verrouillée"
    assert study_code not in page.content()
    assert_accessible(page)
    screenshot(page, "questionnaire-tablet-locked")
    page.go_back()
    assert study_code not in page.content() and "checked" not in page.content()
    page.goto("/staff/me")
    page.wait_for_url("**/staff/login*")
