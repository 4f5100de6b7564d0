"""Apps built with other settings (production, HTTPS, rate limits on) for the security tests."""
from __future__ import annotations

import contextlib
import secrets

import pytest
from cryptography.fernet import Fernet

from pro_app.extensions import db, limiter
from tests.integrity.apps import build_app, dispose
from tests.support.audit_keys import new_audit_key
from tests.support.databases import truncate_all
from tests.support.factories import Factories

from .world import World

PUBLIC_BASE_URL = "http://127.0.0.1:5000"  # the suite's app (tests/conftest.py)
PRODUCTION = {"PRO_APP_ENV": "production", "SECRET_KEY": secrets.token_urlsafe(32),
              "PHONE_ENCRYPTION_KEY": Fernet.generate_key().decode(), "RATE_LIMIT_STORAGE_URI": "database://",
              "PUBLIC_BASE_URL": "https://pro.example.org", "AUDIT_KEY": new_audit_key()}


@pytest.fixture(scope="module")
def world(_app):
    """One seeded world for the module (seeding and signing in cost seconds); emptied afterwards."""
    with _app.app_context():
        yield World(_app, Factories(_app))
        db.session.rollback()
        db.session.remove()
        truncate_all(db)


@pytest.fixture
def limiter_restored():
    """The Limiter is one object shared by every app: give the session's app its state back."""
    saved = dict(vars(limiter))
    yield
    vars(limiter).clear()
    vars(limiter).update(saved)


@pytest.fixture
def other_app(tmp_path, limiter_restored):
    """Build apps with extra settings on a fresh SQLite database; all disposed after the test."""
    built = []

    def build(database: str = "other", **settings):
        app = build_app(f"sqlite:///{tmp_path / f'{database}.sqlite3'}", tmp_path, **settings)
        built.append(app)
        return app

    yield build
    for app in built:
        dispose(app)


@contextlib.contextmanager
def pushed(app):
    with app.app_context():
        yield app
