"""French and English pages in a real browser: whole chart labels, numbers and names in the page's
language, and a site patients table that fits a 1024 px tablet; axe on every staff page visited."""
import re
from datetime import datetime

import pytest

from pro_app.extensions import db
from pro_app.questionnaires.models import InstrumentPack
from tests.browser.conftest import axe_violations, sign_in_staff
from tests.exports.study import build_small_study
from tests.staff.web import visit_of

pytestmark = pytest.mark.browser

WORDS = {
    "fr": {"month_12": "Mois 12", "visit": "Inclusion", "pack": "Pack de démonstration MMSE",
           "decimal": re.compile(r"\b\d+,\d\b"), "foreign_decimal": re.compile(r"\b\d+\.\d\b")},
    "en": {"month_12": "Month 12", "visit": "Baseline", "pack": "MMSE demo pack",
           "decimal": re.compile(r"\b\d+\.\d\b"), "foreign_decimal": re.compile(r"\b\d+,\d\b")},
}
# Every text of every line chart, with its rendered box and the box of its chart.
LABEL_BOXES = """() => [...document.querySelectorAll("svg.line-chart")].flatMap(svg => {
    const frame = svg.getBoundingClientRect();
    return [...svg.querySelectorAll("text")].map(text => {
        const box = text.getBoundingClientRect();
        return {text: text.textContent, left: box.left - frame.left, right: frame.right - box.right,
                top: box.top - frame.top, bottom: frame.bottom - box.bottom};
    });
})"""


@pytest.fixture
def study(make):
    return build_small_study(make)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_chart_labels_are_whole_and_numbers_use_the_page_language(tablet_page, make, study, lang):
    words = WORDS[lang]
    sign_in_staff(tablet_page, make.staff(role="investigator", site_code="01"), lang)
    tablet_page.goto("/reports/patients/STEP-01-001")
    boxes = tablet_page.evaluate(LABEL_BOXES)
    assert words["month_12"] in {box["text"] for box in boxes}
    cut = [box for box in boxes if min(box["left"], box["right"], box["top"], box["bottom"]) < -0.5]
    assert cut == []
    values = " ".join(tablet_page.locator("table.chart-values td").all_inner_texts())
    assert words["decimal"].search(values) and not words["foreign_decimal"].search(values)
    assert axe_violations(tablet_page) == []


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_site_patients_table_fits_a_1024_px_tablet(tablet_page, make, study, lang):
    statuses = ("partial", "not_done", "cancelled", "missed", "open")
    for number in range(3, 9):  # visits of the longest statuses in both languages, in every column
        for index, visit in enumerate(make.patient(f"STEP-01-{number:03d}", "01").visits):
            visit.status = statuses[(number + index) % len(statuses)]
            visit.completed_at = datetime(2024, 1, 1) if visit.status == "partial" else None
            visit.status_reason = "other" if visit.status == "not_done" else None
    db.session.commit()
    sign_in_staff(tablet_page, make.staff(role="nurse", site_code="01"), lang)
    tablet_page.goto("/patients/?site=01")
    assert tablet_page.locator("#all + .table-wrap table tbody tr").count() == 8
    assert tablet_page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")
    assert tablet_page.evaluate("""() => { const wrap = document.querySelector("#all + .table-wrap");
                                           return wrap.scrollWidth <= wrap.clientWidth; }""")
    assert axe_violations(tablet_page) == []


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_tablet_and_mmse_pages_name_visit_and_pack_in_the_page_language(tablet_page, make, study, lang):
    words = WORDS[lang]
    _, administration = make.questionnaire_link(make.patient("STEP-01-009", "01"))
    mmse = visit_of(study["patients"][0]).administration("mmse")
    mmse.pack_sha256 = db.session.scalar(db.select(InstrumentPack.sha256).filter_by(pack_id="mmse_demo"))
    db.session.commit()  # the factory's MMSE names the demo pack; attach its wording too
    sign_in_staff(tablet_page, make.staff(role="investigator", site_code="01"), lang)
    tablet_page.goto(f"/q/tablet/start/{administration.id}")
    assert tablet_page.locator("dl.facts dd").nth(1).inner_text() == words["visit"]
    assert axe_violations(tablet_page) == []
    tablet_page.goto(f"/mmse/{mmse.id}")
    shown = tablet_page.locator("main").inner_text()
    other = WORDS["en" if lang == "fr" else "fr"]["pack"]
    assert words["pack"] in shown and other not in shown
    assert axe_violations(tablet_page) == []
