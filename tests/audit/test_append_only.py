"""The audit trail cannot be edited: the ORM refuses, the database refuses, and tampering shows."""

import pytest
from sqlalchemy.exc import DBAPIError

from pro_app.audit.guard import AuditTrailIsAppendOnly
from pro_app.audit.models import AuditEntry
from pro_app.audit.services import record
from pro_app.extensions import db
from tests.audit.attacker import trigger_lifted
from tests.integrity.apps import emptied_after, kind_app_fixture

KINDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(scope="module", params=KINDS)
def kind_db(request, tmp_path_factory):
    with kind_app_fixture(request.param, tmp_path_factory) as app:
        yield request.param, app


@pytest.fixture
def kind_app(kind_db):
    kind, app = kind_db
    with emptied_after(app):
        yield kind, app


def _three_entries():
    for n in range(3):
        record("update", "patient", n, field="language", old="fr", new="en")
    db.session.commit()
    return list(db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.id)))


def _count() -> int:
    return db.session.scalar(db.select(db.func.count(AuditEntry.id)))


def test_the_application_cannot_modify_or_delete_an_entry(app):
    entry = _three_entries()[1]
    entry.new_value = "de"
    with pytest.raises(AuditTrailIsAppendOnly, match=f"entry {entry.id} cannot be modified"):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.get(AuditEntry, entry.id))
    with pytest.raises(AuditTrailIsAppendOnly, match="cannot be deleted"):
        db.session.flush()


def test_the_database_refuses_an_update_by_sql(kind_app):
    entry = _three_entries()[0]
    with pytest.raises(DBAPIError, match="append-only: UPDATE refused"):
        with db.engine.begin() as conn:
            conn.exec_driver_sql(f"UPDATE audit_entry SET new_value = 'x' WHERE id = {entry.id}")
    db.session.expire_all()
    assert db.session.get(AuditEntry, entry.id).new_value == "en"


def test_postgresql_refuses_a_delete_sqlite_lets_verify_see_it(kind_app, runner_for):
    kind, app = kind_app
    entries = _three_entries()
    delete = f"DELETE FROM audit_entry WHERE id = {entries[1].id}"
    if kind == "postgresql":
        with pytest.raises(DBAPIError, match=f"append-only: DELETE refused on entry {entries[1].id}"):
            with db.engine.begin() as conn:
                conn.exec_driver_sql(delete)
        assert _count() == 3
        return
    with db.engine.begin() as conn:
        conn.exec_driver_sql(delete)
    result = runner_for(app).invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and f"broken: entry {entries[1].seq} is missing" in result.output


def test_verify_names_the_first_tampered_entry(kind_app, runner_for):
    """Only the table owner can lift the trigger; the hash chain still shows what it changed."""
    _, app = kind_app
    entries = _three_entries()
    assert f"intact: 3 entries, last entry 3, last hash {entries[2].entry_hash}" in runner_for(app).invoke(
        args=["audit", "verify"]).output
    with trigger_lifted():
        with db.engine.begin() as conn:
            for entry in entries[1:]:
                conn.exec_driver_sql(f"UPDATE audit_entry SET new_value = 'de' WHERE id = {entry.id}")
    db.session.expire_all()
    result = runner_for(app).invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"broken: entry {entries[1].seq} ({entries[1].at:%Y-%m-%d %H:%M:%S} UTC, update patient 1) was " \
           f"changed" in result.output


@pytest.fixture
def runner_for():
    return lambda app: app.test_cli_runner()


def test_the_migration_statements_round_trip_as_alembic_runs_them(kind_app):
    """`op.execute(str)` wraps the text in `text()`: the statements must survive bind parsing."""
    from sqlalchemy import text

    from pro_app.audit.triggers import statements_for
    kind, _app = kind_app
    entry = _three_entries()[0]
    db.session.close()  # its open read transaction would hold DROP TRIGGER's lock forever
    update = text("UPDATE audit_entry SET reason = 'x' WHERE id = :id")
    with db.engine.begin() as conn:
        for statement in statements_for(kind, upgrade=False):
            conn.execute(text(statement))
        conn.execute(update, {"id": entry.id})  # allowed without the trigger
        for statement in statements_for(kind, upgrade=True):
            conn.execute(text(statement))
    with pytest.raises(DBAPIError, match="append-only"):
        with db.engine.begin() as conn:
            conn.execute(update, {"id": entry.id})
