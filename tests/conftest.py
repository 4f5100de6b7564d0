"""Fixtures: the app on SQLite or a throwaway PostgreSQL database, clients, factories.

`PRO_APP_TEST_DB=postgresql` runs the suite on PostgreSQL (127.0.0.1:5432, user postgres,
trust auth); outside CI the PostgreSQL and browser tests skip with their reason when the
server or Chromium is missing; in CI (CI=true) they fail instead.
"""
from __future__ import annotations

import os

import pytest

from tests.support.client import IsolatedClient
from tests.support.databases import throwaway_postgres_url, truncate_all
from tests.support.factories import Factories

IN_CI = os.environ.get("CI") == "true"
TEST_DB = os.environ.get("PRO_APP_TEST_DB", "sqlite")


def unavailable(reason: str):
    """Skip outside CI, fail in CI: a missing service must never turn CI green silently."""
    if IN_CI:
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    if TEST_DB == "postgresql":
        with throwaway_postgres_url(on_unavailable=unavailable) as url:
            yield url
        return
    yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


@pytest.fixture(scope="session")
def app_overrides(database_url, tmp_path_factory):
    return {
        "PRO_APP_ENV": "test",
        "DATABASE_URL": database_url,
        "INSTANCE_PATH": str(tmp_path_factory.mktemp("instance")),
        "PUBLIC_BASE_URL": "http://127.0.0.1:5000",
        "SMS_BACKEND": "console",
    }


@pytest.fixture(scope="session")
def _app(app_overrides):
    from pro_app import create_app
    from pro_app.extensions import db

    app = create_app(app_overrides)
    app.test_client_class = IsolatedClient
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def app(_app):
    """The session's app with empty tables, inside an app context."""
    from pro_app.extensions import db

    with _app.app_context():
        yield _app
        db.session.rollback()
        db.session.remove()
        truncate_all(db)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make(app):
    """Factories for study data (`make.patient()`, `make.staff(role=...)`, ...)."""
    return Factories(app)


@pytest.fixture
def login(client):
    """Sign a staff user in through the real login form (CSRF stays on)."""
    from tests.integrity.web import sign_in

    def do_login(user, password="correct-horse-battery"):
        return sign_in(client, user, password)
    return do_login


@pytest.fixture
def enrol(make, monkeypatch):
    """Register a patient as if it were ``now`` (naive UTC): its messages are planned from then."""
    def register(now, inclusion, radiotherapy, **kwargs):
        with monkeypatch.context() as patched:
            for module in ("pro_app.schedule.services", "pro_app.patients.services"):
                patched.setattr(f"{module}.utcnow", lambda: now, raising=False)
            return make.patient(inclusion=inclusion, radiotherapy=radiotherapy, **kwargs)
    return register
