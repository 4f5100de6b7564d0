"""With JavaScript disabled the questionnaire is plain HTML forms, skip confirmation included.

axe needs JavaScript, so it runs on the same pages in the JavaScript-enabled tests.
"""
from __future__ import annotations

import pytest

from pro_app.extensions import db
from pro_app.instruments.qlq_c30 import PAGES
from pro_app.questionnaires.models import Administration
from tests.browser.questionnaire_helpers import answer_page, choose, expect_page

pytestmark = pytest.mark.browser


def test_complete_without_javascript(no_js_phone_page, make):
    token, administration = make.questionnaire_link()
    page = no_js_phone_page
    page.goto(f"/q/{token}")
    page.get_by_role("button", name="Commencer").click()
    for item in (1, 2, 3):
        choose(page, item, 2)
    page.get_by_role("button", name="Suivant", exact=True).click()
    page.wait_for_load_state()
    prompt = page.locator("#skip-prompt")
    assert prompt.is_visible() and "2 questions sans réponse" in prompt.inner_text()
    assert page.locator("input[name=q1]:checked").get_attribute("value") == "2"  # kept on the server
    page.get_by_role("button", name="Continuer sans répondre").click()
    for number in range(2, len(PAGES) + 1):
        expect_page(page, number)
        answer_page(page, number, "fr", check=False)
    page.wait_for_url("**/review")
    assert page.locator(".unanswered-list li").count() == 2
    page.get_by_role("button", name="Envoyer mes réponses").click()
    page.wait_for_url("**/thanks")
    db.session.expire_all()
    row = db.session.get(Administration, administration.id)
    assert row.status == "submitted"
    assert sorted(a.item_code for a in row.answers if a.state == "skipped") == ["q4", "q5"]
