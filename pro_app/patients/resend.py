"""Resend a questionnaire link by text message, on a nurse's request.

The older links of the questionnaire are revoked now; the message joins the outbox as
``manual_<n>``, due at the next moment the reminder policy allows (at once during sending
hours), and the dispatcher mints the fresh link when it sends it, so no usable token ever
rests in the database.

A resend never stacks: it replaces the resend still pending for the questionnaire and the
invitation or reminders that would go out with it (due no later than the minimum interval
after it); reminders planned for later days stay. A resend is refused within
``reminders.resend_min_interval_minutes`` of the last text sent or asked for.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from ..audit.services import record
from ..db import utcnow
from ..extensions import db
from ..messaging.models import OutboundMessage
from ..messaging.services import cancel_messages
from ..protocol import Protocol
from ..questionnaires.links import revoke_links, window_utc
from ..questionnaires.models import Administration
from ..schedule.calendar import local_to_utc, next_allowed_send_time
from ..staff.errors import N_
from .services import PatientError

RESENDABLE_MODES = ("phone", "tablet")
SUPERSEDED = "superseded"  # cancel reason of the messages a resend replaces
SENT_STATUSES = ("claimed", "sent", "delivered", "undelivered", "unknown")


@dataclass(frozen=True)
class ResendState:
    """What the patient's page says next to the button."""

    ever_sent: bool  # a text of this questionnaire has gone (or may have): "Resend", else "Send now"
    pending: OutboundMessage | None  # the resend still waiting for its sending time


def window_open(visit, now=None) -> bool:
    """True while the visit can still be completed: its window is open and staff have not closed it."""
    opens, closes = window_utc(visit)
    return visit.status not in ("not_done", "cancelled") and opens <= (now or utcnow()) < closes


def resend_problem(administration: Administration, now=None) -> str | None:
    """Why the link cannot be resent now (an English msgid), or None."""
    now = now or utcnow()
    visit, patient = administration.visit, administration.visit.patient
    if administration.mode not in RESENDABLE_MODES or administration.is_submitted:
        return N_("This questionnaire is not waiting for the patient.")
    if not patient.may_receive_sms:
        return N_("This patient cannot receive text messages (no mobile number, opted out or no longer followed).")
    if not window_open(visit, now):
        return N_("The window of this visit is not open.")
    return None


def resend_state(administration: Administration) -> ResendState:
    messages = _messages(administration)
    return ResendState(ever_sent=any(m.status in SENT_STATUSES or m.sent_at for m in messages),
                       pending=next((m for m in messages if m.kind.startswith("manual_") and m.status == "pending"),
                                    None))


def resend_link(administration: Administration, protocol: Protocol) -> OutboundMessage:
    now = utcnow()
    problem = resend_problem(administration, now)
    if problem:
        raise PatientError("administration", problem)
    _check_interval(administration, protocol, now)
    visit, patient = administration.visit, administration.visit.patient
    not_after = local_to_utc(visit.window_closes, protocol.reminders.send_until, patient.timezone)
    due = next_allowed_send_time(now, protocol.reminders, patient.timezone, not_after)
    if due is None:
        raise PatientError("administration", N_("No sending time is left before the window closes."))
    interval = timedelta(minutes=protocol.reminders.resend_min_interval_minutes)
    replaced = [m.id for m in _messages(administration)
                if m.status == "pending" and (m.kind.startswith("manual_") or m.due_at <= due + interval)]
    cancel_messages(replaced, SUPERSEDED, now)
    revoke_links(administration, "reissued")
    message = OutboundMessage(patient_id=patient.id, administration_id=administration.id,
                              kind=f"manual_{_manual_count(administration) + 1}", due_at=due, not_after=not_after)
    db.session.add(message)
    db.session.flush()
    record("resend_link", "administration", administration.id, patient_id=patient.id,
           new={"message": message.id, "kind": message.kind, "due_at": due, "replaces": replaced})
    return message


def _check_interval(administration: Administration, protocol: Protocol, now: datetime) -> None:
    """Refuse a resend within the minimum interval of the last text sent or asked for."""
    interval = timedelta(minutes=protocol.reminders.resend_min_interval_minutes)
    moments = [moment for m in _messages(administration)
               for moment in (m.sent_at, m.created_at if m.kind.startswith("manual_") else None) if moment]
    last = max(moments, default=None)
    if last is not None and now < last + interval:
        raise PatientError("administration", N_("A text message was sent or asked for less than %(minutes)d "
                                                "minutes ago; wait %(left)d min before resending."),
                           minutes=protocol.reminders.resend_min_interval_minutes,
                           left=max(1, -(-int((last + interval - now).total_seconds()) // 60)))


def _messages(administration: Administration) -> list[OutboundMessage]:
    return list(db.session.scalars(db.select(OutboundMessage).where(
        OutboundMessage.administration_id == administration.id).order_by(OutboundMessage.id)))


def _manual_count(administration: Administration) -> int:
    return db.session.scalar(db.select(db.func.count(OutboundMessage.id)).where(
        OutboundMessage.administration_id == administration.id, OutboundMessage.kind.like("manual_%")))
