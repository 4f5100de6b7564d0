"""`flask --app wsgi audit verify` and `audit anchor` run as a monitor's cron job runs them.

Real processes with production settings on an SQLite file: what counts here is the exit status
(0 intact and anchored, 1 broken, 3 no anchor, 4 not checked) and one
line of explanation, never a traceback.
"""
from __future__ import annotations

import json
import os
import secrets
import sqlite3
import subprocess  # nosec B404
import sys

import pytest
from cryptography.fernet import Fernet

from pro_app.audit.services import record
from pro_app.config import REPO_ROOT
from pro_app.extensions import db
from tests.integrity.apps import app_on
from tests.support.audit_keys import new_audit_key


@pytest.fixture
def production(tmp_path):
    """The environment of a production deployment on SQLite, with three audit entries written."""
    database = tmp_path / "pro_app.sqlite3"
    env = {"PATH": os.environ["PATH"], "PRO_APP_ENV": "production", "DATABASE_URL": f"sqlite:///{database}",
           "INSTANCE_PATH": str(tmp_path), "SECRET_KEY": secrets.token_urlsafe(32), "SMS_BACKEND": "console",
           "PUBLIC_BASE_URL": "https://pro.example.org",
           "PHONE_ENCRYPTION_KEY": Fernet.generate_key().decode(), "RATE_LIMIT_STORAGE_URI": "database://",
           "AUDIT_KEY": new_audit_key("k1")}
    with app_on(env["DATABASE_URL"], tmp_path, AUDIT_KEY=env["AUDIT_KEY"]):
        for n in range(3):
            record("update", "patient", n, field="language", old="fr", new="en")
            db.session.commit()
    return env, database


def _flask(env: dict, *args: str) -> tuple[int, str]:
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], env=env, cwd=REPO_ROOT,
                            capture_output=True, text=True, timeout=120, check=False)  # nosec B603
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    return result.returncode, output.strip()


def test_verify_exit_statuses_tell_intact_broken_unanchored_and_unchecked(production, tmp_path):
    env, database = production
    code, output = _flask(env, "audit", "verify")
    assert code == 3 and "intact: 3 entries" in output and "no anchor" in output
    code, output = _flask(env, "audit", "anchor")
    assert code == 0 and json.loads(output)["seq"] == 3
    assert (tmp_path / "audit-anchors.jsonl").read_text().strip() == output  # the default file, instance folder
    code, output = _flask(env, "audit", "verify")
    assert code == 0 and "intact: 3 entries" in output and "holds the anchor" in output
    code, output = _flask({**env, "AUDIT_KEY": new_audit_key("k2")}, "audit", "verify")
    assert code == 4 and "key id 'k1', which is not configured" in output
    with sqlite3.connect(database) as connection:  # SQLite has no DELETE trigger: no need to lift one
        connection.execute("DELETE FROM audit_entry WHERE seq = 3")
    code, output = _flask(env, "audit", "verify")
    assert code == 1 and output.count("\n") == 0
    assert "audit trail broken: the trail ends at entry 2, but the anchor of" in output


def test_production_refuses_to_start_without_an_audit_key(production):
    env, _database = production
    code, output = _flask({k: v for k, v in env.items() if k != "AUDIT_KEY"}, "audit", "verify")
    assert code == 1 and "AUDIT_KEY: required in production" in output and output.count("\n") == 0
