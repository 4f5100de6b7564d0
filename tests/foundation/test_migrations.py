"""The schema at `upgrade head` equals the models, and every revision downgrades to base."""
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect

from pro_app import create_app
from pro_app.extensions import db
from tests.conftest import unavailable
from tests.support.databases import throwaway_postgres_url
from tests.support.legacy_audit import insert_legacy_trail


def _schema_diff(url: str) -> list:
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            return compare_metadata(context, db.metadata)
    finally:
        engine.dispose()


def _audit_triggers() -> list[str]:
    with db.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            query = ("SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_entry'::regclass "
                     "AND NOT tgisinternal")
        else:
            query = "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_entry'"
        return list(conn.exec_driver_sql(query).scalars())


def _round_trip(url: str, tmp_path) -> None:
    app = create_app({"PRO_APP_ENV": "test", "DATABASE_URL": url, "INSTANCE_PATH": str(tmp_path)})
    with app.app_context():
        upgrade()
        assert _schema_diff(url) == []
        assert _audit_triggers(), "the migration must make the audit trail append-only"
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()


def test_sqlite_upgrade_matches_models_and_downgrades(tmp_path):
    _round_trip(f"sqlite:///{tmp_path / 'migrate.sqlite3'}", tmp_path)


@pytest.mark.postgres
def test_postgresql_upgrade_matches_models_and_downgrades(tmp_path):
    with throwaway_postgres_url(on_unavailable=unavailable) as url:
        _round_trip(url, tmp_path)


def _keyed_chain_over_legacy_entries(url: str, tmp_path) -> None:
    from pro_app.audit.models import AuditEntry
    from pro_app.audit.services import record, verify_chain
    app = create_app({"PRO_APP_ENV": "test", "DATABASE_URL": url, "INSTANCE_PATH": str(tmp_path)})
    with app.app_context():
        upgrade(revision="eff64e6f4ff5-1")
        with db.engine.begin() as conn:  # ids with gaps, as PostgreSQL leaves them
            insert_legacy_trail(conn, [3, 4, 9])
        upgrade()
        record("update", "patient", 1, field="language", old="en", new="fr")
        db.session.commit()
        entries = db.session.execute(db.select(AuditEntry.id, AuditEntry.seq, AuditEntry.key_id)
                                     .order_by(AuditEntry.seq)).all()
        assert [tuple(e) for e in entries[:3]] == [(3, 1, None), (4, 2, None), (9, 3, None)]
        assert (entries[3].seq, entries[3].key_id) == (4, "dev")
        assert verify_chain() is None
        db.session.remove()
        downgrade(revision="base")
        db.engine.dispose()


def test_sqlite_entries_written_before_keys_still_verify_after_the_migration(tmp_path):
    _keyed_chain_over_legacy_entries(f"sqlite:///{tmp_path / 'legacy.sqlite3'}", tmp_path)


@pytest.mark.postgres
def test_postgresql_entries_written_before_keys_still_verify_after_the_migration(tmp_path):
    with throwaway_postgres_url(on_unavailable=unavailable) as url:
        _keyed_chain_over_legacy_entries(url, tmp_path)
