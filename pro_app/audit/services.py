"""Write audit entries in the caller's transaction and verify the hash chain."""
from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass

from flask import g, has_request_context
from psycopg import sql
from sqlalchemy import Insert, Select, event, select, text
from sqlalchemy.orm import Session

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
           reason: str | None = None, patient_id: int | None = None, actor: Actor | None = None) -> None:
    """Audit one change; the entry is written by the same transaction's commit."""
    record_many([Change(action, entity, entity_id, field, old, new, reason, patient_id)], actor)


def record_many(changes: list[Change], actor: Actor | None = None) -> None:
    actor, at, session = actor or current_actor(), utcnow(), db.session()
    if not session.in_transaction():
        session.begin()  # the entries belong to a transaction: its end, whatever it is, clears them
    _pending(session).extend((change, actor, at) for change in changes)


# Entries wait in the session until its commit, and are chained and inserted just before it: the
# chain lock is then held for one INSERT and the COMMIT, not for the whole request.
PENDING = "pro_app.audit.pending"
SAVEPOINT_MARKS = "pro_app.audit.savepoint_marks"


def _pending(session: Session) -> list:
    return session.info.setdefault(PENDING, [])


def install_commit_hook() -> None:
    for name, listener in (("before_commit", _write_pending), ("after_transaction_create", _mark_savepoint),
                           ("after_soft_rollback", _discard_savepoint_entries),
                           ("after_transaction_end", _discard_unwritten)):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)


def _write_pending(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint's release: the entries wait for the outer commit
    pending = session.info.pop(PENDING, None)
    if not pending:
        return
    previous, rows = _last_hash(session), []
    for change, actor, at in pending:
        row = _chained_row(change, actor, at, previous)
        previous = row["entry_hash"]
        rows.append(row)
    # An executemany inserts in list order, so ids follow the chain as verify_chain expects.
    session.connection().execute(_insert_entries(), rows)


def _mark_savepoint(session: Session, transaction) -> None:
    if transaction.nested:
        session.info.setdefault(SAVEPOINT_MARKS, {})[transaction] = len(_pending(session))


def _discard_savepoint_entries(session: Session, previous_transaction) -> None:
    """A rolled-back savepoint drops the entries recorded inside it."""
    mark = session.info.get(SAVEPOINT_MARKS, {}).pop(previous_transaction, None)
    if previous_transaction.nested and mark is not None:
        del _pending(session)[mark:]


def _discard_unwritten(session: Session, transaction) -> None:
    """The end of the outermost transaction (rolled back or closed) leaves nothing waiting."""
    if transaction.parent is None:
        session.info.pop(PENDING, None)
        session.info.pop(SAVEPOINT_MARKS, None)


def _chained_row(change: Change, actor: Actor, at, prev_hash: str) -> dict:
    row = dict(
        at=at, actor_type=actor.type, actor_id=actor.id, actor_role=actor.role, action=change.action,
        entity=change.entity, entity_id=None if change.entity_id is None else str(change.entity_id),
        patient_id=change.patient_id, field=change.field, old_value=_text(change.old),
        new_value=_text(change.new), reason=change.reason, prev_hash=prev_hash)
    row["entry_hash"] = _digest(row)
    return row


def _text(value) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, sort_keys=True, default=str)


def _last_hash(session: Session) -> str:
    if session.get_bind().dialect.name == "postgresql":
        return _locked_last_hash(session) or GENESIS_HASH
    session.execute(_SQLITE_WRITE_LOCK)
    return session.scalar(_last_hash_query()) or GENESIS_HASH


# SQLite: an UPDATE that matches no row still takes the database's write lock (and makes the
# driver open the transaction), so no other writer can append between this read and the commit.
_SQLITE_WRITE_LOCK = text("UPDATE audit_entry SET id = id WHERE 0")


# Two statements in one simple query: one round trip fewer while the lock is held, and each
# statement still takes its own snapshot (READ COMMITTED), so the SELECT, which runs once the
# lock is granted, sees the entry that the previous holder committed.
_LOCK_THEN_LAST_HASH = sql.SQL("SELECT pg_advisory_xact_lock({}); "
                               "SELECT entry_hash FROM audit_entry ORDER BY id DESC LIMIT 1"
                               ).format(sql.Literal(CHAIN_LOCK_KEY)).as_string(None)


def _locked_last_hash(session: Session) -> str | None:
    result = session.connection().exec_driver_sql(_LOCK_THEN_LAST_HASH)
    try:
        result.cursor.nextset()
        row = result.cursor.fetchone()
    finally:
        result.close()
    return row[0] if row else None


@functools.cache
def _insert_entries() -> Insert:
    return AuditEntry.__table__.insert()


@functools.cache
def _last_hash_query() -> Select:
    column = AuditEntry.__table__.c
    return select(column.entry_hash).order_by(column.id.desc()).limit(1)


_HASHED_FIELDS = ("prev_hash", "at", "actor_type", "actor_id", "actor_role", "action", "entity", "entity_id",
                  "patient_id", "field", "old_value", "new_value", "reason")


def entry_digest(entry: AuditEntry) -> str:
    return _digest({name: getattr(entry, name) for name in _HASHED_FIELDS})


def _digest(row: dict) -> str:
    fields = [row["at"].isoformat() if name == "at" else row[name] for name in _HASHED_FIELDS]
    return hashlib.sha256(json.dumps(fields, default=str).encode()).hexdigest()


def verify_chain() -> AuditEntry | None:
    """Return the first entry whose link or content does not match, or None when intact."""
    expected_prev = GENESIS_HASH
    for entry in db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.id)).yield_per(1000):
        if entry.prev_hash != expected_prev or entry.entry_hash != entry_digest(entry):
            return entry
        expected_prev = entry.entry_hash
    return None
