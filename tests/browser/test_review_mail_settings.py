"""The administrator turns a site's review e-mails on, in French and in English; axe checks the page."""
import pytest

from pro_app.extensions import db
from pro_app.study.models import Site
from tests.browser.conftest import axe_violations, screenshot, sign_in_staff

pytestmark = pytest.mark.browser
WORDS = {"en": ("Review e-mails", "Turn on", "are now on", "On"),
         "fr": ("E-mails de revue", "Activer", "sont activés", "Activés")}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_an_administrator_turns_on_the_review_mail_of_a_site(tablet_page, make, lang):
    page = tablet_page
    heading, button, done, state = WORDS[lang]
    make.site("01")
    make.staff(role="investigator", site_code="01")
    sign_in_staff(page, make.staff(role="admin", site_code=None), lang)
    page.click(f"main a:has-text('{heading}')")  # the home page's menu
    page.wait_for_url("**/reviews/sites")
    assert axe_violations(page) == []
    row = page.locator("tr.site-mail", has_text="01")
    row.get_by_role("button", name=button).click()
    page.wait_for_url("**/reviews/sites")
    assert axe_violations(page) == []
    assert done in page.locator("main").inner_text()
    assert state in page.locator("tr.site-mail", has_text="01").inner_text()
    screenshot(page, f"admin-review-mail-{lang}")
    db.session.expire_all()
    assert db.session.scalar(db.select(Site.review_mail).filter_by(code="01")) is True
