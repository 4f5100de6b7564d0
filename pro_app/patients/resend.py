"""Resend a questionnaire link by text message, on a nurse's request.

The older links of the questionnaire are revoked now; the message joins the outbox as
``manual_<n>``, due at the next moment the reminder policy allows (at once during sending
hours), and the dispatcher mints the fresh link when it sends it, so no usable token ever
rests in the database.
"""
from __future__ import annotations

from ..audit.services import record
from ..db import utcnow
from ..extensions import db
from ..messaging.models import OutboundMessage
from ..protocol import Protocol
from ..questionnaires.links import revoke_links, window_utc
from ..questionnaires.models import Administration
from ..schedule.calendar import local_to_utc, next_allowed_send_time
from ..staff.errors import N_
from .services import PatientError

RESENDABLE_MODES = ("phone", "tablet")


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


def resend_link(administration: Administration, protocol: Protocol) -> OutboundMessage:
    now = utcnow()
    problem = resend_problem(administration, now)
    if problem:
        raise PatientError("administration", problem)
    visit, patient = administration.visit, administration.visit.patient
    not_after = local_to_utc(visit.window_closes, protocol.reminders.send_until, patient.timezone)
    due = next_allowed_send_time(now, protocol.reminders, patient.timezone, not_after)
    if due is None:
        raise PatientError("administration", N_("No sending time is left before the window closes."))
    revoke_links(administration, "reissued")
    message = OutboundMessage(patient_id=patient.id, administration_id=administration.id,
                              kind=f"manual_{_manual_count(administration) + 1}", due_at=due, not_after=not_after)
    db.session.add(message)
    db.session.flush()
    record("resend_link", "administration", administration.id, patient_id=patient.id,
           new={"message": message.id, "kind": message.kind, "due_at": due})
    return message


def _manual_count(administration: Administration) -> int:
    return db.session.scalar(db.select(db.func.count(OutboundMessage.id)).where(
        OutboundMessage.administration_id == administration.id, OutboundMessage.kind.like("manual_%")))
