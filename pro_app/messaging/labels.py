"""Staff-facing labels for why a message was not sent, and local times for the outbox pages."""
from __future__ import annotations

from datetime import datetime

from flask_babel import format_datetime
from flask_babel import lazy_gettext as _l

from ..patients.labels import MESSAGE_STATUS
from ..schedule.calendar import local_time

REASONS = {
    "completed": _l("questionnaire completed"),
    "opted_out": _l("patient opted out of text messages"),
    "no_phone": _l("no mobile number"),
    "no_consent": _l("no consent to text messages"),
    "no_questionnaire": _l("no questionnaire to link to"),
    "rescheduled": _l("dates changed; planned again"),
    "patient_withdrawn": _l("patient withdrawn"),
    "patient_deceased": _l("patient deceased"),
    "patient_lost": _l("patient lost to follow-up"),
    "visit_missed": _l("visit window closed"),
    "visit_partial": _l("visit window closed"),
    "visit_not_done": _l("visit marked not done"),
    "visit_cancelled": _l("visit cancelled"),
    "superseded": _l("replaced by a resend"),
}


def status_label(code: str) -> str:
    return str(MESSAGE_STATUS.get(code, code))


def reason_label(code: str | None) -> str:
    return str(REASONS.get(code, code or ""))


def patient_time(moment_utc: datetime | None, tz: str) -> str:
    """A stored naive-UTC moment in the patient's own time zone, with the zone's abbreviation."""
    if moment_utc is None:
        return "—"
    local = local_time(moment_utc, tz)
    return f"{format_datetime(local.replace(tzinfo=None), 'EEE d MMM y HH:mm', rebase=False)} {local:%Z}"
