"""Fixtures for the outbox and dispatcher: the fake Twilio API, a Twilio backend, a controllable clock."""
from __future__ import annotations

from datetime import date, datetime

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
def enrol(make, monkeypatch):
    """Register a patient as if it were ``now``: its messages are planned from that moment."""
    def register(now: datetime, inclusion: date, radiotherapy: date, **kwargs):
        monkeypatch.setattr("pro_app.schedule.services.utcnow", lambda: now)
        try:
            return make.patient(inclusion=inclusion, radiotherapy=radiotherapy, **kwargs)
        finally:
            monkeypatch.undo()
    return register
