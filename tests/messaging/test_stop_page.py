"""The patient stops text messages from any link received (SMS replies cannot reach us)."""
from datetime import date

from flask import render_template_string

from pro_app.audit.models import AuditEntry
from pro_app.extensions import db
from pro_app.messaging.models import OutboundMessage
from pro_app.patients.models import Patient
from pro_app.questionnaires.links import issue_link
from tests.messaging.web import post


def link_for(patient) -> str:
    token = issue_link(patient.visits[0].administration("qlq_c30"))
    db.session.commit()
    return token


def opted_out(patient) -> bool:
    db.session.expire_all()
    return db.session.get(Patient, patient.id).sms_opted_out_at is not None


def test_the_question_is_asked_first_and_a_get_changes_nothing(make, client):
    patient = make.patient()
    token = link_for(patient)
    page = client.get(f"/q/{token}/stop-sms").get_data(as_text=True)
    assert "Arrêter les SMS ?" in page and 'name="confirm" value="yes"' in page
    assert post(client, f"/q/{token}/stop-sms").status_code == 200  # the partial's first POST
    assert not opted_out(patient)


def test_confirming_stops_every_message_with_an_audit_entry(make, client):
    patient = make.patient()
    token = link_for(patient)
    response = post(client, f"/q/{token}/stop-sms", {"confirm": "yes"})
    assert response.status_code == 200 and "SMS arrêtés" in response.get_data(as_text=True)
    assert opted_out(patient)
    entry = db.session.scalar(db.select(AuditEntry).filter_by(action="sms_opt_out"))
    assert (entry.actor_type, entry.reason, entry.patient_id) == ("patient_link", "questionnaire page", patient.id)
    assert db.session.scalar(db.select(db.func.count()).select_from(OutboundMessage).filter_by(
        patient_id=patient.id, status="pending")) == 0
    again = client.get(f"/q/{token}/stop-sms").get_data(as_text=True)
    assert "Vous avez déjà demandé l'arrêt des SMS" in again


def test_the_page_speaks_the_patients_language(make, client):
    patient = make.patient(language="en")
    token = link_for(patient)
    page = client.get(f"/q/{token}/stop-sms", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "Stop the text messages?" in page and '<html lang="en"' in page


def test_an_expired_link_still_lets_the_patient_stop(make, client):
    patient = make.patient(inclusion=date(2025, 1, 6), radiotherapy=date(2025, 1, 20))
    token = link_for(patient)
    assert post(client, f"/q/{token}/stop-sms", {"confirm": "yes"}).status_code == 200
    assert opted_out(patient)


def test_an_unknown_link_is_not_found(client):
    assert client.get("/q/not-a-real-token-at-all/stop-sms").status_code == 404
    assert post(client, "/q/not-a-real-token-at-all/stop-sms", {"confirm": "yes"}).status_code == 404


def test_the_form_without_a_csrf_token_is_refused(make, client):
    patient = make.patient()
    token = link_for(patient)
    assert client.post(f"/q/{token}/stop-sms", data={"confirm": "yes"}).status_code == 400
    assert not opted_out(patient)


def test_the_partial_for_questionnaire_pages_posts_to_the_stop_page(app):
    with app.test_request_context("/q/abc"):
        html = render_template_string('{% include "messaging/_stop_sms.html" %}', token="abc")
    assert 'action="/q/abc/stop-sms"' in html and 'name="csrf_token"' in html
