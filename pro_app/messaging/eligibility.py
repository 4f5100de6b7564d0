"""Is a claimed message still wanted, right now? Asked just before every send and reconciliation."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..protocol import ReminderPolicy
from ..schedule.calendar import local_time, next_allowed_send_time
from .models import OutboundMessage

SEND, CANCEL, EXPIRE, DEFER = "send", "cancel", "expire", "defer"
WINDOW_CLOSED = "window_closed"


@dataclass(frozen=True)
class Verdict:
    action: str
    reason: str | None = None
    defer_to: datetime | None = None


def verdict(message: OutboundMessage, now: datetime, policy: ReminderPolicy) -> Verdict:
    reason = why_unwanted(message, now)
    if reason == WINDOW_CLOSED:
        return Verdict(EXPIRE, reason)
    if reason:
        return Verdict(CANCEL, reason)
    moment = next_allowed_send_time(now, policy, message.patient.timezone, message.not_after)
    if moment is None:
        return Verdict(EXPIRE, "no sending time left before the window closes")
    if moment > now:
        return Verdict(DEFER, "outside sending hours", moment)
    return Verdict(SEND)


def why_unwanted(message: OutboundMessage, now: datetime) -> str | None:
    """The cancel reason when the message must not go out, else None (quiet hours aside)."""
    patient = message.patient
    if patient.status != "active":
        return f"patient_{patient.status}"
    if not patient.sms_consent:
        return "no_consent"
    if patient.sms_opted_out_at is not None:
        return "opted_out"
    if patient.phone_ciphertext is None:
        return "no_phone"
    return _questionnaire_reason(message, now)


def _questionnaire_reason(message: OutboundMessage, now: datetime) -> str | None:
    administration = message.administration
    if administration is None:
        return "no_questionnaire"
    if administration.is_submitted:
        return "completed"
    visit = administration.visit
    if visit.is_final:
        return "completed" if visit.status == "completed" else f"visit_{visit.status}"
    if local_time(message.not_after, message.patient.timezone).date() != visit.window_closes:
        # Dates were edited and this row was not planned again with them: never send it stale.
        return "rescheduled"
    if now >= message.not_after:
        return WINDOW_CLOSED
    return None
