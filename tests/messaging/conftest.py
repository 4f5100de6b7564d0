"""Fixtures for the outbox and dispatcher: the fake Twilio API, a Twilio backend, a controllable clock."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time

import pytest

from pro_app.messaging.dispatcher import Dispatcher
from pro_app.messaging.twilio_backend import TwilioBackend
from tests.fake_twilio import FakeTwilio


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
