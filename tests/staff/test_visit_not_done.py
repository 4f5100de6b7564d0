"""Staff mark a visit not done with a reason: its messages stop, the audit trail keeps the reason."""
import threading

import pytest

from pro_app.audit.models import AuditEntry
from pro_app.extensions import db
from pro_app.messaging.backends import ConsoleBackend
from pro_app.messaging.dispatcher import Dispatcher
from pro_app.messaging.models import OutboundMessage
from pro_app.questionnaires.links import issue_link, lookup
from tests.staff.web import fresh, html, post, sign_in, visit_of

REASON = "Hospitalised during the whole window <b>ICU</b>"


@pytest.fixture
def patient(make):
    return make.patient(study_code="STEP-01-040")


def _url(visit) -> str:
    return f"/patients/visits/{visit.id}/not-done"


def _visit_messages(visit) -> list[OutboundMessage]:
    db.session.expire_all()
    ids = [administration.id for administration in visit.administrations]
    return list(db.session.scalars(db.select(OutboundMessage).where(OutboundMessage.administration_id.in_(ids))))


def _not_done_entries() -> list[AuditEntry]:
    return list(db.session.scalars(db.select(AuditEntry).filter_by(action="visit_status", new_value="not_done")))


class RecordingBackend(ConsoleBackend):
    def __init__(self):
        self.sent = []

    def send(self, sms):
        self.sent.append(sms.message_id)
        return super().send(sms)


def test_a_nurse_marks_a_visit_not_done_and_the_patient_page_shows_why(client, nurse, patient):
    baseline = visit_of(patient)
    assert 'href="' + _url(baseline) + '"' in html(client.get(f"/patients/{patient.id}?lang=en"))
    assert client.get(_url(baseline) + "?lang=en").status_code == 200
    response = post(client, _url(baseline) + "?lang=en", {"reason": f"  {REASON} "})
    assert response.status_code == 303 and response.location.endswith(f"/patients/{patient.id}#visits")
    baseline = fresh(baseline)
    assert (baseline.status, baseline.status_reason) == ("not_done", REASON)
    page = html(client.get(f"/patients/{patient.id}?lang=en"))
    assert "Baseline of STEP-01-040 is marked not done" in page and "Not done" in page
    assert "Reason: Hospitalised during the whole window &lt;b&gt;ICU&lt;/b&gt;" in page
    assert _url(baseline) not in page  # nothing left to mark
    assert "Non faite" in html(client.get("/patients/?lang=fr"))


def test_the_reason_is_audited_once_with_the_nurse_as_actor(client, nurse, patient):
    baseline = visit_of(patient)
    post(client, _url(baseline), {"reason": REASON})
    [entry] = _not_done_entries()
    assert (entry.entity_id, entry.patient_id) == (str(baseline.id), patient.id)
    assert (entry.old_value, entry.reason, entry.actor_id) == ("open", REASON, nurse.id)


def test_marking_not_done_cancels_the_visits_messages_and_links_and_nothing_is_sent(client, nurse, patient):
    baseline = visit_of(patient)
    token = issue_link(baseline.administration("qlq_c30"))
    db.session.commit()
    assert any(message.status == "pending" for message in _visit_messages(baseline))
    post(client, _url(baseline), {"reason": REASON})
    messages = _visit_messages(baseline)
    assert {(m.status, m.cancel_reason) for m in messages} == {("cancelled", "visit_not_done")}
    assert lookup(token).state == "revoked"
    backend = RecordingBackend()
    for message in messages:  # each planned sending time: the dispatcher finds nothing to send
        Dispatcher(backend, clock=lambda at=message.due_at: at).run_pass()
    assert backend.sent == []
    assert any(m.status == "pending" for m in _visit_messages(visit_of(patient, "m3")))  # other visits go on


@pytest.mark.parametrize("reason, message", [
    ("", "This field is required."), ("   ", "This field is required."),
    ("x" * 501, "Field cannot be longer than 500 characters."),
])
def test_a_missing_or_too_long_reason_changes_nothing(client, nurse, patient, reason, message):
    baseline = visit_of(patient)
    pending_before = [m.id for m in _visit_messages(baseline) if m.status == "pending"]
    response = post(client, _url(baseline) + "?lang=en", {"reason": reason})
    assert response.status_code == 400
    page = html(response)
    assert message in page and 'name="reason"' in page and 'aria-invalid="true"' in page
    assert fresh(baseline).status == "open" and _not_done_entries() == []
    assert [m.id for m in _visit_messages(baseline) if m.status == "pending"] == pending_before


def test_a_completed_visit_cannot_be_marked_not_done(client, nurse, make, patient):
    make.completed_qlq(patient)
    make.completed_mmse(patient)
    baseline = visit_of(patient)
    assert _url(baseline) not in html(client.get(f"/patients/{patient.id}"))
    response = post(client, _url(baseline) + "?lang=en", {"reason": REASON})
    assert response.status_code == 409 and "a completed visit cannot be marked not done" in html(response)
    assert fresh(baseline).status == "completed" and _not_done_entries() == []


def test_a_double_submit_changes_the_visit_once(client, nurse, patient):
    baseline = visit_of(patient)
    assert post(client, _url(baseline), {"reason": REASON}).status_code == 303
    again = post(client, _url(baseline) + "?lang=en", {"reason": "Another reason"})
    assert again.status_code == 409 and "This visit is already marked not done." in html(again)
    assert fresh(baseline).status_reason == REASON and len(_not_done_entries()) == 1


def test_two_posts_at_the_same_moment_change_the_visit_once(app, nurse, patient):
    baseline = visit_of(patient)
    clients = [sign_in(app.test_client(), nurse) for _ in range(3)]
    barrier, results = threading.Barrier(len(clients)), []

    def tab(client):
        barrier.wait()
        results.append(post(client, _url(baseline), {"reason": REASON}).status_code)

    threads = [threading.Thread(target=tab, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [303, 409, 409]
    assert len(_not_done_entries()) == 1


def test_an_unknown_visit_is_a_404(client, nurse, patient):
    unknown = f"/patients/visits/{visit_of(patient).id + 1000}/not-done"
    assert client.get(unknown).status_code == 404
    assert post(client, unknown, {"reason": REASON}).status_code == 404


def test_a_nurse_of_another_site_gets_a_404_and_changes_nothing(client, make):
    other = make.patient(study_code="STEP-02-041", site_code="02")
    sign_in(client, make.staff(role="nurse", site_code="01"))
    baseline = visit_of(other)
    assert client.get(_url(baseline)).status_code == 404
    assert post(client, _url(baseline), {"reason": REASON}).status_code == 404
    assert fresh(baseline).status == "open" and _not_done_entries() == []


@pytest.mark.parametrize("role, site", [("data_manager", None), ("admin", None)])
def test_roles_that_do_not_change_patients_get_a_403(client, make, patient, role, site):
    sign_in(client, make.staff(role=role, site_code=site))
    baseline = visit_of(patient)
    assert client.get(_url(baseline)).status_code == 403
    assert post(client, _url(baseline), {"reason": REASON}).status_code == 403
    assert fresh(baseline).status == "open" and _not_done_entries() == []
    if role == "data_manager":  # reads the patient, without the control
        assert _url(baseline) not in html(client.get(f"/patients/{patient.id}"))


def test_an_investigator_of_the_site_may_mark_a_visit_not_done(client, make, patient):
    sign_in(client, make.staff(role="investigator", site_code="01"))
    m3 = visit_of(patient, "m3")
    assert post(client, _url(m3), {"reason": "Patient in another hospital"}).status_code == 303
    assert fresh(m3).status == "not_done"
