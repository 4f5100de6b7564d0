"""The export page and the charts in a real browser: accessible (axe), both languages,
no console errors (nothing blocked by the content security policy), phones included."""
import pytest

from tests.browser.conftest import axe_violations, screenshot, sign_in_staff
from tests.exports.study import build_small_study

pytestmark = pytest.mark.browser


@pytest.fixture
def study(make):
    return build_small_study(make)


def _sign_in(page, user, lang: str) -> list[str]:
    problems = []  # what the content security policy refused (inline styles, scripts, assets)
    page.on("console", lambda message: problems.append(message.text)
            if message.type == "error" and "Refused" in message.text else None)
    sign_in_staff(page, user, lang)
    return problems


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_patient_charts_are_accessible(tablet_page, make, study, lang):
    problems = _sign_in(tablet_page, make.staff(role="investigator", site_code="01"), lang)
    tablet_page.goto("/reports/patients/STEP-01-001")
    assert tablet_page.locator("svg.line-chart").count() == 17
    assert tablet_page.locator("svg.line-chart path.flagged").count() >= 1
    assert axe_violations(tablet_page) == []
    assert problems == []
    screenshot(tablet_page, f"charts-patient-{lang}")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_site_completion_is_accessible(tablet_page, make, study, lang):
    problems = _sign_in(tablet_page, make.staff(role="data_manager", site_code=None), lang)
    tablet_page.goto("/reports/sites/01")
    assert tablet_page.locator("svg.bar-chart rect").count() >= 2
    assert axe_violations(tablet_page) == []
    assert problems == []
    screenshot(tablet_page, f"charts-site-{lang}")


def test_export_page_is_accessible_and_downloads_a_zip(tablet_page, make, study):
    problems = _sign_in(tablet_page, make.staff(role="data_manager", site_code=None), "en")
    tablet_page.goto("/exports/")
    assert axe_violations(tablet_page) == []
    for name in ("parquet", "xpt", "dta", "sav", "sdtm"):
        tablet_page.uncheck(f"input[name=formats][value={name}]")
    # Building every table takes a while on a busy machine; the download, not its speed, is tested.
    with tablet_page.expect_download(timeout=120_000) as download:
        tablet_page.click("main form button[type=submit]")
    assert download.value.suggested_filename == "STEP-export-all-sites.zip"
    assert problems == []
    screenshot(tablet_page, "exports-page")


def test_charts_fit_a_phone(phone_page, make, study):
    _sign_in(phone_page, make.staff(role="investigator", site_code="01"), "fr")
    phone_page.goto("/reports/patients/STEP-01-001")
    assert phone_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert axe_violations(phone_page) == []
