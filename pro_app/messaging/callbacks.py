"""Delivery reports Twilio posts after a send: each applied once, and never backwards.

Twilio's order is queued < sending < sent < delivered | undelivered | failed (< read). Reports
come more than once and out of order, so each (sid, status) is stored once, and a report moves
a message only from "sent" to a final status, which never changes afterwards. Earlier statuses
tell nothing our "sent" does not. A report may also come before the dispatcher has recorded
the sid (it records a batch after the last send, and a crash leaves the sid to reconciliation):
it is then held, and :func:`apply_held_reports`, run by every dispatcher pass, applies it.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite

from ..db import utcnow
from ..extensions import db
from .models import REPORTED_STATUSES, StatusReport
from .models import OutboundMessage as Message
from .services import audit_status

APPLIED, DUPLICATE, HELD, IGNORED = "applied", "duplicate", "held", "ignored"
# What a report makes of a message still "sent": a read message was delivered.
NEW_STATUS = {"delivered": "delivered", "undelivered": "undelivered", "failed": "failed", "read": "delivered"}


def apply_status(sid: str, status: str, error_code: str | None, now: datetime | None = None) -> str:
    """APPLIED, DUPLICATE (this report came before), HELD (no message has the sid yet) or IGNORED."""
    if status not in REPORTED_STATUSES:
        return IGNORED
    now = now or utcnow()
    report_id = _store(sid, status, error_code or None, now)
    if report_id is None:
        return DUPLICATE
    return _settle(report_id, sid, status, error_code or None, now)


def apply_held_reports(now: datetime) -> int:
    """Apply the reports that came before their message's sid was recorded; returns how many moved one."""
    held = db.session.execute(
        select(StatusReport.id, StatusReport.provider_sid, StatusReport.status, StatusReport.error_code)
        .join(Message, Message.provider_sid == StatusReport.provider_sid)
        .where(StatusReport.settled_at.is_(None)).order_by(StatusReport.received_at, StatusReport.id)).all()
    return sum(_settle(*report, now) == APPLIED for report in held)


def _store(sid: str, status: str, error_code: str | None, now: datetime) -> int | None:
    """The new report's id; None if this (sid, status) was stored before. A concurrent twin waits, then gets None."""
    insert = postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert
    statement = (insert(StatusReport)
                 .values(provider_sid=sid, status=status, error_code=error_code, received_at=now)
                 .on_conflict_do_nothing(index_elements=["provider_sid", "status"])
                 .returning(StatusReport.id))
    return db.session.scalar(statement)


def _settle(report_id: int, sid: str, status: str, error_code: str | None, now: datetime) -> str:
    if _move(sid, status, error_code, now):
        result = APPLIED
    elif db.session.scalar(select(Message.id).where(Message.provider_sid == sid)) is None:
        return HELD
    else:
        result = IGNORED  # the message already has a final status
    db.session.execute(update(StatusReport).where(StatusReport.id == report_id, StatusReport.settled_at.is_(None))
                       .values(settled_at=now).execution_options(synchronize_session=False))
    return result


def _move(sid: str, status: str, error_code: str | None, now: datetime) -> bool:
    new = NEW_STATUS[status]
    values = {"status": new, "status_changed_at": now}
    if new != "delivered":
        values.update(last_error_code=error_code, last_error=f"delivery {new}")
    statement = (update(Message).where(Message.provider_sid == sid, Message.status == "sent").values(**values)
                 .returning(Message.id, Message.patient_id).execution_options(synchronize_session=False))
    row = db.session.execute(statement).first()
    if row is None:
        return False
    audit_status(row.id, row.patient_id, "sent", new, f"provider callback {error_code or ''}".strip())
    return True
