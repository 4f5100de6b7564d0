"""A patient completes the QLQ-C30 on a phone, in French and in English, with axe on every page."""
from __future__ import annotations

import pytest

from pro_app.audit.models import AuditEntry
from pro_app.extensions import db
from pro_app.instruments.qlq_c30 import PAGES
from pro_app.questionnaires.models import Administration, ItemAnswer
from tests.browser.conftest import screenshot
from tests.browser.questionnaire_helpers import (
    TEXTS,
    answer_page,
    assert_accessible,
    choose,
    expect_page,
)

pytestmark = pytest.mark.browser


def _administration(administration_id):
    db.session.expire_all()
    return db.session.get(Administration, administration_id)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_complete_the_questionnaire(phone_page, make, lang):
    token, administration = make.questionnaire_link(language=lang)
    page, texts = phone_page, TEXTS[lang]
    assert page.goto(f"/q/{token}").status == 200
    assert page.locator("html").get_attribute("lang") == lang
    assert_accessible(page)
    if lang == "fr":
        screenshot(page, "questionnaire-start")
    page.get_by_role("button", name=texts["start"]).click()
    for number in range(1, len(PAGES) + 1):
        expect_page(page, number)
        if lang == "fr" and number == 2:
            choose(page, 6, 2)
            screenshot(page, "questionnaire-item-page")
        answer_page(page, number, lang)
    page.wait_for_url("**/review")
    assert_accessible(page)
    page.get_by_role("button", name=texts["send"]).click()
    page.wait_for_url("**/thanks")
    assert page.get_by_role("heading", level=1).inner_text() == texts["thanks"]
    assert_accessible(page)
    if lang == "fr":
        screenshot(page, "questionnaire-thank-you")
    row = _administration(administration.id)
    assert row.status == "submitted" and row.language == lang and len(row.answers) == 30
    assert {a.state for a in row.answers} == {"answered"}


def test_skip_two_items_and_see_them_on_the_review_screen(phone_page, make):
    token, administration = make.questionnaire_link()
    page = phone_page
    page.goto(f"/q/{token}")
    page.get_by_role("button", name="Commencer").click()
    for item in (1, 2, 3, 5):
        choose(page, item, 1)
    page.get_by_role("button", name="Suivant", exact=True).click()
    prompt = page.locator("#skip-prompt")
    prompt.wait_for(state="visible")  # the inline prompt: no dialog, no round trip
    assert "/page/1" in page.url and "1 question sans réponse" in prompt.inner_text()
    assert_accessible(page)
    page.get_by_role("button", name="Continuer sans répondre").click()
    for number in range(2, len(PAGES) + 1):
        expect_page(page, number)
        answer_page(page, number, "fr", skip=(17,), check=False)
    page.wait_for_url("**/review")
    listed = page.locator(".unanswered-list li")
    assert listed.count() == 2
    assert "4." in listed.nth(0).inner_text() and "17." in listed.nth(1).inner_text()
    assert_accessible(page)
    screenshot(page, "questionnaire-review")
    listed.nth(1).get_by_role("link").click()
    page.wait_for_url("**/page/5#item-q17")
    db.session.expire_all()
    skipped = db.session.scalars(db.select(ItemAnswer.item_code).filter_by(administration_id=administration.id,
                                                                             state="skipped"))
    assert sorted(skipped) == ["q17", "q4"]


def test_close_mid_way_and_resume_on_another_device(browser, live_server, make):
    token, _ = make.questionnaire_link()
    first = browser.new_context(viewport={"width": 360, "height": 740}, base_url=live_server.url)
    page = first.new_page()
    page.goto(f"/q/{token}")
    page.get_by_role("button", name="Commencer").click()
    answer_page(page, 1, "fr", check=False)
    expect_page(page, 2)
    answer_page(page, 2, "fr", check=False)
    expect_page(page, 3)
    first.close()
    second = browser.new_context(viewport={"width": 360, "height": 740}, base_url=live_server.url)
    page = second.new_page()
    page.goto(f"/q/{token}")
    page.get_by_role("button", name="Continuer").click()
    expect_page(page, 3)
    page.goto(f"/q/{token}/page/1")
    assert page.locator("input[name=q4]:checked").get_attribute("value") == "3"
    second.close()


def test_double_submit_and_two_tabs_submit_once(phone_page, make):
    token, administration = make.questionnaire_link()
    page = phone_page
    page.goto(f"/q/{token}")
    page.get_by_role("button", name="Commencer").click()
    for number in range(1, len(PAGES) + 1):
        answer_page(page, number, "fr", check=False)
    page.wait_for_url("**/review")
    other_tab = page.context.new_page()
    other_tab.goto(f"/q/{token}/review")
    page.get_by_role("button", name="Envoyer mes réponses").dblclick()
    page.wait_for_url("**/thanks")
    other_tab.get_by_role("button", name="Envoyer mes réponses").click()
    other_tab.wait_for_url("**/thanks")
    db.session.expire_all()
    assert _administration(administration.id).status == "submitted"
    for action in ("submit", "score"):
        assert len(db.session.scalars(db.select(AuditEntry).filter_by(action=action)).all()) == 1


def test_switching_language_keeps_the_answer_just_chosen(phone_page, make):
    token, administration = make.questionnaire_link()
    page = phone_page
    page.goto(f"/q/{token}")
    page.get_by_role("button", name="Commencer").click()
    choose(page, 2, 4)
    page.get_by_role("link", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("input[name=q2]:checked").get_attribute("value") == "4"
    db.session.expire_all()
    assert _administration(administration.id).visit.patient.language == "en"
