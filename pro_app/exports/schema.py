"""The variables of every exported table, in column order."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..protocol import Protocol
from . import labels as L
from .variables import Variable, var

STUDY_CODE = var("study_code", "STUDYCD", _l("Study code (pseudonym)"))
SITE_CODE = var("site_code", "SITE", _l("Site code"))
VISIT_NUM = var("visit_num", "VISITNUM", _l("Visit number in protocol order"), "integer")
INSTRUMENT = var("instrument", "INSTR", _l("Instrument"), values=L.INSTRUMENT_VALUES)
LANGUAGE = var("language", "LANG", _l("Language"), values=L.LANGUAGE_VALUES)
TABLE_LABELS = {
    "patients": _l("Patients: one row per patient"),
    "visits": _l("Visits: one row per visit and instrument"),
    "messages": _l("Text messages: invitations, reminders"),
    "items": _l("Item answers: one row per item"),
    "scores": _l("Scores: one row per scale"),
    "wide": _l("Items and scores: one row per visit"),
    "mmse": _l("MMSE items and totals per visit"),
}


def visit_code(protocol: Protocol) -> Variable:
    return var("visit_code", "VISIT", _l("Visit"), values=L.plain(protocol.visit_codes))


def visit_keys(protocol: Protocol) -> list[Variable]:
    return [STUDY_CODE, SITE_CODE, visit_code(protocol), VISIT_NUM]


def patients(protocol: Protocol) -> list[Variable]:
    return [
        STUDY_CODE, SITE_CODE, LANGUAGE,
        var("status", "STATUS", _l("Participation status"), values=L.PATIENT_STATUSES),
        var("status_changed_date", "STATDT", _l("Date the status changed (UTC)"), "date"),
        var("inclusion_date", "INCLDT", _l("Inclusion date"), "date"),
        var("radiotherapy_date", "RTDT", _l("First radiotherapy fraction date"), "date"),
        var("surgery_date", "SURGDT", _l("Surgery date"), "date"),
        var("education_level", "EDUC", _l("Education level"), values=L.plain(protocol.education_levels)),
        var("sms_consent", "SMSCONS", _l("Consents to text messages"), "integer", L.YES_NO),
    ]


def visits(protocol: Protocol) -> list[Variable]:
    return visit_keys(protocol) + [
        INSTRUMENT,
        var("target_date", "TARGDT", _l("Visit target date"), "date"),
        var("window_opens", "WINOPEN", _l("Visit window opens"), "date"),
        var("window_closes", "WINCLOSE", _l("Visit window closes"), "date"),
        var("visit_status", "VISSTAT", _l("Visit status"), values=L.VISIT_STATUS_VALUES),
        var("admin_status", "ADMSTAT", _l("Questionnaire status"), values=L.ADMIN_STATUS_VALUES),
        var("completion_date", "COMPLDT", _l("Completion date (study time zone)"), "date"),
        var("days_from_radiotherapy", "DAYSRT", _l("Days from first radiotherapy fraction"), "integer"),
        var("timing", "TIMING", _l("Completion timing"), values=L.TIMING_VALUES),
        var("mode", "MODE", _l("Mode of administration"), values=L.MODE_VALUES),
        LANGUAGE,
        var("pack_id", "PACKID", _l("Instrument pack identifier")),
        var("pack_version", "PACKVER", _l("Instrument pack version")),
    ]


def messages(protocol: Protocol) -> list[Variable]:
    return visit_keys(protocol) + [
        INSTRUMENT,
        var("kind", "KIND", _l("Message kind (invitation, reminder)")),
        var("status", "STATUS", _l("Delivery status"), values=L.MESSAGE_STATUS_VALUES),
        var("due_at", "DUEAT", _l("Planned sending time (UTC)"), "datetime"),
        var("sent_at", "SENTAT", _l("Sending time (UTC)"), "datetime"),
        var("status_changed_at", "STATAT", _l("Last status change (UTC)"), "datetime"),
        var("attempts", "ATTEMPTS", _l("Sending attempts"), "integer"),
        var("error_code", "ERRCODE", _l("Provider error code")),
        var("cancel_reason", "CANCRSN", _l("Reason for cancellation")),
        LANGUAGE,
    ]


def items(protocol: Protocol) -> list[Variable]:
    return visit_keys(protocol) + [
        INSTRUMENT,
        var("item_code", "ITEM", _l("Item code")),
        var("item_num", "ITEMNUM", _l("Item number within the instrument"), "integer"),
        var("state", "STATE", _l("Answer state"), values=L.STATES),
        var("value", "VALUE", _l("Numeric answer"), "integer"),
        var("text_value", "TEXTVAL", _l("Text answer (letters said)")),
        var("na_reason", "NAREASON", _l("Reason not administrable"), values=L.NA_REASONS_VALUES),
    ]


def scores(protocol: Protocol) -> list[Variable]:
    return visit_keys(protocol) + [
        INSTRUMENT,
        var("scale", "SCALE", _l("Scale code")),
        var("value", "VALUE", _l("Score, full precision"), "number"),
        var("algorithm_version", "ALGVER", _l("Scoring algorithm and version")),
    ]


def mmse_details() -> list[Variable]:
    return [
        var("attention_rule", "ATTRULE", _l("MMSE attention rule")),
        var("variant", "VARIANT", _l("MMSE version (variant)")),
        var("word_list", "WORDLIST", _l("MMSE word list")),
        LANGUAGE,
        var("pack_id", "PACKID", _l("Instrument pack identifier")),
        var("pack_version", "PACKVER", _l("Instrument pack version")),
        var("completion_date", "COMPLDT", _l("Completion date (study time zone)"), "date"),
    ]
