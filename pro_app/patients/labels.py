"""Translated labels for the codes stored on patients, visits, questionnaires and messages."""
from __future__ import annotations

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

PATIENT_STATUS = {
    "active": _l("In follow-up"),
    "withdrawn": _l("Withdrawn"),
    "deceased": _l("Deceased"),
    "lost": _l("Lost to follow-up"),
}
VISIT_STATUS = {
    "upcoming": _l("Upcoming"),
    "open": _l("Window open"),
    "completed": _l("Completed"),
    "partial": _l("Partially completed"),
    "missed": _l("Missed"),
    "not_done": _l("Not done"),
    "cancelled": _l("Cancelled"),
}
ADMINISTRATION_STATUS = {
    "created": _l("Not started"),
    "in_progress": _l("In progress"),
    "submitted": _l("Submitted"),
    "locked": _l("Signed and locked"),
}
INSTRUMENT = {"qlq_c30": _l("QLQ-C30 questionnaire"), "mmse": _l("MMSE")}
MODE = {"phone": _l("patient, by text message"), "tablet": _l("patient, on a clinic tablet"),
        "nurse": _l("nurse")}
EDUCATION = {
    "no_primary_certificate": _l("No primary school certificate"),
    "primary_certificate": _l("Primary school certificate"),
    "secondary_or_higher": _l("Secondary school or higher"),
}
MESSAGE_STATUS = {
    "pending": _l("Planned"), "claimed": _l("Being sent"), "sent": _l("Sent"), "delivered": _l("Delivered"),
    "undelivered": _l("Not delivered"), "failed": _l("Failed"), "cancelled": _l("Cancelled"),
    "expired": _l("Expired"), "unknown": _l("Unknown"),
}
LANGUAGE = {"fr": _l("French"), "en": _l("English")}


def _label(table: dict, code: str | None) -> str:
    return str(table.get(code, code or "—"))


def visit_label(code: str) -> str:
    if code == "baseline":
        return _("Baseline")
    month = re.fullmatch(r"m(\d+)", code)
    return _("Month %(n)d", n=int(month.group(1))) if month else code


def message_kind_label(kind: str) -> str:
    if kind == "invitation":
        return _("Invitation")
    number = re.fullmatch(r"(reminder|manual)_(\d+)", kind)
    if number is None:
        return kind
    if number.group(1) == "reminder":
        return _("Reminder %(n)s", n=number.group(2))
    return _("Resent by staff %(n)s", n=number.group(2))


def education_label(code: str | None) -> str:
    return _label(EDUCATION, code) if code else _("Not recorded")


def register_filters(app) -> None:
    app.jinja_env.globals.update(
        patient_status_label=lambda code: _label(PATIENT_STATUS, code),
        visit_status_label=lambda code: _label(VISIT_STATUS, code),
        administration_status_label=lambda code: _label(ADMINISTRATION_STATUS, code),
        instrument_label=lambda code: _label(INSTRUMENT, code),
        mode_label=lambda code: _label(MODE, code),
        message_status_label=lambda code: _label(MESSAGE_STATUS, code),
        language_label=lambda code: _label(LANGUAGE, code),
        visit_label=visit_label, message_kind_label=message_kind_label, education_label=education_label,
    )
