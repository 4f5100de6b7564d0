"""Neutral labels written by the project (no licensed MMSE wording), translated with gettext."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..staff.errors import N_

SECTION_LABELS = {
    "orientation_time": _l("Orientation in time"),
    "orientation_place": _l("Orientation in place"),
    "registration": _l("Registration"),
    "attention": _l("Attention and calculation"),
    "recall": _l("Recall"),
    "naming": _l("Naming"),
    "repetition": _l("Repetition"),
    "command": _l("Three-stage command"),
    "reading": _l("Reading"),
    "writing": _l("Writing"),
    "copying": _l("Copying"),
}
NA_REASON_LABELS = {
    "vision": _l("Vision"),
    "hearing": _l("Hearing"),
    "motor": _l("Motor deficit"),
    "language": _l("Language"),
    "refusal": _l("Refusal"),
    "other": _l("Other reason"),
}
ATTENTION_RULE_LABELS = {
    "greco": _l("GRECO: serial 7s count; backwards spelling is recorded, never added"),
    "best": _l("The better of serial 7s and backwards spelling"),
    "serial7": _l("Serial 7s only"),
    "spelling": _l("Backwards spelling only"),
}
SCORE_LABELS = {
    "MMSE_TOTAL": _l("Total (0–30)"),
    "MMSE_PRORATED": _l("Prorated score (not a total)"),
    "ATTENTION": _l("Attention score counted"),
    "SERIAL7": _l("Serial 7s"),
    "SPELLING": _l("Backwards spelling"),
    "ITEMS_NOT_ADMINISTRABLE": _l("Items not administrable"),
}
# Stored in English on the record (one wording whatever the signer's language), shown translated.
SIGNATURE_MEANING = N_("I confirm this MMSE was administered and scored as recorded.")
REGISTRATION_TRIALS_LABEL = _l("Number of trials needed to learn the words (1 to 6)")
