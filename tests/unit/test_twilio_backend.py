"""The real twilio library against the fake API in tests/fake_twilio.py."""
import base64
import hashlib
import hmac
import logging
import socket
from datetime import datetime, timedelta, timezone

import pytest
from twilio.base.exceptions import TwilioRestException, TwilioServiceException

from pro_app.messaging.backends import OutgoingSms, ReconcileError, SendOutcome
from pro_app.messaging.twilio_backend import TwilioBackend, classify_api_error, validate_twilio_signature
from tests.fake_twilio import FakeTwilio

NUMBER = "+33612345678"
CALLBACK = "https://pro.example.org/sms/status"


@pytest.fixture
def fake():
    with FakeTwilio() as server:
        yield server


@pytest.fixture
def backend(fake):
    with TwilioBackend(fake.account_sid, fake.auth_token, from_="STEPSTUDY", api_base_url=fake.base_url,
                       timeout_seconds=2, validity_period_seconds=7200) as twilio:
        yield twilio


def sms(to=NUMBER, body="Votre questionnaire : https://pro.example.org/q/abc") -> OutgoingSms:
    return OutgoingSms(message_id=7, to=to, body=body, status_callback=CALLBACK)


def assert_no_number(outcome: SendOutcome) -> None:
    assert "33612345678" not in (outcome.error_message or "")
    assert "612345678" not in (outcome.error_message or "")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_accepted_message_returns_its_sid_and_reaches_the_api(fake, backend):
    outcome = backend.send(sms())
    (accepted,) = fake.messages
    assert outcome == SendOutcome("sent", provider_sid=accepted.sid)
    assert accepted.sid.startswith("SM") and len(accepted.sid) == 34
    assert (accepted.to, accepted.body, accepted.from_) == (NUMBER, sms().body, "STEPSTUDY")
    assert (accepted.status_callback, accepted.validity_period) == (CALLBACK, 7200)


def test_a_messaging_service_can_send_instead_of_a_sender(fake):
    with TwilioBackend(fake.account_sid, fake.auth_token, messaging_service_sid="MG" + "0" * 32,
                       api_base_url=fake.base_url) as backend:
        assert backend.send(sms()).status == "sent"
    assert fake.messages[0].messaging_service_sid == "MG" + "0" * 32 and fake.messages[0].from_ is None


def test_a_backend_needs_a_sender():
    with pytest.raises(ValueError):
        TwilioBackend("AC" + "0" * 32, "token")


@pytest.mark.parametrize("code", [21211, 21614, 21635, 30006, 21608])
def test_permanent_errors_fail_without_the_number(fake, backend, code):
    fake.reject_numbers[NUMBER] = code
    outcome = backend.send(sms())
    assert (outcome.status, outcome.error_code, outcome.opted_out) == ("failed", str(code), False)
    assert_no_number(outcome)
    assert fake.messages == []


def test_an_invalid_number_is_rejected_by_the_api(backend):
    outcome = backend.send(sms(to="+33 6 12 34 56 78"))
    assert (outcome.status, outcome.error_code) == ("failed", "21211")
    assert "<number>" in outcome.error_message
    assert_no_number(outcome)


def test_an_unsubscribed_recipient_is_an_opt_out(fake, backend):
    fake.reject_numbers[NUMBER] = 21610
    outcome = backend.send(sms())
    assert (outcome.status, outcome.error_code, outcome.opted_out) == ("failed", "21610", True)


@pytest.mark.parametrize("code", [21611, 30001, 63017, 30003])
def test_queue_and_rate_limits_are_retried(fake, backend, code):
    fake.fail_next(1, status=400, code=code)
    assert backend.send(sms()).status == "retry"
    assert backend.send(sms()).status == "sent"


def test_http_429_is_retried(fake, backend):
    fake.fail_next(1, status=429)
    outcome = backend.send(sms())
    assert (outcome.status, outcome.error_code) == ("retry", "20429")


@pytest.mark.parametrize("status", [500, 503])
def test_server_errors_are_unknown(fake, backend, status):
    fake.fail_next(1, status=status)
    outcome = backend.send(sms())
    assert outcome.status == "unknown" and outcome.provider_sid is None


def test_a_refused_connection_is_retried():
    with TwilioBackend("AC" + "0" * 32, "token", from_="STEPSTUDY",
                       api_base_url=f"http://127.0.0.1:{free_port()}", timeout_seconds=2) as backend:
        outcome = backend.send(sms())
    assert outcome.status == "retry"
    assert_no_number(outcome)


def test_a_slow_answer_is_unknown_and_found_again_by_reconciliation(fake):
    fake.delay_seconds = 0.6
    started = datetime.now(timezone.utc).replace(tzinfo=None)
    with TwilioBackend(fake.account_sid, fake.auth_token, from_="STEPSTUDY", api_base_url=fake.base_url,
                       timeout_seconds=0.2) as backend:
        outcome = backend.send(sms())
        fake.delay_seconds = 0
        assert outcome.status == "unknown"
        assert backend.find_sent(NUMBER, started, sms().body) == fake.messages[0].sid


def test_a_wrong_auth_token_fails(fake):
    with TwilioBackend(fake.account_sid, "wrong", from_="STEPSTUDY", api_base_url=fake.base_url) as backend:
        outcome = backend.send(sms())
    assert (outcome.status, outcome.error_code) == ("failed", "20003")
    assert fake.messages == []


def test_find_sent_matches_recipient_body_and_time(fake, backend):
    started = datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)
    backend.send(sms(to="+33700000000", body="same text"))
    sid = backend.send(sms(body="same text")).provider_sid
    assert backend.find_sent(NUMBER, started, "same text") == sid
    assert backend.find_sent(NUMBER, started, "other text") is None
    assert backend.find_sent(NUMBER, started + timedelta(minutes=1), "same text") is None


def test_find_sent_reads_only_the_newest_twenty(fake, backend):
    started = datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)
    for n in range(21):
        backend.send(sms(body=f"text {n}"))
    assert backend.find_sent(NUMBER, started, "text 0") is None
    assert backend.find_sent(NUMBER, started, "text 1") == fake.messages[1].sid


def test_the_fake_pages_and_fetches_like_twilio(fake, backend):
    sids = [backend.send(sms(body=f"text {n}")).provider_sid for n in range(25)]
    listed = backend._client.messages.list(to=NUMBER, page_size=10)
    assert [m.sid for m in listed] == sids[::-1]
    fetched = backend._client.messages(sids[3]).fetch()
    assert (fetched.body, fetched.to, fetched.status, fetched.num_segments) == ("text 3", NUMBER, "sent", "1")
    with pytest.raises(TwilioRestException) as missing:
        backend._client.messages("SM" + "0" * 32).fetch()
    assert (missing.value.status, missing.value.code) == (404, 20404)
    assert fake.requests_count == 25 + 3 + 1 + 1


def test_find_sent_does_not_mistake_an_outage_for_not_found():
    with TwilioBackend("AC" + "0" * 32, "token", from_="STEPSTUDY",
                       api_base_url=f"http://127.0.0.1:{free_port()}") as backend:
        with pytest.raises(ReconcileError) as raised:
            backend.find_sent(NUMBER, datetime(2026, 1, 1), "text")
    assert "612345678" not in str(raised.value)


def test_the_library_does_not_log_the_number_at_info(backend, caplog):
    # The library logs list queries (To=...) at INFO unless told otherwise; urllib3 does at DEBUG.
    caplog.set_level(logging.INFO)
    backend.send(sms())
    backend.find_sent(NUMBER, datetime(2026, 1, 1), "text")
    assert "612345678" not in caplog.text


def test_rfc9457_service_errors_are_classified_and_scrubbed():
    exc = TwilioServiceException("https://www.twilio.com/docs/errors/21211", "Invalid 'To' Phone Number",
                                 400, 21211, detail="+33612345678 is not a valid phone number")
    outcome = classify_api_error(exc)
    assert (outcome.status, outcome.error_code) == ("failed", "21211")
    assert_no_number(outcome)


def sign(token: str, url: str, form: dict) -> str:
    payload = url + "".join(key + form[key] for key in sorted(form))
    return base64.b64encode(hmac.new(token.encode(), payload.encode(), hashlib.sha1).digest()).decode()


def test_a_correctly_signed_callback_is_accepted_and_a_tampered_one_rejected():
    url, token = "https://pro.example.org/sms/status", "secret-token"
    form = {"MessageSid": "SM" + "1" * 32, "MessageStatus": "delivered", "ErrorCode": ""}
    signature = sign(token, url, form)
    assert validate_twilio_signature(token, url, form, signature)
    assert not validate_twilio_signature(token, url, {**form, "MessageStatus": "failed"}, signature)
    assert not validate_twilio_signature(token, url.replace("https", "http"), form, signature)
    assert not validate_twilio_signature("other-token", url, form, signature)
    assert not validate_twilio_signature(token, url, form, None)
