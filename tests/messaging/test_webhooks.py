"""Twilio webhooks: signed status callbacks and inbound keywords; a bad signature changes nothing."""
from dataclasses import replace

import pytest
from twilio.request_validator import RequestValidator

from pro_app.audit.models import AuditEntry
from pro_app.extensions import db
from pro_app.messaging.models import OutboundMessage
from pro_app.patients.models import Patient
from tests.messaging.twilio_webhooks import NUMBER, PUBLIC, SID, TOKEN, inbound_form


def status_of(row) -> tuple:
    fresh = db.session.get(OutboundMessage, row.id)
    return fresh.status, fresh.last_error_code


def audit_count() -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(AuditEntry))


def test_delivery_callbacks_move_a_sent_message_and_never_back(signed, sent):
    assert signed("/webhooks/twilio/status", {"MessageSid": SID, "MessageStatus": "queued"}).status_code == 204
    assert status_of(sent) == ("sent", None)
    assert signed("/webhooks/twilio/status", {"MessageSid": SID, "MessageStatus": "delivered"}).status_code == 204
    assert status_of(sent) == ("delivered", None)
    for late in ("sent", "undelivered", "failed"):  # duplicates and reordering
        signed("/webhooks/twilio/status", {"MessageSid": SID, "MessageStatus": late, "ErrorCode": "30003"})
        assert status_of(sent) == ("delivered", None)


def test_an_undelivered_message_keeps_the_error_for_site_staff(signed, sent):
    signed("/webhooks/twilio/status", {"MessageSid": SID, "MessageStatus": "undelivered", "ErrorCode": "30003"})
    assert status_of(sent) == ("undelivered", "30003")
    entry = db.session.scalar(db.select(AuditEntry).filter_by(action="message_status").order_by(AuditEntry.id.desc()))
    assert (entry.old_value, entry.new_value, entry.actor_type) == ("sent", "undelivered", "system")


def test_an_unknown_sid_is_acknowledged_and_changes_nothing(signed, sent):
    before = audit_count()
    response = signed("/webhooks/twilio/status", {"MessageSid": "SM" + "b" * 32, "MessageStatus": "failed"})
    assert response.status_code == 204 and audit_count() == before and status_of(sent) == ("sent", None)


@pytest.mark.parametrize("tamper", ["signature", "field", "url"])
def test_an_invalid_signature_gets_403_and_changes_nothing(signed, sent, tamper):
    form = {"MessageSid": SID, "MessageStatus": "failed", "ErrorCode": "30006"}
    signature = RequestValidator(TOKEN).compute_signature(PUBLIC + "/webhooks/twilio/status", form)
    if tamper == "signature":
        signature = "bm90IGEgc2lnbmF0dXJl"
    elif tamper == "field":
        form = {**form, "MessageStatus": "delivered"}
    else:
        signature = RequestValidator(TOKEN).compute_signature("http://localhost/webhooks/twilio/status", form)
    before = audit_count()
    response = signed("/webhooks/twilio/status", form, signature=signature)
    assert response.status_code == 403 and status_of(sent) == ("sent", None) and audit_count() == before


def test_a_missing_signature_or_no_configured_token_gets_403(app, client, monkeypatch, sent):
    form = {"MessageSid": SID, "MessageStatus": "failed"}
    assert client.post("/webhooks/twilio/status", data=form).status_code == 403
    settings = replace(app.extensions["pro_app.settings"], twilio_auth_token="", public_base_url=PUBLIC)
    monkeypatch.setitem(app.extensions, "pro_app.settings", settings)
    signature = RequestValidator("").compute_signature(PUBLIC + "/webhooks/twilio/status", form)
    response = client.post("/webhooks/twilio/status", data=form, headers={"X-Twilio-Signature": signature})
    assert response.status_code == 403
    db.session.expire_all()
    assert status_of(sent) == ("sent", None)


def test_behind_a_tls_proxy_the_public_url_is_what_is_signed(signed, sent):
    # The proxy forwards https://pro.example.org/... as plain http to the app on another host.
    response = signed("/webhooks/twilio/status", {"MessageSid": SID, "MessageStatus": "delivered"},
                      base_url="http://10.0.0.5:8000", environ_base={"HTTP_X_FORWARDED_PROTO": "https"})
    assert response.status_code == 204 and status_of(sent) == ("delivered", None)


def inbound(signed, body: str, sender: str = NUMBER):
    return signed("/webhooks/twilio/inbound", inbound_form(body, sender))


@pytest.mark.parametrize("body", ["STOP", "stop", "Arret", "ARRÊT", "arrêt", " Stop merci ", "STOP.", "stopall"])
def test_stop_keywords_opt_the_patient_out(signed, sent, body):
    response = inbound(signed, body)
    assert response.status_code == 200 and response.mimetype == "text/xml"
    patient = db.session.get(Patient, sent.patient_id)
    assert patient.sms_opted_out_at is not None
    entry = db.session.scalar(db.select(AuditEntry).filter_by(action="sms_opt_out"))
    assert (entry.patient_id, entry.reason, entry.actor_type) == (patient.id, "SMS keyword", "system")
    pending = db.session.scalars(db.select(OutboundMessage.cancel_reason).filter_by(
        patient_id=patient.id, status="cancelled")).all()
    assert pending and set(pending) == {"opted_out"}


def test_start_opts_back_in_and_the_messages_to_come_return(signed, sent):
    inbound(signed, "ARRET")
    assert inbound(signed, "start").status_code == 200
    patient = db.session.get(Patient, sent.patient_id)
    assert patient.sms_opted_out_at is None
    assert db.session.scalar(db.select(AuditEntry.reason).filter_by(action="sms_opt_in")) == "SMS keyword"


@pytest.mark.parametrize("body", ["AIDE", "help", "Aide ?"])
def test_help_is_recorded_and_changes_nothing_else(signed, sent, body):
    inbound(signed, body)
    assert db.session.get(Patient, sent.patient_id).sms_opted_out_at is None
    assert db.session.scalar(db.select(AuditEntry.action).filter_by(action="sms_help_request")) == "sms_help_request"


@pytest.mark.parametrize("body", ["Merci, c'est fait", "", "Start please"])
def test_other_texts_change_nothing(signed, sent, body):
    before = audit_count()
    assert inbound(signed, body).status_code == 200
    assert audit_count() == before and db.session.get(Patient, sent.patient_id).sms_opted_out_at is None


def test_an_unknown_number_gets_200_and_nothing_changes(signed, sent):
    before = audit_count()
    assert inbound(signed, "STOP", sender="+33799999999").status_code == 200
    assert audit_count() == before and db.session.get(Patient, sent.patient_id).sms_opted_out_at is None


def test_an_unsigned_stop_changes_nothing(signed, sent):
    response = signed("/webhooks/twilio/inbound", inbound_form("STOP"), signature="forged")
    assert response.status_code == 403 and db.session.get(Patient, sent.patient_id).sms_opted_out_at is None
