"""Audit entries as the version before keyed chains wrote them (plain SHA-256, no seq, no key id)."""
from __future__ import annotations

import hashlib
import json
from datetime import datetime

import sqlalchemy as sa

NAMES = ("prev_hash", "at", "actor_type", "actor_id", "actor_role", "action", "entity", "entity_id", "patient_id",
         "field", "old_value", "new_value", "reason")


def old_sha256(row: dict) -> str:
    """The hash every entry had before the chain was keyed, computed as that code did."""
    fields = [row["at"].isoformat() if name == "at" else row[name] for name in NAMES]
    return hashlib.sha256(json.dumps(fields, default=str).encode()).hexdigest()


def legacy_trail(ids: list[int]) -> list[dict]:
    trail, previous = [], "0" * 64
    for n, entry_id in enumerate(ids):
        row = dict(id=entry_id, at=datetime(2026, 11, 30, 9, n, 5, 123456), actor_type="staff", actor_id=7,
                   actor_role="nurse", action="update", entity="patient", entity_id=str(n), patient_id=n,
                   field="language", old_value="fr", new_value="en", reason=None, prev_hash=previous)
        row["entry_hash"] = previous = old_sha256(row)
        trail.append(row)
    return trail


def insert_legacy_trail(conn, ids: list[int]) -> None:
    """Into an `audit_entry` of the old schema, the given ids taken from its id sequence as the app would."""
    rows = legacy_trail(ids)
    conn.execute(sa.insert(sa.table("audit_entry", *map(sa.column, rows[0]))), rows)
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("SELECT setval(pg_get_serial_sequence('audit_entry', 'id'), max(id)) FROM audit_entry")
