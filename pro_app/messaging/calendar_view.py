"""A patient's calendar of messages, read-only: for `flask reminders plan` and the staff page."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from ..extensions import db
from ..protocol import ReminderPolicy
from ..schedule.calendar import local_time
from .eligibility import SEND, verdict
from .models import OutboundMessage


@dataclass(frozen=True)
class MessageLine:
    message: OutboundMessage
    local_due: datetime
    outlook: str  # for a pending row, what a dispatcher would do at its due time


@dataclass(frozen=True)
class VisitBlock:
    visit: object
    messages: list[MessageLine]


def patient_calendar(patient, policy: ReminderPolicy) -> list[VisitBlock]:
    blocks = []
    for visit in patient.visits:
        ids = [a.id for a in visit.administrations]
        rows = db.session.scalars(select(OutboundMessage).where(OutboundMessage.administration_id.in_(ids))
                                  .order_by(OutboundMessage.due_at, OutboundMessage.id)).all() if ids else []
        blocks.append(VisitBlock(visit, [_line(row, patient.timezone, policy) for row in rows]))
    return blocks


def _line(row: OutboundMessage, tz: str, policy: ReminderPolicy) -> MessageLine:
    return MessageLine(row, local_time(row.due_at, tz), _outlook(row, policy) if row.status == "pending" else "")


def _outlook(row: OutboundMessage, policy: ReminderPolicy) -> str:
    decision = verdict(row, row.due_at, policy)
    if decision.action == SEND:
        return "send"
    if decision.defer_to is not None:
        return f"defer to {decision.defer_to:%Y-%m-%d %H:%M} UTC"
    return f"{decision.action}: {decision.reason}"


def describe(row: OutboundMessage) -> str:
    """The detail that goes with a status: sid, error, or reason."""
    if row.status == "cancelled":
        return row.cancel_reason or ""
    if row.status in ("failed", "undelivered", "unknown", "expired") and (row.last_error_code or row.last_error):
        return " ".join(filter(None, [row.last_error_code, row.last_error]))
    return row.provider_sid or ""
