"""How the viewer shows an entry's change and reason: "field: old → new" lines, translated text.

Values are stored as text (JSON for anything but a string, services._text); they are read back
here and flattened, so the page never shows raw JSON.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass

from flask_babel import force_locale
from flask_babel import gettext as _

from ..mmse.labels import SECTION_LABELS
from ..patients.labels import ADMINISTRATION_STATUS, LANGUAGE, MESSAGE_STATUS, PATIENT_STATUS, VISIT_STATUS
from ..templating import role_label
from .models import AuditEntry
from .vocabulary import ACTIONS, ENTITIES, FIELDS, REASON_CODES, REASON_PATTERNS, TYPED_REASONS

STATUS_BY_ENTITY = {"patient": PATIENT_STATUS, "visit": VISIT_STATUS, "administration": ADMINISTRATION_STATUS,
                    "outbound_message": MESSAGE_STATUS}
ABSENT = object()
# Keys that describe the change rather than being changed: shown as "field: value", without an arrow.
ATTRIBUTES = frozenset({"signature_language"})


@dataclass(frozen=True)
class Line:
    field: str
    old: str | None  # None: the entry has no old value, so the line reads "field: new"
    new: str


@dataclass(frozen=True)
class ChangeView:
    section: str  # the entry's field, when its values list several sub-fields (a page, an MMSE section)
    lines: list[Line]


def action_label(code: str) -> str:
    return str(ACTIONS.get(code, code))


def entity_label(kind: str) -> str:
    return str(ENTITIES.get(kind, kind))


def field_label(name: str) -> str:
    if name in FIELDS:
        return str(FIELDS[name])
    page = re.fullmatch(r"page (\d+)", name)
    if page:
        return _("Page %(n)d", n=int(page.group(1)))
    return str(SECTION_LABELS.get(name, name))


def change_view(entry: AuditEntry) -> ChangeView:
    old, new = _parsed(entry.old_value), _parsed(entry.new_value)
    if _mapping(old) and _mapping(new) and (isinstance(old, dict) or isinstance(new, dict)):
        keys = sorted({*(old if isinstance(old, dict) else {}), *(new if isinstance(new, dict) else {})})
        lines = [_line(entry, key, ABSENT if key in ATTRIBUTES else _get(old, key), _get(new, key))
                 for key in keys]
        return ChangeView(field_label(entry.field) if entry.field else "", lines)
    if entry.field is None and old is ABSENT and new is ABSENT:
        return ChangeView("", [])
    return ChangeView("", [_line(entry, entry.field or "", old, new)])


def _line(entry: AuditEntry, field: str, old, new) -> Line:
    label = field_label(field) if field else _("Value")
    return Line(label, None if old is ABSENT else _shown(entry, field, old), _shown(entry, field, new))


def _mapping(value) -> bool:
    return value is ABSENT or value is None or isinstance(value, dict)


def _get(values, key):
    if isinstance(values, dict):
        return values.get(key)
    return ABSENT if values is ABSENT else None


def _parsed(text: str | None):
    if text is None:
        return ABSENT
    try:
        return json.loads(text)
    except ValueError:
        return text


def _shown(entry: AuditEntry, field: str, value) -> str:
    if value is ABSENT or value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(_shown(entry, field, v) for v in value) or "—"
    if isinstance(value, dict):
        return ", ".join(_("%(field)s: %(value)s", field=field_label(k), value=_shown(entry, k, v))
                         for k, v in sorted(value.items())) or "—"
    if field == "status" and value in STATUS_BY_ENTITY.get(entry.entity, {}):
        return str(STATUS_BY_ENTITY[entry.entity][value])
    if field in ("language", "signature_language") and value in LANGUAGE:
        return str(LANGUAGE[value])
    if field == "role" and entry.entity == "staff_user":
        return role_label(str(value))
    return str(value)


def reason_text(entry: AuditEntry) -> str:
    """App-written reasons translated; staff-typed ones (and unknown old sentences) as stored."""
    reason = entry.reason or ""
    if not reason or entry.action in TYPED_REASONS:
        return reason
    language = signature_language(entry)
    if language:
        with force_locale(language):  # the statement as the signer read it
            return _translated(entry.action, reason)
    return _translated(entry.action, reason)


def _translated(action: str, reason: str) -> str:
    for pattern, message in REASON_PATTERNS.get(action, ()):
        match = pattern.fullmatch(reason)
        if match:
            return str(message) % match.groupdict() if match.groupdict() else str(message)
    return str(REASON_CODES.get(reason, reason))


def signature_language(entry: AuditEntry) -> str | None:
    if entry.action != "sign":
        return None
    new = _parsed(entry.new_value)
    language = new.get("signature_language") if isinstance(new, dict) else None
    return language if language in LANGUAGE else None
