"""`flask backup create` then `flask backup restore` into a fresh database gives back every row."""
import json
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from pro_app.audit.models import AuditEntry
from pro_app.backup import postgres_files, sqlite_files
from pro_app.audit.services import record
from pro_app.demo.seed import seed_demo
from pro_app.extensions import db
from tests.integrity.apps import app_on, fresh_database_url
from tests.support.legacy_audit import insert_legacy_trail

KINDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def _snapshot() -> dict[str, list[tuple]]:
    rows = {}
    for table in db.metadata.sorted_tables:
        query = select(table).order_by(*table.primary_key.columns)
        rows[table.name] = [tuple(row) for row in db.session.execute(query)]
    return rows


def _invoke(app, *args):
    result = app.test_cli_runner().invoke(args=list(args))
    return result.exit_code, result.output


@pytest.mark.parametrize("kind", KINDS)
def test_a_restored_backup_holds_every_row_of_every_table(kind, tmp_path):
    archive = tmp_path / "backup.dump"
    with fresh_database_url(kind, tmp_path, "source") as source_url, app_on(source_url, tmp_path) as source:
        seed_demo(source.extensions["pro_app.protocol"])
        record("correct", "patient", 1, field="language", old="fr", new="<en>", reason="l'accent: é")
        db.session.commit()
        expected = _snapshot()
        code, output = _invoke(source, "backup", "create", str(archive))
        assert code == 0, output
    assert sum(map(len, expected.values())) > 50 and expected["audit_entry"]
    with fresh_database_url(kind, tmp_path, "target") as target_url, \
            app_on(target_url, tmp_path, create_tables=False) as target:
        code, output = _invoke(target, "backup", "restore", str(archive))
        assert code == 0, output
        restored = _snapshot()
        # The backup records itself after the copy; the restore appends its own entry.
        assert restored.pop("audit_entry")[:-1] == expected.pop("audit_entry")
        assert restored == expected
        code, output = _invoke(target, "audit", "verify")
        assert code == 0 and "intact" in output
        with pytest.raises(DBAPIError, match="append-only"):  # the trigger came back too
            with db.engine.begin() as conn:
                conn.exec_driver_sql("UPDATE audit_entry SET reason = 'x'")
        code, output = _invoke(target, "backup", "restore", str(archive))
        assert code == 1 and "--replace" in output


def test_a_backup_never_overwrites_a_file_and_a_bad_file_is_refused(app, runner, tmp_path):
    existing = tmp_path / "taken.sqlite3"
    existing.write_bytes(b"keep me")
    result = runner.invoke(args=["backup", "create", str(existing)])
    assert result.exit_code == 1 and "already exists" in result.output
    assert existing.read_bytes() == b"keep me"
    result = runner.invoke(args=["backup", "restore", str(tmp_path / "missing.dump"), "--replace"])
    assert result.exit_code == 1 and "no such file" in result.output


def _entries(count: int) -> None:
    for n in range(count):
        record("update", "patient", n, field="language", old="fr", new="en")
        db.session.commit()


@pytest.mark.parametrize("kind", KINDS)
def test_a_restore_from_before_the_last_anchor_is_anchored_anew_and_the_loss_stays_visible(kind, tmp_path):
    """The restored trail verifies against the restore's anchor; a monitor's older anchor shows what was lost."""
    archive, monitor_copy = tmp_path / "backup.dump", tmp_path / "monitor.jsonl"
    with fresh_database_url(kind, tmp_path, "source") as source_url, app_on(source_url, tmp_path) as source:
        _entries(2)
        assert _invoke(source, "backup", "create", str(archive))[0] == 0  # entry 3, not in the backup
        _entries(2)
        code, output = _invoke(source, "audit", "anchor")
        assert code == 0 and json.loads(output)["seq"] == 5
        monitor_copy.write_text(output)
    with fresh_database_url(kind, tmp_path, "target") as target_url, \
            app_on(target_url, tmp_path, create_tables=False) as target:  # the same instance folder and anchor file
        code, output = _invoke(target, "backup", "restore", str(archive))
        assert code == 0, output
        restore = db.session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
        assert (restore.seq, restore.action, json.loads(restore.new_value)["anchor_before"]) == (3, "restore", 5)
        anchors = (tmp_path / "audit-anchors.jsonl").read_text().splitlines()
        assert [(a["seq"], a["by"]) for a in map(json.loads, anchors)] == [(5, "command"), (3, "restore")]
        code, output = _invoke(target, "audit", "verify")
        assert code == 0 and "intact: 3 entries" in output
        code, output = _invoke(target, "audit", "verify", "--anchor-file", str(monitor_copy))
        assert code == 1 and "the trail ends at entry 3, but the anchor of" in output and "4 to 5 are missing" in output


@pytest.mark.parametrize("kind", KINDS)
def test_a_backup_from_before_numbered_entries_is_upgraded_then_anchored(kind, tmp_path):
    """Restore, `flask db upgrade`, `flask audit anchor --after-restore`: the old entries verify."""
    from flask_migrate import upgrade
    archive = tmp_path / "old.dump"
    with fresh_database_url(kind, tmp_path, "source") as source_url, \
            app_on(source_url, tmp_path, create_tables=False) as source:
        upgrade(revision="eff64e6f4ff5-1")  # the schema before keyed chains: no seq, no key_id
        with db.engine.begin() as conn:
            insert_legacy_trail(conn, [1, 2, 5])
        db.engine.dispose()
        if kind == "sqlite":  # what `flask backup create` of that version wrote (but its own entry)
            sqlite_files.backup(Path(make_url(source_url).database), archive)
        else:
            postgres_files.backup(source_url, archive)
    with fresh_database_url(kind, tmp_path, "target") as target_url, \
            app_on(target_url, tmp_path, create_tables=False) as target:
        code, output = _invoke(target, "backup", "restore", str(archive))
        assert code == 1 and "taken by an older version: run `flask db upgrade`, then `flask audit anchor " \
                              "--after-restore`" in output
        upgrade()
        code, output = _invoke(target, "audit", "anchor", "--after-restore")
        assert code == 0 and json.loads(output)["by"] == "command after restore", output
        code, output = _invoke(target, "audit", "verify")
        assert code == 0 and "intact: 4 entries" in output  # three legacy entries, then the keyed anchoring one
