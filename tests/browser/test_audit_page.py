"""The audit trail page, in both languages, at tablet and phone size: accessible, nothing overflows."""
import pytest

from pro_app.audit.services import Actor, record
from pro_app.extensions import db
from tests.browser.conftest import axe_violations, screenshot, sign_in_staff

pytestmark = pytest.mark.browser


def _no_horizontal_overflow(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_audit_page_with_entries_and_a_filter_error(tablet_page, make, lang):
    manager = make.staff(role="data_manager", site_code=None)
    nurse = make.staff(role="nurse", name="Nina Nurse")
    patient = make.patient(study_code="STEP-01-042")
    record("correct", "patient", patient.id, field="language", old="fr", new="en", patient_id=patient.id,
           reason="x" * 300, actor=Actor("staff", nurse.id, "nurse"))
    db.session.commit()
    sign_in_staff(tablet_page, manager, lang)
    tablet_page.click("main a[href='/audit/']")
    assert tablet_page.locator("table.audit-table tbody tr").count() >= 3
    assert axe_violations(tablet_page) == []
    screenshot(tablet_page, f"audit-trail-{lang}")
    tablet_page.fill("#audit-since", "2025-03-02")
    tablet_page.fill("#audit-until", "2025-03-01")
    tablet_page.click("main form button[type=submit]")
    assert tablet_page.locator("#audit-error").is_visible()
    assert tablet_page.get_attribute("#audit-until", "aria-invalid") == "true"
    assert axe_violations(tablet_page) == []


def test_audit_page_fits_a_phone(phone_page, make):
    sign_in_staff(phone_page, make.staff(role="admin", site_code=None), "fr")
    phone_page.goto("/audit/")
    _no_horizontal_overflow(phone_page)
    assert axe_violations(phone_page) == []
