"""Keep a visit's outbox rows in line with its window: plan, move, revive or cancel them.

Rows are matched by kind (the slot), so a visit edited twice never gets a second invitation:
a slot already sent, claimed or being reconciled is never planned again, and overdue slots
collapse into one catch-up message instead of a burst.
"""
from __future__ import annotations

from datetime import datetime

from ..audit.services import record
from ..extensions import db
from ..messaging.models import OutboundMessage
from ..messaging.services import REVIVABLE_REASONS, audit_status
from ..protocol import Protocol
from .calendar import PlannedMessage, catch_up, plan_messages
from .models import Visit


def sync_visit_messages(visit: Visit, protocol: Protocol, now: datetime) -> None:
    """Plan the invitation and reminders of each questionnaire the patient completes by phone."""
    for administration in visit.administrations:
        if administration.mode != "phone":
            continue
        rows = {row.kind: row for row in db.session.scalars(
            db.select(OutboundMessage).filter_by(administration_id=administration.id)) if is_planned_kind(row.kind)}
        wanted = _wanted(visit, administration, rows, protocol, now)
        _apply(visit, administration, rows, wanted, now)
    db.session.flush()


def is_planned_kind(kind: str) -> bool:
    """The plan's slots; a link resent by staff ("manual_1"...) is none of ours to move."""
    return kind == "invitation" or kind.startswith("reminder_")


def _wanted(visit, administration, rows, protocol: Protocol, now: datetime) -> list[PlannedMessage]:
    if administration.is_submitted or visit.is_final or visit.patient.status != "active":
        return []
    tz = visit.patient.timezone
    full = plan_messages(visit.window_opens, visit.window_closes, protocol.reminders, tz)
    still_open = [planned for planned in full if planned.kind not in rows or _is_open_slot(rows[planned.kind])]
    return catch_up(still_open, now, protocol.reminders, tz)


def _is_open_slot(row: OutboundMessage) -> bool:
    """A slot that may be (re)planned: nothing was sent for it, nor may have been."""
    if row.status in ("pending", "expired"):
        return True
    return row.status == "cancelled" and row.cancel_reason in REVIVABLE_REASONS


def _apply(visit, administration, rows: dict, wanted: list[PlannedMessage], now: datetime) -> None:
    wanted_kinds = {planned.kind for planned in wanted}
    for planned in wanted:
        row = rows.get(planned.kind)
        if row is None:
            db.session.add(OutboundMessage(patient_id=visit.patient_id, administration_id=administration.id,
                                           kind=planned.kind, due_at=planned.due_at_utc,
                                           not_after=planned.not_after_utc))
        else:
            _replan(row, planned, now)
    reason = _drop_reason(visit, administration)
    for kind, row in rows.items():
        if kind not in wanted_kinds and row.status == "pending":
            row.status, row.cancel_reason, row.status_changed_at = "cancelled", reason, now
            audit_status(row.id, row.patient_id, "pending", "cancelled", reason)


def _drop_reason(visit, administration) -> str:
    if administration.is_submitted:
        return "completed"
    if visit.patient.status != "active":
        return f"patient_{visit.patient.status}"
    return f"visit_{visit.status}" if visit.is_final else "rescheduled"


def _replan(row: OutboundMessage, planned: PlannedMessage, now: datetime) -> None:
    if row.status == "pending" and (row.due_at, row.not_after) == (planned.due_at_utc, planned.not_after_utc):
        return
    if row.status == "pending":
        record("message_rescheduled", "outbound_message", row.id, field="due_at", old=row.due_at,
               new=planned.due_at_utc, patient_id=row.patient_id)
    else:
        audit_status(row.id, row.patient_id, row.status, "pending", "replanned")
        row.status, row.cancel_reason, row.status_changed_at = "pending", None, now
    row.due_at, row.not_after = planned.due_at_utc, planned.not_after_utc
