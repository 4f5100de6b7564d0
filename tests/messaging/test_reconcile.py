"""A dispatcher killed between claim and record: the row is never lost and never sent twice."""
from datetime import date, datetime, timedelta

import pytest

from pro_app.audit.models import AuditEntry
from pro_app.extensions import db
from pro_app.messaging.dispatcher import Dispatcher
from pro_app.messaging.models import OutboundMessage
from pro_app.messaging.preparation import prepare_batch
from pro_app.messaging.twilio_backend import TwilioBackend

INVITED = datetime(2026, 3, 24, 8)
LEASE = timedelta(seconds=120)  # reminders.lease_seconds in the STEP protocol


@pytest.fixture
def patient(enrol):
    return enrol(datetime(2026, 3, 20, 12), date(2026, 3, 24), date(2026, 4, 7))


def invitation(patient) -> OutboundMessage:
    db.session.expire_all()
    return db.session.scalar(db.select(OutboundMessage).filter_by(patient_id=patient.id, kind="invitation")
                             .order_by(OutboundMessage.due_at).limit(1))


def killed_after(step: str, app, backend) -> None:
    """What a dispatcher leaves behind when killed after ``step`` ("claim" or "send")."""
    policy = app.extensions["pro_app.protocol"].reminders
    batch = prepare_batch("dead-worker", INVITED, INVITED + LEASE, 50, policy, None)
    db.session.commit()
    if step == "send":
        for prepared in batch.ready:
            assert backend.send(prepared.sms).status == "sent"


def history(patient):
    entries = db.session.scalars(db.select(AuditEntry).filter_by(action="message_status", entity_id=str(
        invitation(patient).id)).order_by(AuditEntry.id))
    return [(e.old_value, e.new_value) for e in entries]


def test_a_message_sent_but_never_recorded_is_found_and_settled(patient, app, twilio, dispatch, fake):
    killed_after("send", app, twilio)
    assert invitation(patient).status == "claimed" and len(fake.messages) == 1
    dispatch(INVITED + LEASE - timedelta(seconds=1))
    assert invitation(patient).status == "claimed"  # the lease still runs: hands off
    report = dispatch(INVITED + LEASE + timedelta(seconds=1))
    row = invitation(patient)
    assert (row.status, row.provider_sid, row.sent_at) == ("sent", fake.messages[0].sid, INVITED)
    assert (report["lease_lapsed"], report["reconciled"]) == (1, 1)
    assert len(fake.messages) == 1
    assert history(patient) == [("claimed", "unknown"), ("unknown", "sent")]


def test_a_message_claimed_but_never_sent_is_sent_once_after_the_lease(patient, app, twilio, dispatch, fake):
    killed_after("claim", app, twilio)
    dispatch(INVITED + LEASE + timedelta(seconds=1))
    row = invitation(patient)
    assert (row.status, row.attempts) == ("sent", 2) and len(fake.messages) == 1
    assert history(patient) == [("claimed", "unknown"), ("unknown", "pending"), ("claimed", "sent")]


def test_a_message_no_longer_wanted_by_then_is_cancelled_not_sent(patient, app, twilio, dispatch, fake):
    killed_after("claim", app, twilio)
    administration = patient.visits[0].administration("qlq_c30")
    administration.status, administration.started_at, administration.submitted_at = "submitted", INVITED, INVITED
    db.session.commit()
    dispatch(INVITED + LEASE + timedelta(seconds=1))
    row = invitation(patient)
    assert (row.status, row.cancel_reason) == ("cancelled", "completed") and fake.messages == []


def test_while_the_provider_cannot_be_asked_the_row_stays_unknown(patient, app, twilio, dispatch, fake):
    killed_after("send", app, twilio)
    with TwilioBackend(fake.account_sid, fake.auth_token, from_="CHU-INFO", api_base_url="http://127.0.0.1:9",
                       timeout_seconds=1) as unreachable:
        Dispatcher(unreachable, clock=lambda: INVITED + LEASE + timedelta(seconds=1)).run_pass()
    row = invitation(patient)
    assert (row.status, row.due_at) == ("unknown", INVITED + LEASE + timedelta(seconds=1, minutes=5))
    assert "provider not reachable" in db.session.scalar(
        db.select(AuditEntry.reason).filter_by(action="message_status").order_by(AuditEntry.id.desc()).limit(1))
    dispatch(INVITED + LEASE + timedelta(minutes=7))
    assert invitation(patient).status == "sent" and len(fake.messages) == 1
