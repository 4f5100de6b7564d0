"""What the MMSE pages show: guidance from the pack, progress, live scores and their reading."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import ngettext

from ..extensions import db
from ..instruments.mmse import NO_ANSWER, NotAdministrable
from ..instruments.packs import Pack
from ..questionnaires.models import Administration, ClinicalFlag
from ..questionnaires.packs import PackNotInstalled, wording_for
from ..staff.models import StaffUser
from .labels import NA_REASON_LABELS, SECTION_LABELS
from .record import SECTION_CODES, load_items, section_items, section_progress, still_missing
from .scoring import attention_rule, mmse_result, read_total


@dataclass(frozen=True)
class Guidance:
    """Examiner guidance in the language the MMSE is given in (the pack's wording)."""

    pack: Pack | None
    language: str

    def text(self, key: str) -> str:
        if self.pack is None:
            return ""
        try:
            return self.pack.text(self.language, key)
        except KeyError:
            return ""


def guidance(administration: Administration) -> Guidance:
    if administration.pack_id is None:
        return Guidance(None, administration.language or "fr")
    try:
        return Guidance(wording_for(administration), administration.language)
    except PackNotInstalled:
        return Guidance(None, administration.language)


def item_display(value: object) -> str:
    if value is None:
        return _("Not recorded")
    if isinstance(value, NotAdministrable):
        reason = NA_REASON_LABELS.get(value.reason, value.reason or "")
        return _("Not administrable (%(reason)s)", reason=reason)
    if value == NO_ANSWER:
        return _("No answer")
    return str(value)


def progress_text(progress: tuple[int, int]) -> str:
    """A section's counter: how many of its items are recorded (not a score)."""
    recorded, total = progress
    return ngettext("%(recorded)d of %(total)d item recorded", "%(recorded)d of %(total)d items recorded", total,
                    recorded=recorded, total=total)


def next_section(code: str) -> str | None:
    index = SECTION_CODES.index(code)
    return SECTION_CODES[index + 1] if index + 1 < len(SECTION_CODES) else None


def record_context(administration: Administration) -> dict:
    """Everything the overview, section and signature pages show about one MMSE."""
    items = load_items(administration)
    rule = attention_rule(administration)
    result = mmse_result(administration) if administration.status != "created" else None
    missing = still_missing(items, rule)
    return {
        "administration": administration, "visit": administration.visit, "patient": administration.visit.patient,
        "items": items, "attention_rule": rule, "result": result,
        "reading": read_total(administration, result.total) if result else None,
        "missing": missing,
        "sections": [(code, SECTION_LABELS[code], section_progress(items, code)) for code in SECTION_CODES],
        "missing_section": next((code for code in SECTION_CODES
                                 if any(item in missing for item in section_items(code))), None),
        "guidance": guidance(administration),
        "examiner": _staff(administration.administered_by_id), "signer": _staff(administration.signed_by_id),
        "flags": list(db.session.scalars(db.select(ClinicalFlag).filter_by(administration_id=administration.id))),
    }


def _staff(user_id: int | None) -> StaffUser | None:
    return db.session.get(StaffUser, user_id) if user_id else None
