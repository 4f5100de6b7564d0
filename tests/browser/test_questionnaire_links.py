"""Expired, completed and revoked links: a kind, accessible page in the patient's language."""
from __future__ import annotations

from datetime import timedelta

import pytest

from pro_app.extensions import db
from pro_app.questionnaires.links import issue_link
from pro_app.questionnaires.models import PatientLink
from tests.browser.conftest import screenshot
from tests.browser.questionnaire_helpers import assert_accessible

pytestmark = pytest.mark.browser
CONTACT = {"fr": "contactez votre centre d'étude", "en": "please contact your study site"}


def _expire(token_administration):
    _, administration = token_administration
    for link in db.session.scalars(db.select(PatientLink).filter_by(administration_id=administration.id)):
        link.valid_until = link.valid_from
    db.session.commit()


def _complete(token_administration, make):
    make.qlq_answers(token_administration[1], [2] * 30)


def _revoke(token_administration):
    issue_link(token_administration[1], revoke_others=True)
    db.session.commit()


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("state, status, heading", [
    ("expired", 410, {"fr": "Ce questionnaire est fermé", "en": "This questionnaire is closed"}),
    ("completed", 410, {"fr": "Ce questionnaire a déjà été envoyé", "en": "This questionnaire has already been sent"}),
    ("revoked", 410, {"fr": "Ce lien ne fonctionne plus", "en": "This link no longer works"}),
])
def test_unusable_links_explain_what_to_do(phone_page, make, lang, state, status, heading):
    link = make.questionnaire_link(language=lang)
    {"expired": _expire, "revoked": _revoke, "completed": lambda found: _complete(found, make)}[state](link)
    response = phone_page.goto(f"/q/{link[0]}")
    assert response.status == status
    assert phone_page.locator("html").get_attribute("lang") == lang
    assert phone_page.get_by_role("heading", level=1).inner_text() == heading[lang]
    assert CONTACT[lang] in phone_page.locator("main").inner_text()
    assert phone_page.locator("form").count() == 0
    assert_accessible(phone_page)
    if (state, lang) == ("expired", "fr"):
        screenshot(phone_page, "questionnaire-expired-link")


@pytest.mark.parametrize("lang, heading", [("fr", "Nous ne trouvons pas ce questionnaire"),
                                           ("en", "We cannot find this questionnaire")])
def test_unknown_link_uses_the_browser_language(browser, live_server, app, lang, heading):
    context = browser.new_context(viewport={"width": 360, "height": 740}, base_url=live_server.url, locale=lang)
    page = context.new_page()
    assert page.goto("/q/AAAAAAAAAAAAAAAAAAAAAA").status == 404
    assert page.get_by_role("heading", level=1).inner_text() == heading
    assert_accessible(page)
    context.close()


def test_a_link_that_is_not_open_yet_says_when(phone_page, make):
    from datetime import date
    later = date.today() + timedelta(days=30)
    token, _ = make.questionnaire_link(inclusion=later, radiotherapy=later + timedelta(days=5))
    assert phone_page.goto(f"/q/{token}").status == 403
    assert str(later.day) in phone_page.locator("main").inner_text()
    assert_accessible(phone_page)
