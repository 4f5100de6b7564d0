"""Words of the charts, in the page's language."""
from __future__ import annotations

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..exports.instrument_variables import SCALE_NAMES
from ..exports.labels import TIMING_LABELS
from ..templating import score_number

RULES = {
    "threshold": _l("beyond the threshold for clinical importance (%(threshold)s)"),
    "change_from_baseline": _l("worse than at baseline by at least %(threshold)s points"),
    "below_education_norm": _l("below the norm for the education level (%(threshold)s)"),
    "decline_from_baseline": _l("decline from baseline (rule: %(threshold)s points)"),
}
MONTH = re.compile(r"m(\d+)$")


def visit_label(code: str) -> str:
    if code == "baseline":
        return _("Baseline")
    month = MONTH.match(code)
    return _("Month %(number)s", number=month.group(1)) if month else code


def scale_title(code: str) -> str:
    name = str(SCALE_NAMES.get(code, code))
    return name[:1].upper() + name[1:]


def flag_text(rule: str, threshold: float) -> str:
    template, shown = RULES.get(rule), score_number(threshold)
    return f"{rule} ({shown})" if template is None else str(template) % {"threshold": shown}


def timing_label(code: str) -> str:
    return str(TIMING_LABELS[code])
