"""Charts: who may see them, what they draw (values, flags, gaps), both languages, no assets."""
import re
from datetime import date
from xml.etree import ElementTree

import pytest

from tests.integrity.web import sign_in

SVG = re.compile(r"<svg class=\"chart.*?</svg>", re.S)


def _svgs(html: str) -> list[ElementTree.Element]:
    return [ElementTree.fromstring(block) for block in SVG.findall(html)]


def _title(svg) -> str:
    return svg.find("{http://www.w3.org/2000/svg}title").text


def _desc(svg) -> str:
    return svg.find("{http://www.w3.org/2000/svg}desc").text


@pytest.fixture
def investigator(client, make, study):
    return sign_in(client, make.staff(role="investigator", site_code="01"))


def test_patient_charts_draw_each_scale_and_the_mmse(investigator):
    html = investigator.get("/reports/patients/STEP-01-001?lang=en").get_data(as_text=True)
    svgs = _svgs(html)
    assert len(svgs) == 17  # the MMSE, 15 scales and the summary score
    titles = [_title(svg) for svg in svgs]
    assert titles[0] == "MMSE total across visits" and "Physical functioning across visits" in titles
    for svg in svgs:
        assert svg.get("role") == "img" and svg.get("aria-labelledby").endswith("-title " + svg.get(
            "aria-labelledby").split()[0][:-6] + "-desc")
    pf2 = next(svg for svg in svgs if _title(svg) == "Physical functioning across visits")
    assert "Baseline: 53.3, flagged: beyond the threshold for clinical importance (83)." in _desc(pf2)
    assert "Month 6: no value." in _desc(pf2)


def test_flagged_values_are_marked_and_missing_visits_break_the_line(investigator):
    html = investigator.get("/reports/patients/STEP-01-001?lang=en").get_data(as_text=True)
    pf2 = next(svg for svg in _svgs(html) if _title(svg) == "Physical functioning across visits")
    ns = "{http://www.w3.org/2000/svg}"
    flagged = [p for p in pf2.iter(f"{ns}path") if "flagged" in p.get("class", "")]
    plain = [c for c in pf2.iter(f"{ns}circle") if "marker" in c.get("class", "")]
    assert len(flagged) + len(plain) == 2  # baseline and month 3; months 6-12 have no value
    assert flagged and len(list(pf2.iter(f"{ns}polyline"))) == 1
    assert len(list(pf2.iter(f"{ns}line"))) >= 5  # grid lines and the dashed threshold
    assert "flagged-row" in html


def test_charts_use_no_external_assets_or_inline_styles(investigator):
    html = investigator.get("/reports/patients/STEP-01-001?lang=en").get_data(as_text=True)
    for block in SVG.findall(html):
        assert "href" not in block and "style=" not in block and "<style" not in block and "<script" not in block


def test_charts_read_in_french(investigator):
    html = investigator.get("/reports/patients/STEP-01-001?lang=fr").get_data(as_text=True)
    titles = [_title(svg) for svg in _svgs(html)]
    assert "MMSE total au fil des visites" in titles
    assert "Fonctionnement physique au fil des visites" in titles
    assert "Inclusion" in html and 'lang="fr"' in html


def test_mmse_prorated_totals_are_shown_as_such(investigator):
    from pro_app.extensions import db
    from pro_app.questionnaires.models import Score
    prorated = db.session.scalars(db.select(Score.value).filter_by(scale="MMSE_PRORATED").order_by(Score.id)).all()
    html = investigator.get("/reports/patients/STEP-01-002?lang=en").get_data(as_text=True)
    mmse = _svgs(html)[0]
    assert f"Baseline: {prorated[1]:.1f} (prorated, not a total)." in _desc(mmse)
    assert any("prorated" in c.get("class", "") for c in mmse.iter("{http://www.w3.org/2000/svg}circle"))


def test_site_completion_table_and_chart(investigator):
    html = investigator.get("/reports/sites/01?lang=en").get_data(as_text=True)
    bars = _svgs(html)
    assert len(bars) == 2 and _title(bars[0]) == "Completion by visit: EORTC QLQ-C30 version 3.0"
    assert "Baseline: Completed in window 2." in _desc(bars[0])
    assert "Month 3: Completed late 1, Missed 1." in _desc(bars[0])
    assert "STEP-01-002" in html and "STEP-02-001" not in html
    assert "<th scope=\"col\">Completed in window</th>" in html


def test_investigators_see_only_their_own_site(investigator):
    assert investigator.get("/reports/patients/STEP-02-001").status_code == 404  # as for an unknown code
    assert investigator.get("/reports/sites/02").status_code == 404
    assert investigator.get("/reports/patients/STEP-99-999").status_code == 404
    index = investigator.get("/reports/?lang=en").get_data(as_text=True)
    assert "Site 01" in index and "Site 02" not in index
    lookup = investigator.get("/reports/?code=STEP-01-002")
    assert lookup.status_code == 302 and lookup.headers["Location"].endswith("/reports/patients/STEP-01-002")


def test_data_managers_see_every_site_and_nurses_none(client, make, study):
    sign_in(client, make.staff(role="data_manager", site_code=None))
    assert client.get("/reports/sites/02").status_code == 200
    assert client.get("/reports/patients/STEP-02-001").status_code == 200
    client.post("/staff/logout")
    other = client.application.test_client()
    sign_in(other, make.staff(role="nurse", site_code="01"))
    assert other.get("/reports/patients/STEP-01-001").status_code == 403
    assert other.get("/reports/sites/01").status_code == 403


def test_a_patient_without_scores_gets_a_calm_page(client, make, study):
    make.patient("STEP-01-050", "01", inclusion=date(2024, 2, 1), radiotherapy=date(2024, 2, 8))
    sign_in(client, make.staff(role="investigator", site_code="01"))
    html = client.get("/reports/patients/STEP-01-050?lang=en").get_data(as_text=True)
    assert "No questionnaire of this patient has been scored yet." in html
    assert len(_svgs(html)) == 17


@pytest.mark.parametrize("lang, shown, foreign", [("fr", "Inclusion : 53,3", "53.3"), ("en", "Baseline: 53.3", "53,3")])
def test_scores_are_written_with_the_decimal_sign_of_the_page_language(investigator, lang, shown, foreign):
    html = investigator.get(f"/reports/patients/STEP-01-001?lang={lang}").get_data(as_text=True)
    pf2 = next(svg for svg in _svgs(html) if svg.get("aria-labelledby").startswith("c30-pf2-"))
    assert shown in _desc(pf2) and foreign not in html
    assert re.search(r"<td>53[.,]3</td>", html).group(0) == f"<td>{shown[-4:]}</td>"
