"""A real dispatcher process killed (SIGKILL) while the provider is answering: nothing is lost
or sent twice; a later pass, once the lease has lapsed, finds the message at the provider."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

from pro_app.db import utcnow
from pro_app.extensions import db
from pro_app.messaging.dispatcher import Dispatcher
from pro_app.messaging.models import OutboundMessage
from pro_app.messaging.twilio_backend import TwilioBackend
from tests.fake_twilio import FakeTwilio
from tests.messaging.outbox_seed import always_open_protocol, seed_due_messages

REPO = Path(__file__).resolve().parents[2]


def start_dispatcher(app, fake: FakeTwilio, tmp_path: Path) -> subprocess.Popen:
    settings = app.extensions["pro_app.settings"]
    env = {**os.environ, "PRO_APP_ENV": "test", "DATABASE_URL": settings.database_url,
           "INSTANCE_PATH": str(tmp_path), "STUDY_PROTOCOL_FILE": str(always_open_protocol(tmp_path / "p.yaml")),
           "SMS_BACKEND": "twilio", "TWILIO_ACCOUNT_SID": fake.account_sid, "TWILIO_AUTH_TOKEN": fake.auth_token,
           "TWILIO_FROM": "CHU-INFO", "TWILIO_API_BASE_URL": fake.base_url, "TWILIO_TIMEOUT_SECONDS": "60"}
    return subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "reminders", "dispatch", "--once"],
                            cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait_for(condition, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_a_killed_dispatcher_leaves_a_row_that_a_later_pass_settles(app, tmp_path):
    seed_due_messages(1, app.extensions["pro_app.protocol"])
    with FakeTwilio() as fake:
        fake.delay_seconds = 20  # accepted at once, answered late: the kill lands in between
        process = start_dispatcher(app, fake, tmp_path)
        try:
            wait_for(lambda: len(fake.messages) == 1, 120)
        finally:
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=30)
        fake.delay_seconds = 0
        db.session.expire_all()
        row = db.session.scalar(db.select(OutboundMessage))
        assert row.status == "claimed"
        later = row.claimed_until + timedelta(seconds=1)
        assert later > utcnow()
        with TwilioBackend(fake.account_sid, fake.auth_token, from_="CHU-INFO", api_base_url=fake.base_url) as twilio:
            report = Dispatcher(twilio, clock=lambda: later).run_pass()
        db.session.expire_all()
        row = db.session.scalar(db.select(OutboundMessage))
        assert (row.status, row.provider_sid, row.attempts) == ("sent", fake.messages[0].sid, 1)
        assert (report["lease_lapsed"], report["reconciled"]) == (1, 1)
        assert len(fake.messages) == 1
