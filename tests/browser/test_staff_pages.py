"""The other staff pages, in both languages at tablet size: accounts, corrections, end of follow-up,
error states of an MMSE section, the page that brings back a form kept at an idle sign-out, and
marking a visit not done."""
import pytest

from tests.browser.conftest import axe_violations, sign_in_staff

pytestmark = pytest.mark.browser


def _accessible(page, path: str, status: int = 200) -> str:
    response = page.goto(path)
    assert response.status == status, path
    assert axe_violations(page) == [], path
    return page.content()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_account_pages_are_accessible(tablet_page, make, lang):
    admin = make.staff(role="admin", site_code=None)
    nurse = make.staff(role="nurse", site_code="01")
    sign_in_staff(tablet_page, admin, lang)
    for path in ("/staff/accounts/", "/staff/accounts/new", f"/staff/accounts/{nurse.id}"):
        _accessible(tablet_page, path)
    tablet_page.goto("/staff/accounts/new")
    tablet_page.click("main form button[type=submit]")  # empty form: every error next to its field
    assert tablet_page.locator(".error").count() >= 3
    assert axe_violations(tablet_page) == []


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_patient_change_pages_and_mmse_errors_are_accessible(tablet_page, make, lang):
    nurse = make.staff(role="nurse", site_code="01")
    patient = make.patient(education_level="primary_certificate")
    mmse = next(v for v in patient.visits if v.code == "baseline").administration("mmse")
    sign_in_staff(tablet_page, nurse, lang)
    _accessible(tablet_page, f"/patients/{patient.id}/correct")
    _accessible(tablet_page, f"/patients/{patient.id}/status")
    tablet_page.goto(f"/mmse/{mmse.id}")
    tablet_page.click("main form[action$='/start'] button[type=submit]")
    tablet_page.wait_for_url("**/section/orientation_time")
    tablet_page.check("input[name=orient_time_1][value=na]")
    tablet_page.click("button[name=go][value=stay]")
    assert tablet_page.locator("#orient_time_1__reason-error").is_visible()
    assert axe_violations(tablet_page) == []


NOT_DONE = {"en": ("Not done", "Reason: "), "fr": ("Non faite", "Motif : ")}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_nurse_marks_a_visit_not_done_on_the_tablet(tablet_page, make, lang):
    nurse = make.staff(role="nurse", site_code="01")
    patient = make.patient()
    baseline = next(v for v in patient.visits if v.code == "baseline")
    sign_in_staff(tablet_page, nurse, lang)
    _accessible(tablet_page, f"/patients/{patient.id}")
    tablet_page.click(f"a[href$='/visits/{baseline.id}/not-done']")
    tablet_page.wait_for_url(f"**/visits/{baseline.id}/not-done")
    assert axe_violations(tablet_page) == []
    tablet_page.click("main form button[type=submit]")  # no reason: the error sits next to the field
    assert tablet_page.locator("#reason-error").is_visible()
    assert axe_violations(tablet_page) == []
    tablet_page.fill("#reason", "Hospitalised during the whole window")
    tablet_page.click("main form button[type=submit]")
    tablet_page.wait_for_url(f"**/patients/{patient.id}#visits")
    row = tablet_page.locator("#visits + .table-wrap tbody tr").first.inner_text()
    status, reason = NOT_DONE[lang]
    assert status in row and f"{reason}Hospitalised during the whole window" in row
    assert tablet_page.locator(".flash-success").is_visible()
    assert axe_violations(tablet_page) == []


def test_a_cookie_copied_from_the_browser_opens_nothing_after_sign_out(browser, live_server, tablet_page, make):
    nurse = make.staff(role="nurse", site_code="01")
    patient = make.patient(study_code="STEP-01-077")
    sign_in_staff(tablet_page, nurse, "en")
    stolen = tablet_page.context.cookies()
    stranger = browser.new_context(base_url=live_server.url)
    try:
        stranger.add_cookies(stolen)
        page = stranger.new_page()
        assert page.goto(f"/patients/{patient.id}").status == 200 and "STEP-01-077" in page.content()
        tablet_page.click("form[action$='/staff/logout'] button[type=submit]")
        tablet_page.wait_for_url("**/staff/login")
        page.goto(f"/patients/{patient.id}")
        assert "/staff/login" in page.url and "STEP-01-077" not in page.content()
    finally:
        stranger.close()
