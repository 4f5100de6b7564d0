"""The audit trail page, in both languages, at tablet and phone size: accessible, nothing overflows."""
import pytest

from pro_app.audit.services import Actor, record
from pro_app.extensions import db
from tests.browser.conftest import axe_violations, screenshot, sign_in_staff
from tests.staff.web import visit_of

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


READABLE = {"en": ("MMSE items saved", "Questionnaire: STEP-01-042 · Baseline · MMSE",
                   "Status: In follow-up → Withdrawn",
                   "0 item(s) without an answer, 2 reminder(s) cancelled, 1 link(s) revoked"),
            "fr": ("Éléments du MMSE enregistrés", "Questionnaire : STEP-01-042 · Inclusion · MMSE",
                   "Statut : Suivi en cours → Sorti de l’étude",
                   "0 élément(s) sans réponse, 2 rappel(s) annulé(s), 1 lien(s) révoqué(s)")}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_entries_read_as_sentences_and_fit_a_tablet(tablet_page, make, lang):

    manager = make.staff(role="data_manager", site_code=None)
    patient = make.patient(study_code="STEP-01-042")
    mmse = visit_of(patient).administration("mmse")
    record("save_items", "administration", mmse.id, field="orientation_time", patient_id=patient.id,
           old={f"orient_time_{n}": 0 for n in range(1, 6)}, new={f"orient_time_{n}": 1 for n in range(1, 6)})
    record("change_status", "patient", patient.id, field="status", old="active", new="withdrawn",
           reason="moved away; " + "long explanation " * 20, patient_id=patient.id)
    record("submit", "administration", mmse.id, field="status", old="in_progress", new="submitted",
           reason="0 item(s) without an answer, 2 reminder(s) cancelled, 1 link(s) revoked", patient_id=patient.id)
    record("register", "patient", patient.id, patient_id=patient.id,
           new={"study_code": patient.study_code, "site": "01", "language": "fr", "inclusion_date": "2025-01-02"})
    db.session.commit()
    sign_in_staff(tablet_page, manager, lang)
    tablet_page.goto("/audit/")
    table = tablet_page.locator("table.audit-table")
    text = " ".join(table.inner_text().split())
    for readable in READABLE[lang]:
        assert readable in text
    assert "save_items" not in text and '{"' not in text and "in_progress" not in text
    assert tablet_page.evaluate("document.scrollingElement.scrollWidth <= document.scrollingElement.clientWidth")
    assert tablet_page.evaluate("(w => w.scrollWidth <= w.clientWidth)(document.querySelector('.table-wrap'))")
    assert axe_violations(tablet_page) == []
