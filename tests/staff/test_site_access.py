"""Role and site scoping: another site's patient is a 404, by URL and by form; roles decide changes."""
import pytest

from pro_app.audit.models import AuditEntry
from pro_app.extensions import db
from pro_app.patients.models import Patient
from tests.staff.web import html, post, sign_in, visit_of


@pytest.fixture
def other_site_patient(make):
    return make.patient(study_code="STEP-02-007", site_code="02")


def _audit_actions() -> list[str]:
    return list(db.session.scalars(db.select(AuditEntry.action)))


def test_a_nurse_cannot_read_another_sites_patient_by_url(client, nurse, other_site_patient):
    baseline = visit_of(other_site_patient)
    mmse = baseline.administration("mmse")
    for url in (f"/patients/{other_site_patient.id}", f"/patients/{other_site_patient.id}/correct",
                f"/patients/{other_site_patient.id}/status", f"/mmse/{mmse.id}",
                f"/mmse/{mmse.id}/section/recall", f"/mmse/{mmse.id}/sign"):
        assert client.get(url).status_code == 404, url
    assert client.get(f"/patients/{other_site_patient.id + 1000}").status_code == 404  # as for an unknown patient


def test_a_nurse_cannot_change_another_sites_patient_by_form(client, nurse, other_site_patient):
    baseline = visit_of(other_site_patient)
    mmse, qlq = baseline.administration("mmse"), baseline.administration("qlq_c30")
    before = len(_audit_actions())
    attempts = {
        f"/patients/{other_site_patient.id}/correct": {"study_code": "STEP-02-008", "reason": "typo", "version": "1"},
        f"/patients/{other_site_patient.id}/status": {"status": "withdrawn", "reason": "x", "confirm": "y",
                                                      "version": "1"},
        f"/patients/administrations/{qlq.id}/resend": {},
        f"/mmse/{mmse.id}/start": {"language": "fr", "version": "1"},
        f"/mmse/{mmse.id}/section/recall": {"recall_1": "1", "version": "1"},
    }
    for url, data in attempts.items():
        assert post(client, url, data).status_code == 404, url
    assert client.get("/patients/find", query_string={"study_code": "STEP-02-007"}).status_code == 404
    db.session.expire_all()
    assert db.session.get(Patient, other_site_patient.id).study_code == "STEP-02-007"
    assert len(_audit_actions()) == before


def test_registration_refuses_another_site_and_the_dashboard_hides_it(client, nurse, other_site_patient, make):
    own = make.patient(study_code="STEP-01-005")
    response = post(client, "/patients/register", {
        "site": "02", "study_code": "STEP-02-009", "language": "fr", "timezone": "Europe/Paris",
        "inclusion_date": "2026-01-05", "radiotherapy_date": "2026-01-12", "sms_consent": "y"})
    assert response.status_code == 400
    assert db.session.scalar(db.select(Patient).filter_by(study_code="STEP-02-009")) is None
    dashboard = html(client.get("/patients/"))
    assert own.study_code in dashboard and "STEP-02-007" not in dashboard
    assert client.get("/patients/?site=02").status_code == 404


def test_a_data_manager_reads_every_site_and_changes_nothing(client, make, other_site_patient):
    sign_in(client, make.staff(role="data_manager", site_code=None))
    assert client.get(f"/patients/{other_site_patient.id}").status_code == 200
    assert "STEP-02-007" in html(client.get("/patients/"))
    assert client.get("/patients/register").status_code == 403
    assert post(client, f"/patients/{other_site_patient.id}/correct", {"reason": "x"}).status_code == 403
    mmse = visit_of(other_site_patient).administration("mmse")
    assert client.get(f"/mmse/{mmse.id}").status_code == 200
    assert post(client, f"/mmse/{mmse.id}/start", {"language": "fr"}).status_code == 403


def test_an_administrator_manages_accounts_but_sees_no_patient(client, make, other_site_patient):
    sign_in(client, make.staff(role="admin", site_code=None))
    assert client.get("/patients/").status_code == 403
    assert client.get(f"/patients/{other_site_patient.id}").status_code == 403
    assert client.get("/staff/accounts/").status_code == 200


def test_signed_out_visitors_are_sent_to_sign_in(client, other_site_patient):
    response = client.get(f"/patients/{other_site_patient.id}")
    assert response.status_code == 302 and "/staff/login" in response.headers["Location"]


def test_the_menu_offers_what_the_role_may_use(client, make):
    sign_in(client, make.staff(role="nurse"))
    home = html(client.get("/?lang=en"))
    assert 'href="/patients/"' in home and 'href="/patients/register"' in home
    assert 'href="/staff/accounts/"' not in home
