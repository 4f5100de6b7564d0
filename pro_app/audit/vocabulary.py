"""Translated words for what audit entries store as codes: actions, record kinds, fields, reasons.

The entries themselves keep the codes (they are hash-chained and exported as they are); only the
viewer translates. tests/audit/test_vocabulary.py fails when an action or record kind used anywhere
in pro_app has no label here.
"""
from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l

ACTIONS = {
    "activate": _l("Account activated"), "anchor": _l("Audit trail anchored"),
    "api_pull": _l("Data read through the API"), "api_token": _l("API token changed"),
    "attach_pack": _l("Questionnaire version attached"), "backup": _l("Database backed up"),
    "change_language": _l("Language changed"), "change_status": _l("Follow-up status changed"),
    "correct": _l("Correction"), "correct_items": _l("MMSE items corrected"),
    "create": _l("Account created"), "deactivate": _l("Account deactivated"),
    "end_sessions": _l("Sessions ended"), "export": _l("Export"), "flag": _l("Clinical alerts updated"),
    "grant": _l("Database rights granted"), "hand_over_tablet": _l("Tablet handed to the patient"),
    "install": _l("Questionnaire pack installed"), "issue_link": _l("Questionnaire link issued"),
    "login": _l("Signed in"), "login_failed": _l("Failed sign-in"),
    "login_refused_locked": _l("Sign-in refused: account locked"),
    "message_deferred": _l("Text message postponed"), "message_rescheduled": _l("Text message rescheduled"),
    "message_status": _l("Text message status"), "register": _l("Patient registered"),
    "reset_password": _l("Password reset"), "review": _l("Result marked reviewed"), "resend_link": _l("Questionnaire link resent"),
    "restore": _l("Database restored"), "rotate_key": _l("Key rotated"),
    "save_answers": _l("Answers saved"), "save_items": _l("MMSE items saved"),
    "score": _l("Scores computed"), "sign": _l("MMSE signed"),
    "signature_refused": _l("MMSE signature refused"), "sms_help_request": _l("Help requested by text message"),
    "sms_opt_in": _l("Text messages resumed"), "sms_opt_out": _l("Text messages stopped"),
    "start": _l("Started"), "stop_follow_up": _l("Follow-up stopped"), "submit": _l("Submitted"),
    "unlock": _l("Account unlocked"), "update": _l("Updated"), "visit_moved": _l("Visit window moved"),
    "visit_status": _l("Visit status changed"), "visit_timing": _l("Visit timing flagged"),
}
ENTITIES = {
    "administration": _l("Questionnaire"), "api_table": _l("API table"), "audit_entry": _l("Audit trail"),
    "audit_key": _l("Audit key"), "audit_trail": _l("Audit trail"), "database": _l("Database"),
    "database_role": _l("Database role"), "export": _l("Data export"),
    "instrument_pack": _l("Questionnaire pack"), "item_answer": _l("Answer"),
    "outbound_message": _l("Text message"), "patient": _l("Patient"),
    "phone_encryption_key": _l("Phone encryption key"), "site": _l("Site"), "staff_user": _l("Staff account"),
    "visit": _l("Visit"),
}
FIELDS = {
    "status": _l("Status"), "status_event_date": _l("Date of the event"), "language": _l("Language"),
    "result_review": _l("Review of the result"), "review_mail": _l("Review e-mails"),
    "phone": _l("Phone number"), "sms_opted_out_at": _l("Text messages stopped on"), "due_at": _l("Due"),
    "window": _l("Window"), "timing_flag": _l("Timing"), "clinical_flags": _l("Clinical alerts"),
    "scores": _l("Scores"), "is_active_account": _l("Active"), "locked_until": _l("Locked until"),
    "password_hash": _l("Password"), "sessions": _l("Open sessions"), "api_token_hash": _l("API token"),
    "display_name": _l("Name"), "role": _l("Role"), "site": _l("Site"), "is_current": _l("Current version"),
    "pack": _l("Questionnaire version"), "mode": _l("Mode"), "study_code": _l("Study code"),
    "inclusion_date": _l("Inclusion date"), "radiotherapy_date": _l("Radiotherapy start date"),
    "surgery_date": _l("Surgery date"), "education_level": _l("Education level"), "email": _l("E-mail"),
    "messages_cancelled": _l("Messages cancelled"), "visits_cancelled": _l("Visits cancelled"),
    "links_revoked": _l("Links revoked"), "message": _l("Message"), "kind": _l("Kind"),
    "replaces": _l("Replaces"), "format": _l("Format"), "user": _l("Staff member"), "since": _l("From"),
    "until": _l("To"), "file": _l("File"), "bytes": _l("Size (bytes)"), "anchor_before": _l("Previous anchor"),
    "key_id": _l("Key"), "phones": _l("Phone numbers"), "kept_forms": _l("Forms kept"),
    "administered_by": _l("Administered by"), "pack_id": _l("Pack"), "version": _l("Version"),
    "instrument": _l("Instrument"), "languages": _l("Languages"), "validated": _l("Validated"),
    "formats": _l("Formats"), "tables": _l("Tables"), "files": _l("Files"), "rows": _l("Rows"),
    "not reached": _l("Not reached"), "signature_language": _l("Language of the signature"),
    "after_restore": _l("After a restore"),
}
# Reasons the app writes as codes (message, visit and session changes).
REASON_CODES = {
    "opted_out": _l("the patient stopped text messages"), "replanned": _l("schedule recalculated"),
    "follow_up_resumed": _l("follow-up resumed"), "patient_withdrawn": _l("patient withdrawn"),
    "patient_deceased": _l("patient deceased"), "patient_lost": _l("patient lost to follow-up"),
    "role_changed": _l("role changed"), "site_changed": _l("site changed"),
    "deactivated": _l("account deactivated"), "password_changed": _l("password changed"),
    "password_reset": _l("password reset"), "logout_everywhere": _l("signed out everywhere"),
    "ended_by_admin": _l("ended by an administrator"),
}
# Sentences the app writes in English, matched per action; staff-typed reasons never go through these.
REASON_PATTERNS = {
    "submit": [(re.compile(r"(?P<items>\d+) item\(s\) without an answer, (?P<reminders>\d+) reminder\(s\) "
                           r"cancelled, (?P<links>\d+) link\(s\) revoked"),
                _l("%(items)s item(s) without an answer, %(reminders)s reminder(s) cancelled, "
                   "%(links)s link(s) revoked"))],
    "issue_link": [(re.compile(r"reissued from the command line; older links revoked"),
                    _l("reissued from the command line; older links revoked"))],
    "export": [(re.compile(r"export by (?P<who>.+)"), _l("export by %(who)s"))],
    "sms_help_request": [(re.compile(r"SMS keyword"), _l("text message keyword"))],
    "sms_opt_out": [(re.compile(r"SMS keyword"), _l("text message keyword")),
                    (re.compile(r"questionnaire page"), _l("questionnaire page")),
                    (re.compile(r"recorded by staff"), _l("recorded by staff"))],
    "login_failed": [(re.compile(r"unknown e-mail"), _l("unknown e-mail"))],
    "start": [(re.compile(r"attention rule (?P<rule>\S+), language (?P<language>\w+)"),
               _l("attention rule %(rule)s, language %(language)s"))],
    "signature_refused": [(re.compile(r"account locked"), _l("account locked")),
                          (re.compile(r"wrong password"), _l("wrong password"))],
    "sign": [(re.compile(r"I confirm this MMSE was administered and scored as recorded\."),
              _l("I confirm this MMSE was administered and scored as recorded."))],
    "change_language": [(re.compile(r"chosen on the questionnaire of administration (?P<id>\d+)"),
                         _l("chosen on the questionnaire of administration %(id)s"))],
    "message_status": [(re.compile(r"provider sid (?P<sid>\S+)"), _l("provider reference %(sid)s")),
                       (re.compile(r"provider callback ?(?P<code>\S*)"), _l("provider report %(code)s"))],
}
REASON_PATTERNS["sms_opt_in"] = REASON_PATTERNS["sms_opt_out"]
# Actions whose reason is typed by staff: shown exactly as typed, never matched against the above.
TYPED_REASONS = frozenset({"correct", "correct_items", "change_status"})
