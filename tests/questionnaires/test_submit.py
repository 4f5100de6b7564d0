"""Submission: one submitted administration, scored once, reminders cancelled, links revoked."""
from __future__ import annotations

import threading

from pro_app.audit.models import AuditEntry
from pro_app.extensions import db
from pro_app.messaging.models import OutboundMessage
from pro_app.questionnaires.models import Administration, ItemAnswer, PatientLink, Score
from tests.questionnaires.conftest import Patient


def _audit(action):
    return list(db.session.scalars(db.select(AuditEntry).filter_by(action=action)))


def test_submission_scores_cancels_reminders_revokes_links_and_audits(patient, patient_link):
    _, administration = patient_link
    messages = db.session.scalar(db.select(db.func.count()).select_from(OutboundMessage)
                                 .filter_by(administration_id=administration.id, status="pending"))
    assert messages > 0
    patient.start()
    patient.answer_all()
    response = patient.submit()
    assert response.status_code == 303 and response.location.endswith(patient.url("/thanks"))
    db.session.expire_all()
    row = db.session.get(Administration, administration.id)
    assert row.status == "submitted" and row.submitted_at is not None
    scores = {s.scale: s.value for s in db.session.scalars(db.select(Score).filter_by(administration_id=row.id))}
    assert scores["QL2"] == 4 / 6 * 100 and scores["PF2"] == (1 - 1 / 3) * 100
    states = {m.status: m.cancel_reason for m in db.session.scalars(
        db.select(OutboundMessage).filter_by(administration_id=row.id))}
    assert states == {"cancelled": "completed"}
    links = db.session.scalars(db.select(PatientLink).filter_by(administration_id=row.id))
    assert {link.revoke_reason for link in links} == {"completed"}
    [entry] = _audit("submit")
    assert (entry.actor_type, entry.actor_id, entry.patient_id) == ("patient_link", row.id, row.visit.patient_id)


def test_thank_you_then_the_link_says_it_is_done(patient):
    patient.start()
    patient.answer_all()
    patient.submit()
    thanks = patient.client.get(patient.url("/thanks"))
    assert thanks.status_code == 200 and "Merci" in thanks.get_data(as_text=True)
    again = patient.client.get(patient.url())
    assert again.status_code == 410 and "déjà été envoyé" in again.get_data(as_text=True)
    late = patient.client.post(patient.url("/page/1"), data={"q1": "4"})
    assert late.status_code == 410


def test_items_never_reached_are_stored_as_explicit_missing_values(patient, patient_link):
    patient.start()
    patient.answer(1, {n: 1 for n in range(1, 6)})
    patient.submit()
    db.session.expire_all()
    answers = {a.item_code: a.state for a in db.session.scalars(
        db.select(ItemAnswer).filter_by(administration_id=patient_link[1].id))}
    assert len(answers) == 30
    assert [code for code, state in answers.items() if state == "answered"] == [f"q{n}" for n in range(1, 6)]


def test_a_double_tap_submits_and_scores_once(patient):
    patient.start()
    patient.answer_all()
    first, second = patient.submit(), patient.submit()
    assert first.location == second.location and second.location.endswith("/thanks")
    db.session.expire_all()
    assert len(_audit("submit")) == 1 and len(_audit("score")) == 1


def test_two_tabs_submitting_at_the_same_moment_give_one_submission(app, patient):
    patient.start()
    patient.answer_all()
    barrier = threading.Barrier(4)
    results = []

    def tab():
        client = app.test_client()
        barrier.wait()
        results.append(Patient(client, patient.token).submit().status_code)

    threads = [threading.Thread(target=tab) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [303] * 4
    db.session.expire_all()
    assert len(_audit("submit")) == 1 and len(_audit("score")) == 1
    assert db.session.scalar(db.select(db.func.count()).select_from(Score)) == 16
