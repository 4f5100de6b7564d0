"""Clinical flags on QLQ-C30 scores: thresholds for clinical importance and change from
baseline. The rules are data, and every flag carries the rule and its source.
"""
import math
from collections.abc import Mapping
from dataclasses import dataclass

from pro_app.instruments.qlq_c30 import SCALES_BY_CODE, SUMMARY_CODE

BELOW = "below"
AT_OR_ABOVE = "at_or_above"
# Scores are fractions computed in floating point: an exact tie with the MID (e.g. PF2
# falling from 100 to 80 with MID 20) can come out a few 1e-15 short. This tolerance decides
# such ties as ties, far below any displayed precision.
_TIE_TOLERANCE = 1e-9

GIESINGER_2020 = (
    "Thresholds for clinical importance: Giesinger et al., J Clin Epidemiol 2020;118:1-8 "
    "(values unverified against the paper's table)"
)
OSOBA_1998 = (
    "Minimal important difference of 10 points: Osoba et al., J Clin Oncol 1998;16:139-144 "
    "(10-20 points perceived as a moderate change; unverified)"
)


@dataclass(frozen=True)
class QlqFlagRules:
    """thresholds: {scale: (BELOW | AT_OR_ABOVE, value)}; mid: worsening that raises a flag."""

    thresholds: Mapping[str, tuple[str, float]]
    mid: float = 10.0
    source: str = GIESINGER_2020
    mid_source: str | None = None  # None: `source` covers the MID too

    def __post_init__(self) -> None:
        for code, (direction, _value) in self.thresholds.items():
            if code not in SCALES_BY_CODE:
                raise ValueError(f"threshold for unknown QLQ-C30 scale {code!r}")
            if direction not in (BELOW, AT_OR_ABOVE):
                raise ValueError(f"threshold for {code}: direction must be {BELOW!r} or {AT_OR_ABOVE!r}")


@dataclass(frozen=True)
class Flag:
    """value is the score for 'threshold' flags, score minus baseline for the others."""

    scale: str
    rule: str  # "threshold" | "change_from_baseline"
    value: float
    threshold: float
    source: str


DEFAULT_RULES = QlqFlagRules(
    thresholds={
        "PF2": (BELOW, 83), "RF2": (BELOW, 58), "SF": (BELOW, 58), "EF": (BELOW, 71),
        "CF": (BELOW, 75), "FA": (AT_OR_ABOVE, 39), "PA": (AT_OR_ABOVE, 25),
        "NV": (AT_OR_ABOVE, 8), "SL": (AT_OR_ABOVE, 50), "DY": (AT_OR_ABOVE, 17),
        "AP": (AT_OR_ABOVE, 50), "CO": (AT_OR_ABOVE, 50), "DI": (AT_OR_ABOVE, 17),
        "FI": (AT_OR_ABOVE, 17),
    },
    mid=10.0,
    source=GIESINGER_2020,
    mid_source=OSOBA_1998,
)


def qlq_flags(
    scores: Mapping[str, float | None],
    baseline: Mapping[str, float | None] | None,
    rules: QlqFlagRules = DEFAULT_RULES,
) -> list[Flag]:
    """Flags for one administration. Missing (None or NaN) scores raise no flag."""
    flags = [_threshold_flag(code, scores.get(code), rules) for code in rules.thresholds]
    if baseline is not None:
        flags += [_change_flag(code, scores.get(code), baseline.get(code), rules) for code in scores]
    return [flag for flag in flags if flag is not None]


def _threshold_flag(code: str, score: float | None, rules: QlqFlagRules) -> Flag | None:
    direction, value = rules.thresholds[code]
    if _missing(score):
        return None
    crossed = score < value if direction == BELOW else score >= value
    return Flag(code, "threshold", score, value, rules.source) if crossed else None


def _change_flag(code: str, score, baseline, rules: QlqFlagRules) -> Flag | None:
    if _missing(score) or _missing(baseline):
        return None
    change = score - baseline
    worsening = -change if _higher_is_better(code) else change
    if worsening < rules.mid - _TIE_TOLERANCE:
        return None
    return Flag(code, "change_from_baseline", change, rules.mid, rules.mid_source or rules.source)


def _higher_is_better(code: str) -> bool:
    if code == SUMMARY_CODE:
        return True
    if code not in SCALES_BY_CODE:
        raise ValueError(f"unknown QLQ-C30 scale {code!r}")
    return SCALES_BY_CODE[code].higher_is_better


def _missing(score: float | None) -> bool:
    return score is None or math.isnan(score)
