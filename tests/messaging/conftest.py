"""Fixtures for the outbox and dispatcher: the fake Twilio API, a Twilio backend, a controllable clock,
and webhook requests signed as Twilio signs them."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time

import pytest
from twilio.request_validator import RequestValidator

from pro_app.extensions import db
from pro_app.messaging.dispatcher import Dispatcher
from pro_app.messaging.models import OutboundMessage
from pro_app.messaging.twilio_backend import TwilioBackend
from tests.fake_twilio import FakeTwilio
from tests.messaging.twilio_webhooks import PUBLIC, SID, TOKEN


@pytest.fixture
def fake():
    with FakeTwilio() as server:
        yield server


@pytest.fixture
def twilio(fake):
    with TwilioBackend(fake.account_sid, fake.auth_token, from_="CHU-INFO", api_base_url=fake.base_url,
                       timeout_seconds=2) as backend:
        yield backend


@pytest.fixture
def dispatch(app, twilio):
    """Run one dispatcher pass as if the time were ``now`` (naive UTC)."""
    def run(now: datetime, backend=None, **kwargs):
        return Dispatcher(backend or twilio, clock=lambda: now, **kwargs).run_pass()
    return run


@pytest.fixture
def always_open(app, monkeypatch):
    """The STEP protocol, sending at any hour of any day (for commands that run on the real clock)."""
    protocol = app.extensions["pro_app.protocol"]
    reminders = replace(protocol.reminders, send_from=time(0, 0), send_until=time(23, 59), no_send_weekdays=(),
                        public_holidays="")
    monkeypatch.setitem(app.extensions, "pro_app.protocol", replace(protocol, reminders=reminders))
    return app.extensions["pro_app.protocol"]


@pytest.fixture
def signed(app, monkeypatch, client):
    """Post to a webhook as Twilio would, signing the public URL with the auth token."""
    settings = replace(app.extensions["pro_app.settings"], twilio_auth_token=TOKEN, public_base_url=PUBLIC)
    monkeypatch.setitem(app.extensions, "pro_app.settings", settings)

    def post(path: str, form: dict, *, signature: str | None = None, **kwargs):
        signature = signature or RequestValidator(TOKEN).compute_signature(PUBLIC + path, form)
        response = client.post(path, data=form, headers={"X-Twilio-Signature": signature}, **kwargs)
        db.session.expire_all()
        return response
    return post


@pytest.fixture
def sent(enrol):
    """A patient (number NUMBER) whose invitation went out as SID and awaits delivery reports."""
    patient = enrol(datetime(2026, 3, 20, 12), date(2026, 3, 24), date(2026, 4, 7))
    row = db.session.scalar(db.select(OutboundMessage).filter_by(patient_id=patient.id, kind="invitation")
                            .order_by(OutboundMessage.due_at).limit(1))
    row.status, row.provider_sid, row.sent_at = "sent", SID, datetime(2026, 3, 24, 8)
    db.session.commit()
    return row
