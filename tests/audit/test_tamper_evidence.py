"""What a database writer without AUDIT_KEY can do to the trail, and how `flask audit verify` sees it.

Every attack runs raw SQL with the append-only trigger lifted (see attacker.py); the app uses a
random key of its own, as in production. Exit statuses: 0 intact and holding the anchor, 1 broken,
3 intact but no anchor, 4 not checked.
"""
from __future__ import annotations

import dataclasses
import json
import logging
from datetime import timedelta

import pytest
from apscheduler.schedulers.background import BackgroundScheduler

from pro_app.audit.keys import DEV_AUDIT_KEY, parse_keyring
from pro_app.audit.services import record
from pro_app.extensions import db
from pro_app.scheduler import jobs
from pro_app.scheduler.runner import add_jobs
from tests.audit import attacker
from tests.integrity.apps import emptied_after, kind_app_fixture
from tests.support.audit_keys import new_audit_key

KINDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(scope="module", params=KINDS)
def kind_db(request, tmp_path_factory):
    with kind_app_fixture(request.param, tmp_path_factory) as app:
        yield request.param, app


@dataclasses.dataclass
class Trail:
    kind: str
    app: object
    anchors: object  # the anchor file

    def cli(self, *args) -> tuple[int, str]:
        result = self.app.test_cli_runner().invoke(args=list(args))
        assert "Traceback" not in result.output
        return result.exit_code, result.output

    def verify(self, *args) -> tuple[int, str]:
        return self.cli("audit", "verify", *args)

    def anchor(self, *args) -> dict:
        code, output = self.cli("audit", "anchor", *args)
        assert code == 0, output
        return json.loads(output)

    def anchor_lines(self) -> list[str]:
        return self.anchors.read_text().splitlines() if self.anchors.exists() else []


@pytest.fixture
def trail(kind_db, tmp_path):
    kind, app = kind_db
    with emptied_after(app):
        settings = app.extensions["pro_app.settings"]
        app.extensions["pro_app.settings"] = dataclasses.replace(
            settings, audit_key=new_audit_key("site-key"), audit_anchor_file=tmp_path / "anchors.jsonl")
        try:
            yield Trail(kind, app, tmp_path / "anchors.jsonl")
        finally:
            app.extensions["pro_app.settings"] = settings


def _entries(count: int) -> None:
    for n in range(count):
        record("update", "patient", n + 1, field="language", old="fr", new="en")
        db.session.commit()


def test_an_intact_trail_exits_3_without_an_anchor_and_0_once_anchored(trail):
    _entries(3)
    code, output = trail.verify()
    assert code == 3 and "intact: 3 entries, last entry 3" in output and "no anchor" in output
    head = attacker.rows()[-1]
    anchor = trail.anchor()
    assert (anchor["seq"], anchor["hash"], anchor["key_id"]) == (3, head["entry_hash"], "site-key")
    assert [json.loads(line) for line in trail.anchor_lines()] == [anchor]
    _entries(2)
    code, output = trail.verify()
    assert code == 0 and "intact: 5 entries, last entry 5" in output
    assert f"holds the anchor of {anchor['at']} (entry 3)" in output


@pytest.mark.parametrize("key_id", ["keep", None], ids=["key-id-kept", "made-legacy"])
def test_an_entry_rewritten_and_the_rest_rehashed_with_plain_sha256_is_named(trail, key_id):
    _entries(5)
    trail.anchor()
    attacker.rewrite(3, attacker.plain_sha256, key_id=key_id, new_value="de")
    code, output = trail.verify()
    assert code == 1 and "audit trail broken: entry 3 (" in output
    assert ("unkeyed legacy format after keyed entries" if key_id is None else "was changed") in output
    code, output = trail.cli("audit", "anchor")  # checks from the anchored entry 5 on: that is enough to refuse
    assert code == 1 and "audit trail broken: entry 5" in output and len(trail.anchor_lines()) == 1


def test_an_entry_rehashed_under_a_guessed_key_is_named(trail):
    """The development key is public; the attacker tries it, and keeps the entries' key id."""
    _entries(4)
    attacker.rewrite(2, attacker.hmac_with(parse_keyring(DEV_AUDIT_KEY).current), new_value="de")
    code, output = trail.verify()
    assert code == 1 and "audit trail broken: entry 2 (" in output and "was changed after it was written" in output


def test_a_whole_trail_rewritten_in_the_legacy_format_fails_at_the_anchor(trail):
    _entries(4)
    anchor = trail.anchor()
    attacker.rewrite(1, attacker.plain_sha256, key_id=None, new_value="de")  # every entry self-consistent
    code, output = trail.verify()
    assert code == 1
    assert f"entry 4 does not match the anchor of {anchor['at']}: the trail was rewritten up to it" in output


def test_a_deleted_entry_is_named_as_missing(trail):
    _entries(6)
    attacker.delete("seq = 3")
    code, output = trail.verify()
    assert code == 1 and "audit trail broken: entry 3 is missing (deleted from the database)" in output
    attacker.delete("seq IN (4, 5)")
    code, output = trail.verify()
    assert code == 1 and "audit trail broken: entries 3 to 5 are missing" in output


def test_the_newest_entries_deleted_fail_against_the_anchor_and_are_never_anchored(trail, caplog):
    _entries(5)
    anchor = trail.anchor()
    attacker.delete("seq >= 4")
    code, output = trail.verify()
    assert code == 1
    assert (f"the trail ends at entry 3, but the anchor of {anchor['at']} records entry 5: entries 4 to 5 are "
            f"missing") in output
    code, output = trail.cli("audit", "anchor")
    assert code == 1 and "records entry 5" in output
    caplog.set_level(logging.INFO, logger="pro_app.scheduler")
    jobs.anchor_audit_trail(trail.app)
    assert "audit trail not anchored: the trail ends at entry 3" in caplog.text
    assert len(trail.anchor_lines()) == 1  # neither the command nor the scheduler vouched for the shorter trail
    _entries(2)  # new entries take numbers 4 and 5 again: entry 5 is not the anchored one
    code, output = trail.verify()
    assert code == 1 and "entry 5 does not match the anchor" in output


def test_an_emptied_trail_fails_against_the_anchor(trail):
    _entries(3)
    anchor = trail.anchor()
    with attacker.trigger_lifted(), db.engine.begin() as conn:
        conn.exec_driver_sql("TRUNCATE audit_entry" if trail.kind == "postgresql" else "DELETE FROM audit_entry")
    code, output = trail.verify()
    assert code == 1 and f"the trail is empty, but the anchor of {anchor['at']} records entry 3" in output


def test_a_monitors_copy_of_an_anchor_is_checked_and_a_bad_anchor_file_is_not_read(trail, tmp_path):
    _entries(2)
    printed = trail.anchor("--print-only")
    assert printed["seq"] == 2 and trail.anchor_lines() == []  # printed, not written
    monitor_copy = tmp_path / "monitor.jsonl"
    monitor_copy.write_text(json.dumps(printed) + "\n")
    code, output = trail.verify("--anchor-file", str(monitor_copy))
    assert code == 0 and "(entry 2)" in output
    attacker.delete("seq = 2")
    code, output = trail.verify("--anchor-file", str(monitor_copy))
    assert code == 1 and "entry 2 is missing" in output
    trail.anchors.write_text('{"seq": 1, "hash": "not a hash"}\n')
    code, output = trail.verify()
    assert code == 4 and "line 1 is not an anchor" in output


def test_the_scheduler_anchors_at_start_and_at_least_daily(trail):
    job = add_jobs(BackgroundScheduler(timezone="UTC"), trail.app).get_job("anchor_audit_trail")
    assert job.next_run_time is not None and job.trigger.interval <= timedelta(days=1)
    _entries(3)
    jobs.anchor_audit_trail(trail.app)
    _entries(1)
    jobs.anchor_audit_trail(trail.app)
    written = [json.loads(line) for line in trail.anchor_lines()]
    assert [(a["seq"], a["by"]) for a in written] == [(3, "scheduler"), (4, "scheduler")]
    assert trail.verify()[0] == 0
