"""The remaining patient pages, in both languages: refused form, not yet open, skip prompt, locked tablet."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.browser.questionnaire_helpers import TEXTS, assert_accessible, choose

pytestmark = pytest.mark.browser
LANGS = ["fr", "en"]


@pytest.mark.parametrize("lang", LANGS)
def test_a_refused_page_explains_and_offers_the_way_back(phone_page, make, lang):
    token, _ = make.questionnaire_link(language=lang)
    phone_page.goto(f"/q/{token}")
    phone_page.get_by_role("button", name=TEXTS[lang]["start"]).click()
    for item in range(1, 6):
        choose(phone_page, item, 2)
    phone_page.evaluate("document.querySelector('input[name=page_key]').value = 'tampered'")
    with phone_page.expect_navigation() as navigation:
        phone_page.get_by_role("button", name=TEXTS[lang]["next"], exact=True).click()
    assert navigation.value.status == 400
    assert phone_page.locator("html").get_attribute("lang") == lang
    assert phone_page.locator("a.button").get_attribute("href").endswith("/page/1")
    assert_accessible(phone_page)


@pytest.mark.parametrize("lang", LANGS)
def test_skip_prompt_and_not_yet_open_pages_are_accessible(phone_page, make, lang):
    later = date.today() + timedelta(days=30)
    closed_token, _ = make.questionnaire_link(language=lang, inclusion=later, radiotherapy=later + timedelta(days=5))
    assert phone_page.goto(f"/q/{closed_token}").status == 403
    assert_accessible(phone_page)
    token, _ = make.questionnaire_link(language=lang)
    phone_page.goto(f"/q/{token}")
    phone_page.get_by_role("button", name=TEXTS[lang]["start"]).click()
    phone_page.get_by_role("button", name=TEXTS[lang]["next"], exact=True).click()
    phone_page.locator("#skip-prompt").wait_for(state="visible")
    assert phone_page.evaluate("document.activeElement.id") == "skip-prompt"
    assert_accessible(phone_page)


@pytest.mark.parametrize("lang, heading", [("fr", "Cette tablette est verrouillée"), ("en", "This tablet is locked")])
def test_locked_tablet_page_is_accessible(phone_page, app, lang, heading):
    phone_page.goto(f"/q/tablet/locked?lang={lang}")
    assert phone_page.get_by_role("heading", level=1).inner_text() == heading
    assert_accessible(phone_page)
