"""Write audit entries in the caller's transaction and verify the hash chain."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from flask import g, has_request_context
from sqlalchemy import insert, text

from ..db import utcnow
from ..extensions import db
from .models import AuditEntry

GENESIS_HASH = "0" * 64
# Serialises writers on PostgreSQL so that two transactions never chain onto the same entry.
CHAIN_LOCK_KEY = 0x50524F41


@dataclass(frozen=True)
class Actor:
    type: str
    id: int | None = None
    role: str | None = None


SYSTEM = Actor("system")


def set_actor(actor: Actor) -> None:
    g.audit_actor = actor


def current_actor() -> Actor:
    if has_request_context():
        return g.get("audit_actor", SYSTEM)
    return SYSTEM


@dataclass(frozen=True)
class Change:
    """One audited change, for :func:`record_many`."""

    action: str
    entity: str
    entity_id: object = None
    field: str | None = None
    old: object = None
    new: object = None
    reason: str | None = None
    patient_id: int | None = None


def record(action: str, entity: str, entity_id=None, *, field: str | None = None, old=None, new=None,
           reason: str | None = None, patient_id: int | None = None, actor: Actor | None = None) -> AuditEntry:
    change = Change(action, entity, entity_id, field, old, new, reason, patient_id)
    entry = _chained_entry(change, actor or current_actor(), _last_hash())
    db.session.add(entry)
    db.session.flush()
    return entry


def record_many(changes: list[Change], actor: Actor | None = None) -> None:
    """Audit many changes with one chain lock, one read and one INSERT (the dispatcher's path)."""
    if not changes:
        return
    actor, previous, rows = actor or current_actor(), _last_hash(), []
    for change in changes:
        entry = _chained_entry(change, actor, previous)
        previous = entry.entry_hash
        rows.append({column.key: getattr(entry, column.key) for column in AuditEntry.__table__.columns
                     if column.key != "id"})
    # An executemany inserts in list order, so ids follow the chain as verify_chain expects.
    db.session.execute(insert(AuditEntry), rows)


def _chained_entry(change: Change, actor: Actor, prev_hash: str) -> AuditEntry:
    entry = AuditEntry(
        at=utcnow(), actor_type=actor.type, actor_id=actor.id, actor_role=actor.role, action=change.action,
        entity=change.entity, entity_id=None if change.entity_id is None else str(change.entity_id),
        patient_id=change.patient_id, field=change.field, old_value=_text(change.old),
        new_value=_text(change.new), reason=change.reason, prev_hash=prev_hash)
    entry.entry_hash = entry_digest(entry)
    return entry


def _text(value) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, sort_keys=True, default=str)


def _last_hash() -> str:
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK_KEY})
    last = db.session.scalar(db.select(AuditEntry.entry_hash).order_by(AuditEntry.id.desc()).limit(1))
    return last or GENESIS_HASH


def entry_digest(entry: AuditEntry) -> str:
    fields = [entry.prev_hash, entry.at.isoformat(), entry.actor_type, entry.actor_id, entry.actor_role,
              entry.action, entry.entity, entry.entity_id, entry.patient_id, entry.field,
              entry.old_value, entry.new_value, entry.reason]
    return hashlib.sha256(json.dumps(fields, default=str).encode()).hexdigest()


def verify_chain() -> AuditEntry | None:
    """Return the first entry whose link or content does not match, or None when intact."""
    expected_prev = GENESIS_HASH
    for entry in db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.id)).yield_per(1000):
        if entry.prev_hash != expected_prev or entry.entry_hash != entry_digest(entry):
            return entry
        expected_prev = entry.entry_hash
    return None
