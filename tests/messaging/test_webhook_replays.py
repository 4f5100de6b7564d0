"""Twilio's requests delivered twice, late or out of order, and captured requests replayed: each
inbound message and each delivery report is applied once, and an older change never wins."""
from datetime import date, datetime, timedelta

import pytest

from pro_app.audit.models import AuditEntry
from pro_app.extensions import db
from pro_app.messaging.models import InboundMessage, OutboundMessage, StatusReport
from pro_app.messaging.preparation import prepare_batch
from pro_app.patients.models import Patient
from tests.messaging.twilio_webhooks import NUMBER, SID, inbound_form

INBOUND, STATUS = "/webhooks/twilio/inbound", "/webhooks/twilio/status"
INVITED = datetime(2026, 3, 24, 8)
LEASE = timedelta(seconds=120)


def opted_out(patient_id: int) -> bool:
    return db.session.get(Patient, patient_id).sms_opted_out_at is not None


def audit_count() -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(AuditEntry))


def test_the_same_signed_text_delivered_twice_is_applied_once(signed, sent, caplog):
    help_request = inbound_form("AIDE")
    assert signed(INBOUND, help_request).status_code == 200
    before = audit_count()
    response = signed(INBOUND, help_request)  # Twilio retrying, or someone replaying the request
    assert response.status_code == 200 and response.mimetype == "text/xml"
    assert audit_count() == before
    assert db.session.scalars(db.select(InboundMessage.action)).all() == ["help"]
    assert "applied before" in caplog.text and NUMBER[1:] not in caplog.text


def test_an_old_start_replayed_after_a_newer_stop_changes_nothing(signed, sent):
    signed(INBOUND, inbound_form("STOP"))
    start = inbound_form("START")
    signed(INBOUND, start)
    assert not opted_out(sent.patient_id)
    signed(INBOUND, inbound_form("STOP"))
    before = audit_count()
    assert signed(INBOUND, start).status_code == 200  # captured, validly signed, replayed
    assert opted_out(sent.patient_id) and audit_count() == before
    assert db.session.scalar(db.select(db.func.count()).select_from(OutboundMessage).filter_by(
        patient_id=sent.patient_id, status="pending")) == 0


@pytest.mark.parametrize("path, form", [
    (INBOUND, {"From": NUMBER, "Body": "STOP"}),
    (INBOUND, {"MessageSid": "SM-" + "x" * 80, "From": NUMBER, "Body": "STOP"}),
    (STATUS, {"MessageStatus": "failed"}),
    (STATUS, {"MessageSid": SID, "MessageStatus": "failed", "ErrorCode": "3" * 21}),
    (STATUS, {"MessageSid": SID, "MessageStatus": "failed", "ErrorCode": "30003; DROP"}),
])
def test_a_request_without_a_usable_message_sid_or_error_code_gets_400(signed, sent, path, form):
    before = audit_count()
    response = signed(path, form)
    assert response.status_code == 400 and audit_count() == before
    assert not opted_out(sent.patient_id) and db.session.get(OutboundMessage, sent.id).status == "sent"


@pytest.mark.parametrize("reports, final", [
    (["delivered", "delivered", "undelivered"], ("delivered", None)),
    (["undelivered", "delivered", "sent", "undelivered"], ("undelivered", "30003")),
    (["read", "failed", "read"], ("delivered", None)),  # a read message was delivered
])
def test_reports_replayed_or_out_of_order_never_move_a_message_back(signed, sent, reports, final):
    for status in reports:
        assert signed(STATUS, {"MessageSid": SID, "MessageStatus": status, "ErrorCode": "30003"}).status_code == 204
    row = db.session.get(OutboundMessage, sent.id)
    assert (row.status, row.last_error_code) == final
    changes = db.session.scalars(db.select(AuditEntry.new_value).filter_by(
        action="message_status", entity_id=str(sent.id))).all()
    assert changes == [final[0]]
    stored = db.session.scalars(db.select(StatusReport.status).order_by(StatusReport.id)).all()
    assert stored == list(dict.fromkeys(s for s in reports if s != "sent"))


class MeanwhileAtTwilio:
    """The real Twilio backend; while a send is under way, another signed request reaches the app,
    so before the dispatcher has recorded the outcome (it records a batch after its last send)."""

    def __init__(self, backend, signed, path: str, form):
        self.backend, self.signed, self.path, self.form = backend, signed, path, form

    def send(self, sms):
        outcome = self.backend.send(sms)
        assert self.signed(self.path, self.form(outcome)).status_code in (200, 204)
        return outcome

    def find_sent_matching(self, *args):
        return self.backend.find_sent_matching(*args)


def invitation(patient_id: int) -> OutboundMessage:
    db.session.expire_all()
    return db.session.scalar(db.select(OutboundMessage).filter_by(patient_id=patient_id, kind="invitation")
                             .order_by(OutboundMessage.due_at).limit(1))


def test_a_report_that_beats_the_recorded_sid_is_applied_by_the_same_pass(enrol, signed, twilio, dispatch):
    patient = enrol(datetime(2026, 3, 20, 12), date(2026, 3, 24), date(2026, 4, 7))
    report = {"MessageStatus": "undelivered", "ErrorCode": "30006"}
    backend = MeanwhileAtTwilio(twilio, signed, STATUS, lambda outcome: {"MessageSid": outcome.provider_sid, **report})
    counts = dispatch(INVITED, backend=backend)
    row = invitation(patient.id)
    assert (row.status, row.last_error_code, counts["reports_applied"]) == ("undelivered", "30006", 1)
    assert db.session.scalar(db.select(StatusReport.settled_at)) is not None


def test_a_refusal_for_an_unsubscribed_number_does_not_undo_a_start_sent_meanwhile(enrol, signed, twilio,
                                                                                 dispatch, fake):
    """The patient had texted STOP where only Twilio saw it; the send is refused (21610); meanwhile
    the patient texts START (Twilio unblocks the number): the refusal is older than the START."""
    patient = enrol(datetime(2026, 3, 20, 12), date(2026, 3, 24), date(2026, 4, 7))
    fake.reject_numbers[NUMBER] = 21610
    dispatch(INVITED, backend=MeanwhileAtTwilio(twilio, signed, INBOUND, lambda outcome: inbound_form("START")))
    row = invitation(patient.id)
    assert (row.status, row.last_error_code) == ("failed", "21610")
    assert not opted_out(patient.id)
    assert db.session.scalar(db.select(AuditEntry.id).filter_by(action="sms_opt_out")) is None


def test_a_report_for_a_send_only_reconciliation_finds_waits_for_it(app, enrol, signed, twilio, dispatch, fake):
    patient = enrol(datetime(2026, 3, 20, 12), date(2026, 3, 24), date(2026, 4, 7))
    policy = app.extensions["pro_app.protocol"].reminders
    batch = prepare_batch("dead-worker", INVITED, INVITED + LEASE, 50, policy, None)
    db.session.commit()
    sid = twilio.send(batch.ready[0].sms).provider_sid  # then the dispatcher died: the sid is known only to Twilio
    delivered = {"MessageSid": sid, "MessageStatus": "delivered"}
    assert signed(STATUS, delivered).status_code == 204
    assert signed(STATUS, delivered).status_code == 204  # retried: still one report
    assert signed(STATUS, {"MessageSid": sid, "MessageStatus": "sent"}).status_code == 204
    assert invitation(patient.id).status == "claimed"
    assert db.session.scalar(db.select(StatusReport.settled_at)) is None
    dispatch(INVITED + LEASE + timedelta(seconds=1))  # the lease lapses; reconciliation finds the send
    row = invitation(patient.id)
    assert (row.status, row.provider_sid, len(fake.messages)) == ("delivered", sid, 1)
    history = db.session.scalars(db.select(AuditEntry.new_value).filter_by(
        action="message_status", entity_id=str(row.id)).order_by(AuditEntry.id)).all()
    assert history == ["unknown", "sent", "delivered"]
