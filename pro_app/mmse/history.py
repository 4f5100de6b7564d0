"""The corrections made to a signed MMSE, read back from the audit trail for its record page.

A correction writes one ``correct_items`` entry per saved section (old and new values of the
items it changed, the reason, who and when, with the role they had then); the record page shows
one row per changed item, oldest first. The audit trail stays the single source.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _

from ..audit.models import AuditEntry
from ..extensions import db
from ..instruments.mmse import BINARY_ITEMS
from ..questionnaires.models import Administration
from ..staff.models import StaffUser
from .labels import NA_REASON_LABELS
from .presentation import item_display

CORRECTION = "correct_items"


@dataclass(frozen=True)
class Correction:
    at: datetime  # naive UTC
    who: str
    role: str | None  # the corrector's role when they corrected
    section: str
    item: str
    old: str
    new: str
    reason: str


def corrections(administration: Administration) -> list[Correction]:
    entries = db.session.scalars(db.select(AuditEntry).filter_by(
        action=CORRECTION, entity="administration", entity_id=str(administration.id)).order_by(AuditEntry.seq))
    rows = []
    for entry in entries:
        old, new = json.loads(entry.old_value or "{}"), json.loads(entry.new_value or "{}")
        who = _staff_name(entry.actor_id)
        for item in sorted(set(old) | set(new)):
            rows.append(Correction(entry.at, who, entry.actor_role, entry.field or "", item,
                                   value_label(item, old.get(item)), value_label(item, new.get(item)),
                                   entry.reason or ""))
    return rows


def value_label(item: str, stored: object) -> str:
    """An item's value as the audit trail keeps it (raw, or 'NA:<reason>'), in words."""
    if isinstance(stored, str) and stored.startswith("NA:"):
        reason = stored[3:]
        return _("Not administrable (%(reason)s)", reason=NA_REASON_LABELS.get(reason, reason))
    if item in BINARY_ITEMS and stored in (0, 1):
        return _("Correct (1)") if stored == 1 else _("Incorrect (0)")
    return item_display(stored)


def _staff_name(user_id: int | None) -> str:
    user = db.session.get(StaffUser, user_id) if user_id else None
    return user.display_name if user else "?"
