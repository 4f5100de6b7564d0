"""The documented PostgreSQL deployment: two roles, and the app role cannot rewrite the audit trail.

The owner role runs `flask db upgrade` and `flask db grant-app-role ROLE`; the web and scheduler
processes log in as ROLE. This test does exactly that on a throwaway database, with two roles
of its own (roles are cluster-wide, so they are uniquely named and dropped afterwards).
"""
from __future__ import annotations

import contextlib
import uuid

import psycopg
import pytest
from flask_migrate import upgrade
from sqlalchemy.engine import make_url

from pro_app.audit.models import AuditEntry
from pro_app.audit.services import record
from pro_app.extensions import db
from pro_app.ratelimit.storage import DatabaseStorage
from pro_app.study.models import Site
from tests.conftest import unavailable
from tests.integrity.apps import app_on, build_app, dispose
from tests.support.databases import ADMIN_URL, throwaway_postgres_url


def _as(url: str, user: str) -> str:
    return make_url(url).set(username=user).render_as_string(hide_password=False)


@contextlib.contextmanager
def _roles(*names: str):
    with psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=3) as admin:
        for name in names:
            admin.execute(f'CREATE ROLE "{name}" LOGIN')
    try:
        yield
    finally:
        with psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=3) as admin:
            for name in names:
                admin.execute(f'DROP ROLE IF EXISTS "{name}"')


@pytest.fixture
def deployment(tmp_path):
    """(app logged in as the app role, that role's URL, the owner's app) after the documented set-up."""
    suffix = uuid.uuid4().hex[:10]
    owner, web = f"pro_app_owner_{suffix}", f"pro_app_web_{suffix}"
    with _roles(owner, web), throwaway_postgres_url(on_unavailable=unavailable) as url:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'ALTER DATABASE "{make_url(url).database}" OWNER TO "{owner}"')
        owner_app = build_app(_as(url, owner), tmp_path / "owner", create_tables=False)
        web_app = build_app(_as(url, web), tmp_path / "web", create_tables=False)
        try:
            with owner_app.app_context():
                upgrade()
            result = owner_app.test_cli_runner().invoke(args=["db", "grant-app-role", web])
            assert result.exit_code == 0, result.output
            yield web_app, _as(url, web), owner_app, owner
        finally:
            dispose(web_app)
            dispose(owner_app)


@pytest.mark.postgres
def test_the_app_role_writes_what_the_app_needs(deployment):
    web_app, _url, _owner_app, _owner = deployment
    with web_app.app_context():
        site = Site(code="77", name="Granted")
        db.session.add(site)
        record("create", "site", "77")
        db.session.commit()  # the chain lock, the sequence, the INSERT into audit_entry
        site.name = "Renamed"
        record("update", "site", "77", field="name", old="Granted", new="Renamed")
        db.session.commit()
        storage = DatabaseStorage()
        assert [storage.incr("login/10.0.0.1", 60) for _ in range(2)] == [1, 2]  # upsert of a counter
        storage.clear("login/10.0.0.1")
        assert db.session.scalar(db.select(db.func.count(AuditEntry.id))) == 3  # with the grant's own entry
        runner = web_app.test_cli_runner()
        assert runner.invoke(args=["audit", "anchor"]).exit_code == 0
        result = runner.invoke(args=["audit", "verify"])
        assert result.exit_code == 0 and "intact: 3 entries" in result.output


@pytest.mark.postgres
@pytest.mark.parametrize("statement", [
    "UPDATE audit_entry SET reason = 'x'",
    "DELETE FROM audit_entry",
    "TRUNCATE audit_entry",
    "ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_append_only",
    "ALTER TABLE audit_entry DISABLE TRIGGER ALL",
    "DROP TABLE audit_entry",
    "UPDATE alembic_version SET version_num = 'x'",
])
def test_the_app_role_cannot_change_or_empty_the_audit_trail(deployment, statement):
    web_app, url, _owner_app, _owner = deployment
    with web_app.app_context():
        record("create", "site", "77")
        db.session.commit()
    with psycopg.connect(url, autocommit=True) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied|must be owner"):
            conn.execute(statement)
        assert conn.execute("SELECT count(*) FROM audit_entry").fetchone()[0] == 2


@pytest.mark.postgres
def test_the_grant_refuses_the_owner_and_a_missing_role(deployment):
    _web_app, _url, owner_app, owner = deployment
    runner = owner_app.test_cli_runner()
    result = runner.invoke(args=["db", "grant-app-role", owner])
    assert result.exit_code == 1 and f"is the tables' owner {owner!r}" in result.output
    result = runner.invoke(args=["db", "grant-app-role", "nobody_" + uuid.uuid4().hex[:8]])
    assert result.exit_code == 1 and "does not exist: create it first" in result.output


def test_the_grant_is_for_postgresql_only(tmp_path):
    with app_on(f"sqlite:///{tmp_path / 'roles.sqlite3'}", tmp_path) as sqlite_app:
        result = sqlite_app.test_cli_runner().invoke(args=["db", "grant-app-role", "web"])
    assert result.exit_code == 1 and "only for PostgreSQL" in result.output
