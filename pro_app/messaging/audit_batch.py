"""Audit entries for a batch of message state changes, written through ``audit.record_many``."""
from __future__ import annotations

from dataclasses import dataclass

from ..audit.services import Change, record_many


@dataclass(frozen=True)
class StatusChange:
    message_id: int
    patient_id: int
    old: str | None
    new: str
    reason: str | None = None


def audit_changes(changes: list[StatusChange]) -> None:
    record_many([Change("message_status", "outbound_message", c.message_id, field="status", old=c.old, new=c.new,
                        reason=c.reason, patient_id=c.patient_id) for c in changes])
