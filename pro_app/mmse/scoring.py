"""Score an MMSE with the pure core; store its scores, norm and decline flags with their rules.

The attention rule is the one stored on the record when it was started, so a later change of
the protocol never silently rescores an MMSE. The decline rule and the education cut-offs come
from the protocol and are written into each flag's source.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from ..questionnaires.models import Administration
from ..questionnaires.scoring import store_scores
from ..scoring.mmse import ALGORITHM_VERSION, MmseResult, score_mmse
from ..scoring.mmse_interpretation import (DeclineRule, MmseDecline, MmseInterpretation, MmseNorms, NormBand,
                                           interpret_total, mmse_decline)
from .flags import replace_flags
from .record import load_items

TOTAL = "MMSE_TOTAL"


def attention_rule(administration: Administration) -> str:
    stored = (administration.details or {}).get("attention_rule")
    return stored or current_app.extensions["pro_app.protocol"].mmse.attention_rule


def mmse_result(administration: Administration) -> MmseResult:
    return score_mmse(load_items(administration), attention_rule(administration), administration.language or "fr")


def score_rows(result: MmseResult) -> dict[str, float | None]:
    return {TOTAL: result.total, "MMSE_PRORATED": result.total_prorated, "ATTENTION": result.attention_score,
            "SERIAL7": result.serial7_score, "SPELLING": result.spelling_score,
            "ITEMS_NOT_ADMINISTRABLE": len(result.items_not_administrable)}


@dataclass(frozen=True)
class Reading:
    """How a total reads: against the education norm and against the patient's baseline."""

    interpretation: MmseInterpretation | None
    decline: MmseDecline | None
    decline_rule: DeclineRule
    baseline_total: int | None
    education_unknown: bool


def read_total(administration: Administration, total: int | None) -> Reading:
    protocol = current_app.extensions["pro_app.protocol"]
    education = administration.visit.patient.education_level
    norms = MmseNorms(tuple(NormBand(level, cutoff) for level, cutoff in protocol.mmse.education_cutoffs.items()),
                      protocol.mmse.norms_source)
    known = education in protocol.mmse.education_cutoffs
    interpretation = interpret_total(total, education, None, norms) if known else None
    rule = DeclineRule(protocol.mmse.decline_points, protocol.mmse.decline_operator, protocol.mmse.decline_source)
    baseline = baseline_total(administration)
    return Reading(interpretation, mmse_decline(total, baseline, rule), rule, baseline, not known)


def is_baseline(administration: Administration) -> bool:
    return is_baseline_visit(administration.visit)


def baseline_total(administration: Administration) -> int | None:
    """The total of the patient's signed baseline MMSE, for MMSEs of later visits only."""
    if is_baseline(administration):
        return None
    baseline = next((v.administration("mmse") for v in administration.visit.patient.visits if is_baseline_visit(v)),
                    None)
    if baseline is None or baseline.status != "locked":
        return None
    total = next((score.value for score in baseline.scores if score.scale == TOTAL), None)
    return None if total is None else int(total)


def is_baseline_visit(visit) -> bool:
    return visit.code == current_app.extensions["pro_app.protocol"].visits[0].code


def store_mmse_scores(administration: Administration) -> None:
    """Store the scores and flags of a signed MMSE; a baseline also refreshes later visits' decline flags."""
    _store(administration)
    if is_baseline(administration):
        for visit in administration.visit.patient.visits:
            later = visit.administration("mmse")
            if later is not None and later is not administration and later.status == "locked":
                _store(later)


def _store(administration: Administration) -> None:
    result = mmse_result(administration)
    store_scores(administration, score_rows(result), ALGORITHM_VERSION)
    replace_flags(administration, read_total(administration, result.total), result.total)
