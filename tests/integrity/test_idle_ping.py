"""Pooled PostgreSQL connections: pinged after an idle spell, trusted when reused at once.

The server ends the backend of a pooled connection (as a restart would). A connection that sat
idle longer than PING_AFTER_IDLE_SECONDS is replaced without the caller noticing; one reused
sooner fails once, and the pool is renewed for the next request.
"""
from __future__ import annotations

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from pro_app import database_setup
from pro_app.extensions import db
from tests.integrity.apps import app_on, fresh_database_url

pytestmark = pytest.mark.postgres
BACKEND = text("SELECT pg_backend_pid()")


@pytest.fixture
def pg_app(tmp_path):
    with fresh_database_url("postgresql", tmp_path) as url, app_on(url, tmp_path) as app:
        yield app, url


def _backend_of_a_pooled_connection() -> int:
    with db.engine.connect() as connection:
        return connection.scalar(BACKEND)


def _end_backend(url: str, pid: int) -> None:
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))


def test_a_connection_lost_while_idle_is_replaced_unnoticed(pg_app, monkeypatch):
    _, url = pg_app
    lost = _backend_of_a_pooled_connection()
    _end_backend(url, lost)
    monkeypatch.setattr(database_setup, "PING_AFTER_IDLE_SECONDS", 0.0)
    with db.engine.connect() as connection:
        assert connection.scalar(BACKEND) != lost


def test_a_connection_reused_at_once_is_not_pinged_and_the_pool_recovers(pg_app, monkeypatch):
    _, url = pg_app
    lost = _backend_of_a_pooled_connection()
    _end_backend(url, lost)
    monkeypatch.setattr(database_setup, "PING_AFTER_IDLE_SECONDS", 3600.0)
    with pytest.raises(OperationalError), db.engine.connect() as connection:
        connection.scalar(BACKEND)
    with db.engine.connect() as connection:
        assert connection.scalar(BACKEND) != lost
