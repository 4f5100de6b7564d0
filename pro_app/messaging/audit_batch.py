"""Audit entries for a batch of message state changes: one chain lock, one read, one INSERT.

Each entry is exactly what ``audit.services.record`` writes for that change (same fields, same
actor, same hash chain), but ``record`` locks the chain and reads its last hash once per entry,
three statements each; the dispatcher records dozens of changes per transaction.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import insert, select, text

from ..audit.models import AuditEntry
from ..audit.services import CHAIN_LOCK_KEY, GENESIS_HASH, current_actor, entry_digest
from ..db import utcnow
from ..extensions import db


_COLUMNS = ("at", "actor_type", "actor_id", "actor_role", "action", "entity", "entity_id", "patient_id", "field",
            "old_value", "new_value", "reason", "prev_hash", "entry_hash")


@dataclass(frozen=True)
class StatusChange:
    message_id: int
    patient_id: int
    old: str | None
    new: str
    reason: str | None = None


def audit_changes(changes: list[StatusChange]) -> None:
    if not changes:
        return
    actor = current_actor()
    previous = _chain_head()
    rows = []
    for change in changes:
        entry = AuditEntry(at=utcnow(), actor_type=actor.type, actor_id=actor.id, actor_role=actor.role,
                           action="message_status", entity="outbound_message", entity_id=str(change.message_id),
                           patient_id=change.patient_id, field="status", old_value=change.old,
                           new_value=change.new, reason=change.reason, prev_hash=previous)
        entry.entry_hash = previous = entry_digest(entry)
        rows.append({column: getattr(entry, column) for column in _COLUMNS})
    # Row by row in chain order (an executemany): ids follow the chain, as verify_chain expects.
    db.session.execute(insert(AuditEntry), rows)


def _chain_head() -> str:
    # Held until commit, as in audit.services: no other writer can chain onto the same entry.
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK_KEY})
    last = db.session.scalar(select(AuditEntry.entry_hash).order_by(AuditEntry.id.desc()).limit(1))
    return last or GENESIS_HASH
