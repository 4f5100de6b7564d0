"""Variables for the items and scores of each instrument, with SAS short names."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..instruments import mmse
from ..instruments.qlq_c30 import ITEMS, SCALES, SCORE_CODES, SUMMARY_CODE
from ..scoring import mmse as mmse_scoring
from ..scoring import qlq_c30 as qlq_scoring
from .labels import MMSE_BINARY, response_values
from .variables import Variable, var

SCALE_NAMES = {
    "QL2": _l("global health status/QoL"), "PF2": _l("physical functioning"), "RF2": _l("role functioning"),
    "EF": _l("emotional functioning"), "CF": _l("cognitive functioning"), "SF": _l("social functioning"),
    "FA": _l("fatigue"), "NV": _l("nausea and vomiting"), "PA": _l("pain"), "DY": _l("dyspnoea"),
    "SL": _l("insomnia"), "AP": _l("appetite loss"), "CO": _l("constipation"), "DI": _l("diarrhoea"),
    "FI": _l("financial difficulties"), SUMMARY_CODE: _l("summary score"),
}
MMSE_SCORE_LABELS = {
    "MMSE_TOTAL": _l("MMSE total (0-30)"),
    "MMSE_PRORATED": _l("MMSE prorated total (not a total)"),
    "SERIAL7": _l("MMSE serial 7s score (0-5)"),
    "SPELLING": _l("MMSE backwards spelling score (0-5)"),
    "ATTENTION": _l("MMSE attention score counted (0-5)"),
    "ITEMS_NOT_ADMINISTRABLE": _l("MMSE items not administrable (count)"),
}
MMSE_SCORE_SHORT = {"MMSE_TOTAL": "MMTOTAL", "MMSE_PRORATED": "MMPRORAT", "SERIAL7": "MMS7SCOR",
                    "SPELLING": "MMSPSCOR", "ATTENTION": "MMATTN", "ITEMS_NOT_ADMINISTRABLE": "MMNNA"}
MMSE_SCORE_CODES = tuple(MMSE_SCORE_LABELS)
MMSE_SCORE_NAMES = {"MMSE_TOTAL": "mmse_total", "MMSE_PRORATED": "mmse_prorated", "SERIAL7": "mmse_serial7_score",
                    "SPELLING": "mmse_spelling_score", "ATTENTION": "mmse_attention_score",
                    "ITEMS_NOT_ADMINISTRABLE": "mmse_items_na"}
_SECTION_LABELS = {
    "orientation_time": lambda n: _l("MMSE time orientation, element %(n)s", n=n),
    "orientation_place": lambda n: _l("MMSE place orientation, element %(n)s", n=n),
    "registration": lambda n: _l("MMSE registration, word %(n)s", n=n),
    "recall": lambda n: _l("MMSE recall, word %(n)s", n=n),
    "naming": lambda n: _l("MMSE naming, object %(n)s", n=n),
    "repetition": lambda n: _l("MMSE repetition"),
    "command": lambda n: _l("MMSE three-stage command, stage %(n)s", n=n),
    "reading": lambda n: _l("MMSE reading"),
    "writing": lambda n: _l("MMSE writing"),
    "copying": lambda n: _l("MMSE copying"),
}
_MMSE_PREFIX_SHORT = {"orient_time": "MMOT", "orient_place": "MMOP", "registration": "MMRG", "recall": "MMRC",
                      "naming": "MMNM", "command": "MMCMD", "serial7": "MMS7N", "repetition": "MMREP",
                      "reading": "MMREAD", "writing": "MMWRIT", "copying": "MMCOPY", "spelling": "MMSPELL",
                      mmse.REGISTRATION_TRIALS: "MMRGTRL"}
MMSE_ITEM_CODES = mmse.ITEM_CODES + (mmse.REGISTRATION_TRIALS,)


def qlq_item_variables() -> list[Variable]:
    return [var(f"c30_q{item.number:02d}", f"C30Q{item.number:02d}",
                _l("QLQ-C30 item %(number)s", number=item.number), "integer",
                response_values(item.response_scale)) for item in ITEMS]


def qlq_score_variable(code: str) -> Variable:
    short = "C30SUMM" if code == SUMMARY_CODE else f"C30{code}"
    return var(f"c30_{code.lower()}", short, _l("QLQ-C30 %(scale)s (0-100)", scale=SCALE_NAMES[code]), "number",
               algorithm=qlq_scoring.ALGORITHM_VERSION)


def qlq_score_variables() -> list[Variable]:
    return [qlq_score_variable(code) for code in SCORE_CODES]


def mmse_item_variable(code: str) -> Variable:
    stem, _, number = code.rpartition("_")
    if not number.isdigit():
        stem, number = code, ""
    short = _MMSE_PREFIX_SHORT[stem] + number
    if stem == "serial7":
        return var(f"mmse_{code}", short, _l("MMSE serial 7s, number said %(n)s", n=number), "integer",
                   note=_l("The number said; the score is MMSE serial 7s score."))
    if code == mmse.SPELLING_ITEM:
        return var(f"mmse_{code}", short, _l("MMSE backwards spelling, letters said"), "string")
    if code == mmse.REGISTRATION_TRIALS:
        return var(f"mmse_{code}", short, _l("MMSE registration trials (1-6)"), "integer")
    section = next(s.code for s in mmse.SECTIONS if code in s.items)
    return var(f"mmse_{code}", short, _SECTION_LABELS[section](number), "integer", MMSE_BINARY)


def mmse_item_variables() -> list[Variable]:
    return [mmse_item_variable(code) for code in MMSE_ITEM_CODES]


def mmse_score_variable(code: str) -> Variable:
    label = MMSE_SCORE_LABELS.get(code, code)
    short = MMSE_SCORE_SHORT.get(code, ("MM" + code.replace("_", ""))[:8].upper())
    name = MMSE_SCORE_NAMES.get(code, f"mmse_score_{code.lower()}")
    return var(name, short, label, "number", algorithm=mmse_scoring.ALGORITHM_VERSION)


def mmse_score_variables() -> list[Variable]:
    return [mmse_score_variable(code) for code in MMSE_SCORE_CODES]


SCALE_ORDER = {"qlq_c30": {code: index for index, code in enumerate(SCORE_CODES)},
               "mmse": {code: index for index, code in enumerate(MMSE_SCORE_CODES)}}
ITEM_ORDER = {"qlq_c30": {item.id: item.number for item in ITEMS},
              "mmse": {code: index for index, code in enumerate(MMSE_ITEM_CODES, start=1)}}
ALL_SCALES = {"qlq_c30": {scale.code for scale in SCALES} | {SUMMARY_CODE}, "mmse": set(MMSE_SCORE_CODES)}
