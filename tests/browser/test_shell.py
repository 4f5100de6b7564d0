import pytest

from tests.browser.conftest import axe_violations

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang, heading", [("fr", "Questionnaires patients"), ("en", "Patient-reported outcomes")])
def test_front_page_in_both_languages_is_accessible(phone_page, lang, heading):
    phone_page.goto(f"/?lang={lang}")
    assert phone_page.locator("html").get_attribute("lang") == lang
    assert phone_page.locator("h1").inner_text() == heading
    assert axe_violations(phone_page) == []
