"""Claiming and sweeping outbox rows: one statement each, safe with several dispatchers.

PostgreSQL: the subquery locks due rows ``FOR UPDATE SKIP LOCKED``, so concurrent dispatchers
take disjoint batches without waiting for each other. SQLite renders no FOR UPDATE; there a
single ``UPDATE ... RETURNING`` is atomic because the database has one writer, and exactly one
dispatcher runs.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update

from ..extensions import db
from .models import OutboundMessage as Message
from .services import audit_status


def claim(worker: str, now: datetime, lease_until: datetime, limit: int, status: str = "pending") -> list[int]:
    """Lease up to ``limit`` rows of ``status`` due by ``now``; returns their ids (oldest first)."""
    # A CTE, not "id IN (subquery)": PostgreSQL may run such a subquery more than once, and its
    # LIMIT would then not bound the batch. The UPDATE joins on id alone: FOR UPDATE has already
    # re-checked the status on each row's newest version, and a second status test let the planner
    # scan every pending row once per claimed row when the table had no statistics yet.
    due = (select(Message.id).where(Message.status == status, Message.due_at <= now)
           .order_by(Message.due_at, Message.id).limit(limit).with_for_update(skip_locked=True).cte("due"))
    statement = (update(Message).where(Message.id == due.c.id)
                 .values(status="claimed", claimed_by=worker, claimed_until=lease_until)
                 .returning(Message.id))
    return sorted(_run(statement))


def expire_overdue(now: datetime) -> int:
    """Pending rows whose window has closed will never be sent."""
    statement = (update(Message).where(Message.status == "pending", Message.not_after <= now)
                 .values(status="expired", status_changed_at=now)
                 .returning(Message.id, Message.patient_id))
    return _audited(statement, "pending", "expired", "window closed before sending")


def lapse_leases(now: datetime) -> int:
    """A claim past its lease means a dispatcher died or hung: the provider may have the message."""
    statement = (update(Message).where(Message.status == "claimed", Message.claimed_until < now)
                 .values(status="unknown", claimed_by=None, claimed_until=None, due_at=now, status_changed_at=now)
                 .returning(Message.id, Message.patient_id))
    return _audited(statement, "claimed", "unknown", "lease expired before the outcome was recorded")


def owned(worker: str):
    """The WHERE clause for rows this dispatcher still holds."""
    return (Message.status == "claimed") & (Message.claimed_by == worker)


def _run(statement) -> list:
    return list(db.session.scalars(statement.execution_options(synchronize_session=False)))


def _audited(statement, old: str, new: str, reason: str) -> int:
    rows = db.session.execute(statement.execution_options(synchronize_session=False)).all()
    for message_id, patient_id in rows:
        audit_status(message_id, patient_id, old, new, reason)
    return len(rows)
