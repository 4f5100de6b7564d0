"""Four dispatcher processes on PostgreSQL over 2,000 due messages: each is sent exactly once.

The processes are real `flask reminders dispatch --once` commands, claiming rows with
FOR UPDATE SKIP LOCKED, sending through the real twilio library to the fake API.
"""
from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from pro_app.audit.models import AuditEntry
from pro_app.audit.services import verify_chain
from pro_app.extensions import db
from pro_app.messaging.models import OutboundMessage
from tests.conftest import unavailable
from tests.fake_twilio import FakeTwilio
from tests.messaging.outbox_seed import always_open_protocol, seed_due_messages
from tests.support.databases import throwaway_postgres_url

REPO = Path(__file__).resolve().parents[2]
MESSAGES, PROCESSES = 2000, 4

pytestmark = pytest.mark.postgres


@pytest.fixture
def postgres_app(tmp_path):
    from pro_app import create_app
    with throwaway_postgres_url(on_unavailable=unavailable) as url:
        env = {"PRO_APP_ENV": "test", "DATABASE_URL": url, "INSTANCE_PATH": str(tmp_path / "instance"),
               "PUBLIC_BASE_URL": "https://pro.example.org",
               "STUDY_PROTOCOL_FILE": str(always_open_protocol(tmp_path / "protocol.yaml"))}
        app = create_app(env)
        with app.app_context():
            db.create_all()
            yield app, env
            db.session.remove()
            db.engine.dispose()


def run_dispatchers(env: dict, fake: FakeTwilio, count: int) -> list[subprocess.CompletedProcess]:
    full = {**os.environ, **env, "SMS_BACKEND": "twilio", "TWILIO_ACCOUNT_SID": fake.account_sid,
            "TWILIO_AUTH_TOKEN": fake.auth_token, "TWILIO_FROM": "CHU-INFO", "TWILIO_API_BASE_URL": fake.base_url}
    command = [sys.executable, "-m", "flask", "--app", "wsgi", "reminders", "dispatch", "--once"]
    started = [subprocess.Popen(command, cwd=REPO, env=full, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True) for _ in range(count)]
    done = []
    for process in started:
        out, err = process.communicate(timeout=300)
        done.append(subprocess.CompletedProcess(process.args, process.returncode, out, err))
    return done


def test_four_dispatcher_processes_send_each_message_exactly_once(postgres_app):
    app, env = postgres_app
    assert seed_due_messages(MESSAGES, app.extensions["pro_app.protocol"]) == MESSAGES
    with FakeTwilio() as fake:
        results = run_dispatchers(env, fake, PROCESSES)
        accepted = fake.messages
    for result in results:
        assert result.returncode == 0, result.stderr[-2000:]
    db.session.expire_all()
    rows = db.session.scalars(db.select(OutboundMessage)).all()
    assert Counter(row.status for row in rows) == {"sent": MESSAGES}
    assert len(accepted) == MESSAGES
    assert {row.provider_sid for row in rows} == {message.sid for message in accepted}
    assert len({message.body for message in accepted}) == MESSAGES  # a fresh link in each
    assert all(row.attempts == 1 for row in rows)
    sent_by = [int(line.split("sent=")[1].split()[0]) for r in results for line in r.stdout.splitlines()
               if "sent=" in line]
    assert sum(sent_by) == MESSAGES
    # Four processes wrote their audit entries in batches: the hash chain is still one unbroken line.
    assert verify_chain() is None
    assert db.session.scalar(db.select(db.func.count()).select_from(AuditEntry).filter_by(new_value="sent")) == MESSAGES
