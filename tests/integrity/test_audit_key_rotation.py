"""Rotating AUDIT_KEY: old entries keep verifying under their key id, new ones use the new key.

The procedure tested is the documented one: stop the processes, set AUDIT_KEY to the new key and
move the old one to AUDIT_PREVIOUS_KEYS, run `flask keys rotate-audit-key`, start again.
"""
import dataclasses

import pytest
from sqlalchemy import insert

from pro_app.audit.chain import keyed_digest
from pro_app.audit.keys import parse_keyring
from pro_app.audit.models import AuditEntry
from pro_app.audit.services import record
from pro_app.db import utcnow
from pro_app.extensions import db
from tests.support.audit_keys import new_audit_key

OLD, NEW = new_audit_key("2026a"), new_audit_key("2026b")


@pytest.fixture
def use_keys(app, tmp_path):
    """Point the app at the given AUDIT_KEY and AUDIT_PREVIOUS_KEYS (and a fresh anchor file)."""
    saved = app.extensions["pro_app.settings"]

    def use(current: str, previous: str = "") -> None:
        app.extensions["pro_app.settings"] = dataclasses.replace(
            saved, audit_key=current, audit_previous_keys=previous, audit_anchor_file=tmp_path / "anchors.jsonl")
    yield use
    app.extensions["pro_app.settings"] = saved


def _entries(count: int) -> None:
    for n in range(count):
        record("update", "patient", n, field="language", old="fr", new="en")
        db.session.commit()


def _key_ids() -> list:
    return list(db.session.scalars(db.select(AuditEntry.key_id).order_by(AuditEntry.seq)))


def test_entries_before_and_after_a_rotation_verify_and_a_removed_key_is_named(runner, use_keys):
    use_keys(OLD)
    _entries(3)
    use_keys(NEW, previous=OLD)
    result = runner.invoke(args=["keys", "rotate-audit-key"])
    assert result.exit_code == 0, result.output
    assert "audit key 2026a -> 2026b: entries up to 3 keep their key" in result.output
    _entries(2)
    assert _key_ids() == ["2026a"] * 3 + ["2026b"] * 3  # the rotation's own entry seals the old key's entries
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and "intact: 6 entries" in result.output and "(entry 4)" in result.output
    use_keys(NEW)  # the old key dropped from AUDIT_PREVIOUS_KEYS
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 4
    assert ("audit trail not checked: cannot check entry 1: it was made with key id '2026a', which is not "
            "configured (AUDIT_KEY, AUDIT_PREVIOUS_KEYS)") in result.output


def test_a_leaked_retired_key_cannot_add_entries_after_the_rotation(runner, use_keys):
    use_keys(OLD)
    _entries(2)
    use_keys(NEW, previous=OLD)
    assert runner.invoke(args=["keys", "rotate-audit-key"]).exit_code == 0
    head = db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
    forged = dict(at=utcnow(), actor_type="system", actor_id=None, actor_role=None, action="delete",
                  entity="patient", entity_id="1", patient_id=1, field=None, old_value=None, new_value=None,
                  reason=None, seq=head.seq + 1, key_id="2026a", prev_hash=head.entry_hash)
    forged["entry_hash"] = keyed_digest(forged, parse_keyring(OLD).current)
    with db.engine.begin() as conn:  # INSERT is what the app role may do: no trigger to lift
        conn.execute(insert(AuditEntry.__table__).values(forged))
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"entry {head.seq + 1} (" in result.output
    assert "was made with key id '2026a' after key id '2026b' replaced it" in result.output


def test_the_rotation_changes_nothing_with_an_unchanged_key_or_without_the_old_one(runner, use_keys):
    use_keys(OLD)
    _entries(2)
    result = runner.invoke(args=["keys", "rotate-audit-key"])
    assert result.exit_code == 1 and "key id '2026a' has already made entries" in result.output
    use_keys(NEW)  # the old key forgotten: its entries cannot be checked, so they are not sealed
    result = runner.invoke(args=["keys", "rotate-audit-key"])
    assert result.exit_code == 1 and "does not check out: cannot check entry 1" in result.output
    assert "nothing was written" in result.output and _key_ids() == ["2026a", "2026a"]
