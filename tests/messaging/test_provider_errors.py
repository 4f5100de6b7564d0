"""What the provider answers decides the row: retry with backoff, fail for good, or reconcile."""
from datetime import date, datetime, timedelta

import pytest

from pro_app.audit.services import verify_chain
from pro_app.extensions import db
from pro_app.messaging.models import OutboundMessage
from pro_app.messaging.outcomes import MAX_ATTEMPTS
from pro_app.messaging.twilio_backend import TwilioBackend
from pro_app.questionnaires.models import PatientLink

INVITED = datetime(2026, 3, 24, 8)
NUMBER = "+33612345671"


@pytest.fixture
def patient(enrol):
    return enrol(datetime(2026, 3, 20, 12), date(2026, 3, 24), date(2026, 4, 7))


def invitation(patient) -> OutboundMessage:
    db.session.expire_all()
    return db.session.scalar(db.select(OutboundMessage).filter_by(patient_id=patient.id, kind="invitation")
                             .order_by(OutboundMessage.due_at).limit(1))


@pytest.mark.parametrize("status, code", [(429, None), (400, 21611), (400, 30001), (400, 20429)])
def test_rate_and_queue_limits_retry_with_a_backoff(patient, dispatch, fake, status, code):
    fake.fail_next(1, status=status, code=code)
    report = dispatch(INVITED)
    row = invitation(patient)
    assert (row.status, row.attempts, row.due_at, report["retry"]) == ("pending", 1, INVITED + timedelta(minutes=1), 1)
    assert row.last_error_code == str(code or 20429) and fake.messages == []
    dispatch(INVITED + timedelta(seconds=30))
    assert invitation(patient).status == "pending"  # not before its time
    dispatch(INVITED + timedelta(minutes=1))
    row = invitation(patient)
    assert (row.status, row.attempts, row.last_error_code) == ("sent", 2, None)
    assert row.provider_sid == fake.messages[0].sid and len(fake.messages) == 1


def test_backoff_doubles_and_a_retry_waits_for_sending_hours(patient, dispatch, fake):
    fake.fail_next(3, status=429)
    moment = INVITED
    for expected in (1, 2, 4):
        dispatch(moment)
        assert invitation(patient).due_at == moment + timedelta(minutes=expected)
        moment += timedelta(minutes=expected)
    row = invitation(patient)
    row.attempts, row.due_at = 6, datetime(2026, 3, 24, 17, 50)  # 18:50 in Paris
    db.session.commit()
    fake.fail_next(1, status=429)
    dispatch(datetime(2026, 3, 24, 17, 50))
    assert invitation(patient).due_at == datetime(2026, 3, 25, 8)  # 32 minutes later is past 19:00


def test_a_message_retried_too_often_fails_and_asks_for_attention(patient, dispatch, fake):
    row = invitation(patient)
    row.attempts = MAX_ATTEMPTS - 1
    db.session.commit()
    fake.fail_next(1, status=429)
    report = dispatch(INVITED)
    row = invitation(patient)
    assert (row.status, row.attempts, report["failed"]) == ("failed", MAX_ATTEMPTS, 1)


def test_a_refused_connection_is_retried(patient, dispatch, app):
    with TwilioBackend("AC" + "0" * 32, "token", from_="CHU-INFO", api_base_url="http://127.0.0.1:9",
                       timeout_seconds=1) as unreachable:
        dispatch(INVITED, backend=unreachable)
    row = invitation(patient)
    assert (row.status, row.attempts) == ("pending", 1) and "612345671" not in (row.last_error or "")


@pytest.mark.parametrize("code", [21211, 21614, 21635, 30006])
def test_an_invalid_or_landline_number_fails_for_good(patient, dispatch, fake, code):
    fake.reject_numbers[NUMBER] = code
    report = dispatch(INVITED)
    row = invitation(patient)
    assert (row.status, row.last_error_code, report["failed"]) == ("failed", str(code), 1)
    assert "612345671" not in row.last_error
    link = db.session.scalar(db.select(PatientLink).filter_by(token_hash=row.link_hash))
    assert link.revoke_reason == "not_sent"  # the link never reached anyone
    dispatch(INVITED + timedelta(days=1))
    assert invitation(patient).status == "failed" and fake.messages == []


def test_an_unsubscribed_recipient_is_recorded_as_an_opt_out(patient, dispatch, fake):
    fake.reject_numbers[NUMBER] = 21610
    dispatch(INVITED)
    row = invitation(patient)
    assert (row.status, row.last_error_code) == ("failed", "21610")
    assert row.patient.sms_opted_out_at == INVITED
    pending = db.session.scalars(db.select(OutboundMessage.status).filter_by(patient_id=patient.id)).all()
    assert "pending" not in pending and pending.count("cancelled") == 19


def test_a_server_error_is_unknown_then_found_missing_and_sent_once(patient, dispatch, fake):
    fake.fail_next(1, status=503)
    report = dispatch(INVITED)
    row = invitation(patient)
    assert (row.status, report["unknown"]) == ("unknown", 1)
    dispatch(INVITED + timedelta(minutes=1))
    assert invitation(patient).status == "unknown"  # the provider is asked after a while, not at once
    report = dispatch(INVITED + timedelta(minutes=2))
    row = invitation(patient)
    assert (row.status, row.attempts, report["reconciled"]) == ("sent", 2, 1)
    assert len(fake.messages) == 1
    assert verify_chain() is None


def test_a_timeout_after_acceptance_is_reconciled_without_a_second_send(patient, dispatch, fake, app):
    fake.delay_seconds = 0.6
    with TwilioBackend(fake.account_sid, fake.auth_token, from_="CHU-INFO", api_base_url=fake.base_url,
                       timeout_seconds=0.2) as impatient:
        dispatch(INVITED, backend=impatient)
    fake.delay_seconds = 0
    assert invitation(patient).status == "unknown"
    dispatch(INVITED + timedelta(minutes=2))
    row = invitation(patient)
    assert (row.status, row.provider_sid, row.attempts) == ("sent", fake.messages[0].sid, 1)
    assert len(fake.messages) == 1
