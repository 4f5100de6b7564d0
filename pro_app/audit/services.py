"""Write audit entries in the caller's transaction, each chained onto the one before (chain.py)."""
from __future__ import annotations

import functools
import json
from dataclasses import dataclass

from flask import g, has_request_context
from psycopg import sql
from sqlalchemy import Insert, Select, event, select, text
from sqlalchemy.orm import Session

from ..db import utcnow
from ..extensions import db
from .chain import GENESIS_HASH, keyed_digest, verify_chain  # noqa: F401  verify_chain: for callers
from .keys import Keyring, keyring
from .models import AuditEntry

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
    (seq, previous), keys, rows = _chain_head(session), keyring(), []
    for change, actor, at in pending:
        seq += 1
        row = _chained_row(change, actor, at, seq, previous, keys)
        previous = row["entry_hash"]
        rows.append(row)
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


def _chained_row(change: Change, actor: Actor, at, seq: int, prev_hash: str, keys: Keyring) -> dict:
    row = dict(
        at=at, actor_type=actor.type, actor_id=actor.id, actor_role=actor.role, action=change.action,
        entity=change.entity, entity_id=None if change.entity_id is None else str(change.entity_id),
        patient_id=change.patient_id, field=change.field, old_value=_text(change.old),
        new_value=_text(change.new), reason=change.reason, seq=seq, key_id=keys.current_id, prev_hash=prev_hash)
    row["entry_hash"] = keyed_digest(row, keys.current)
    return row


def _text(value) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, sort_keys=True, default=str)


def _chain_head(session: Session) -> tuple[int, str]:
    """The newest entry's number and hash, read under the chain lock; (0, genesis) for none yet."""
    if session.get_bind().dialect.name == "postgresql":
        row = _locked_chain_head(session)
    else:
        session.execute(_SQLITE_WRITE_LOCK)
        row = session.execute(_chain_head_query()).first()
    return (row[0], row[1]) if row else (0, GENESIS_HASH)


# SQLite: an UPDATE that matches no row still takes the database's write lock (and makes the
# driver open the transaction), so no other writer can append between this read and the commit.
_SQLITE_WRITE_LOCK = text("UPDATE audit_entry SET id = id WHERE 0")


# Two statements in one simple query: one round trip fewer while the lock is held, and each
# statement still takes its own snapshot (READ COMMITTED), so the SELECT, which runs once the
# lock is granted, sees the entry that the previous holder committed.
_LOCK_THEN_CHAIN_HEAD = sql.SQL("SELECT pg_advisory_xact_lock({}); "
                                "SELECT seq, entry_hash FROM audit_entry ORDER BY seq DESC LIMIT 1"
                                ).format(sql.Literal(CHAIN_LOCK_KEY)).as_string(None)


def _locked_chain_head(session: Session) -> tuple | None:
    result = session.connection().exec_driver_sql(_LOCK_THEN_CHAIN_HEAD)
    try:
        result.cursor.nextset()
        return result.cursor.fetchone()
    finally:
        result.close()


@functools.cache
def _insert_entries() -> Insert:
    return AuditEntry.__table__.insert()


@functools.cache
def _chain_head_query() -> Select:
    column = AuditEntry.__table__.c
    return select(column.seq, column.entry_hash).order_by(column.seq.desc()).limit(1)
