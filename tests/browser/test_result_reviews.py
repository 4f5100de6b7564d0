"""A research nurse on a clinic tablet, in French and in English, finds a flagged questionnaire on
the site dashboard and on the patient page, and marks it reviewed with a note; axe checks each page."""
import pytest

from pro_app.extensions import db
from pro_app.reviews.models import ResultReview
from tests.browser.conftest import axe_violations, screenshot, sign_in_staff
from tests.reviews.helpers import flagged_qlq

pytestmark = pytest.mark.browser
WORDS = {
    "en": {"heading": "Results to review", "pain": "Pain: 50", "button": "Mark reviewed",
           "done": "is marked reviewed", "empty": "No result waits for review."},
    "fr": {"heading": "Résultats à revoir", "pain": "Douleur : 50", "button": "Marquer comme revu",
           "done": "est marqué comme revu", "empty": "Aucun résultat n’attend de revue."},
}


def _accessible(page) -> None:
    assert axe_violations(page) == [], page.url


def _review_block(page):
    return page.locator("table[aria-labelledby=review]")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_nurse_reviews_a_flagged_questionnaire_from_the_dashboard_and_the_patient_page(tablet_page, make, lang):
    page, words = tablet_page, WORDS[lang]
    nurse = make.staff(role="nurse", site_code="01", name="Nadia Nurse")
    first, second = make.patient("STEP-01-051"), make.patient("STEP-01-052")
    flagged_qlq(make, first)
    flagged_qlq(make, second)
    make.patient("STEP-02-051", site_code="02")
    flagged_qlq(make, make.patient("STEP-02-052", site_code="02"))
    sign_in_staff(page, nurse, lang)

    page.goto("/patients/")
    _accessible(page)
    assert page.locator("h2#review").inner_text() == words["heading"]
    block = _review_block(page).inner_text()
    assert "STEP-01-051" in block and "STEP-01-052" in block and "STEP-02-052" not in block
    assert words["pain"] in block
    screenshot(page, f"staff-results-to-review-{lang}")
    row = page.locator("tr.result-to-review", has_text="STEP-01-051")
    row.locator("textarea").fill("Appel au patient / called the patient")
    row.get_by_role("button", name=words["button"]).click()
    page.wait_for_url("**/patients/#review")
    _accessible(page)
    assert words["done"] in page.locator("main").inner_text()
    assert "STEP-01-051" not in _review_block(page).inner_text()

    page.click(f"a[href^='/patients/{second.id}']")
    page.wait_for_url(f"**/patients/{second.id}*")
    _accessible(page)
    assert words["pain"] in _review_block(page).inner_text()
    page.locator("tr.result-to-review textarea").fill("RAS")
    page.locator("tr.result-to-review").get_by_role("button", name=words["button"]).click()
    page.wait_for_url(f"**/patients/{second.id}#review")
    _accessible(page)
    assert words["empty"] in page.locator("main").inner_text()
    history = page.locator("table[aria-labelledby=reviewed]").inner_text()
    assert "Nadia Nurse" in history and "RAS" in history
    db.session.expire_all()
    assert [r.note for r in db.session.scalars(db.select(ResultReview).order_by(ResultReview.id))] == [
        "Appel au patient / called the patient", "RAS"]
