import csv
import io
from datetime import datetime

import pytest

from pro_app.audit import services
from pro_app.audit.models import AuditEntry
from pro_app.audit.routes import PER_PAGE
from pro_app.audit.services import Actor, record
from pro_app.extensions import db
from tests.integrity.web import sign_in


@pytest.fixture
def data_manager(client, make):
    user = make.staff(role="data_manager", site_code=None, name="Dana Manager")
    sign_in(client, user)
    return user


def _html(response) -> str:
    return response.get_data(as_text=True)


@pytest.mark.parametrize("role, status", [("nurse", 403), ("investigator", 403), ("admin", 200),
                                          ("data_manager", 200)])
def test_only_data_managers_and_admins_read_the_trail(client, make, role, status):
    sign_in(client, make.staff(role=role, site_code="01" if role in ("nurse", "investigator") else None))
    assert client.get("/audit/").status_code == status
    with client.get("/audit/export.csv") as download:
        assert download.status_code == status
    assert ('href="/audit/"' in _html(client.get("/"))) is (status == 200)


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get("/audit/")
    assert response.status_code == 302 and "/staff/login" in response.headers["Location"]


def test_filters_by_patient_user_and_days(client, make, data_manager, monkeypatch):
    nurse = make.staff(role="nurse", name="Nina Nurse")
    one, two = make.patient(study_code="STEP-01-001"), make.patient(study_code="STEP-01-002")
    monkeypatch.setattr(services, "utcnow", lambda: datetime(2025, 3, 2, 10, 0))
    record("correct", "patient", one.id, field="language", old="fr", new="en", patient_id=one.id,
           actor=Actor("staff", nurse.id, "nurse"), reason="typo at inclusion")
    record("answer", "item_answer", 5, new=2, patient_id=two.id, actor=Actor("patient_link", 77))
    db.session.commit()
    monkeypatch.undo()
    page = _html(client.get("/audit/?patient=STEP-01-001&lang=en"))
    assert "Nina Nurse (Research nurse / CRA)" in page and "typo at inclusion" in page
    assert "patient via link" not in page
    page = _html(client.get("/audit/?patient=STEP-01-002&lang=en"))
    assert "patient via link (administration 77)" in page and "typo" not in page
    page = _html(client.get(f"/audit/?user={nurse.id}&lang=en"))
    assert "typo at inclusion" in page and "1 entry" in page
    page = _html(client.get("/audit/?since=2025-03-02&until=2025-03-02&lang=en"))
    assert "2 entries" in page and "2025-03-02 10:00:00" in page
    page = _html(client.get("/audit/?since=2025-03-03&until=2025-03-31&lang=en"))
    assert "0 entries" in page and "No entry matches these filters." in page


@pytest.mark.parametrize("query, message", [
    ("since=31/03/2025", "From: enter a date as YYYY-MM-DD"),
    ("until=2025-02-30", "To: enter a date as YYYY-MM-DD"),
    ("since=0001-01-01", "From: enter a date as YYYY-MM-DD"),
    ("since=2025-03-02&until=2025-03-01", "The end date is before the start date."),
    ("patient=NOPE-99", "No patient has the study code NOPE-99."),
    ("user=abc", "Choose a staff member from the list."),
    ("user=999999", "Choose a staff member from the list."),
    ("page=0", "The page must be a whole number from 1 to"),
    ("page=-1", "The page must be a whole number from 1 to"),
])
def test_a_bad_filter_is_a_400_that_says_which_field(client, data_manager, query, message):
    response = client.get(f"/audit/?{query}&lang=en")
    assert response.status_code == 400
    assert message in _html(response)
    assert ('aria-invalid="true"' in _html(response)) is ("page=" not in query)


def test_bad_filter_message_in_french(client, data_manager):
    response = client.get("/audit/?since=hier&lang=fr")
    assert response.status_code == 400 and "AAAA-MM-JJ" in _html(response)


def test_pages_newest_first(client, data_manager):
    for n in range(PER_PAGE + 5):
        record("tick", "visit", n)
    db.session.commit()
    total = db.session.scalar(db.select(db.func.count(AuditEntry.id)))
    first = _html(client.get("/audit/?lang=en"))
    assert "Page 1 of 2" in first and f"{total} entries" in first
    assert "page=2" in first
    second = _html(client.get("/audit/?page=2&lang=en"))
    assert second.count("<tr>") == total - PER_PAGE + 1  # + the header row
    assert client.get("/audit/?page=9&lang=en").status_code == 200


def test_values_are_shown_escaped(client, data_manager):
    record("correct", "patient", 1, old="<script>alert(1)</script>", reason="<b>bold</b>")
    db.session.commit()
    page = _html(client.get("/audit/"))
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;bold&lt;/b&gt;" in page


def test_csv_download_follows_the_filters_and_is_audited(client, make, data_manager):
    patient = make.patient(study_code="STEP-01-007")
    record("correct", "patient", patient.id, patient_id=patient.id, new="x")
    record("tick", "visit", 1)
    db.session.commit()
    with client.get("/audit/export.csv?patient=STEP-01-007&lang=en") as response:
        assert response.status_code == 200 and response.mimetype == "text/csv"
        assert "attachment" in response.headers["Content-Disposition"]
        rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert {r["patient"] for r in rows} == {"STEP-01-007"} and "correct" in {r["action"] for r in rows}
    db.session.expire_all()
    last = db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert (last.action, last.actor_type, last.actor_id) == ("export", "staff", data_manager.id)
    assert last.patient_id == patient.id
    assert client.get("/audit/export.csv?since=nope").status_code == 400
