"""Score a submitted administration with the pure scoring core and store scores and flags.

Storing is idempotent: rows are updated in place, and the audit trail only records values
that actually changed, so scoring twice (or `flask scores recompute`) leaves the same rows.
"""
from __future__ import annotations

from collections.abc import Mapping

from flask import current_app
from sqlalchemy import insert

from ..audit.services import record
from ..db import utcnow
from ..extensions import db
from ..protocol import Protocol
from ..scoring.flags import OSOBA_1998, Flag, QlqFlagRules, qlq_flags
from ..scoring.qlq_c30 import ALGORITHM_VERSION, score_one
from .models import Administration, ClinicalFlag, Score

_UNVERIFIED = " (values unverified against the paper's table)"


def score_and_store(administration: Administration, answered: Mapping[str, int] | None = None) -> None:
    """Compute and store the scores (and, for the QLQ-C30, the clinical flags) of one administration.

    `answered`: {item code: value} of the answered items, when the caller has just read them from
    the database (submission); otherwise they are read here.
    """
    if administration.instrument == "mmse":
        from ..mmse.scoring import store_mmse_scores
        store_mmse_scores(administration)
        return
    protocol = current_app.extensions["pro_app.protocol"]
    scores = score_one(answered_values(administration) if answered is None else answered)
    store_scores(administration, scores, ALGORITHM_VERSION)
    _store_flags(administration, qlq_flags(scores, baseline_scores(administration, protocol),
                                           flag_rules(protocol)))


def answered_values(administration: Administration) -> dict[str, int]:
    """{item code: value} of the answered items; skipped items are simply missing."""
    return {answer.item_code: answer.value for answer in administration.answers if answer.state == "answered"}


def stored_scores(administration: Administration) -> dict[str, float | None]:
    return {score.scale: score.value for score in administration.scores}


def store_scores(administration: Administration, scores: Mapping[str, float | None], algorithm: str) -> None:
    """Make the administration's Score rows exactly `scores` (full precision, None = missing).

    New rows (every scale at a first scoring) go in one bulk INSERT, not an ORM object each."""
    existing = {score.scale: score for score in administration.scores}
    old, new, added = {}, {}, []
    for scale, value in scores.items():
        row = existing.pop(scale, None)
        if row is None:
            added.append({"administration_id": administration.id, "scale": scale, "value": value,
                          "algorithm_version": algorithm})
        elif row.value != value or row.algorithm_version != algorithm:
            old[scale] = row.value
            row.value, row.algorithm_version, row.computed_at = value, algorithm, utcnow()
        else:
            continue
        new[scale] = value
    for scale, row in existing.items():
        old[scale] = row.value
        administration.scores.remove(row)
    db.session.flush()
    if added:
        db.session.execute(insert(Score), added)
        db.session.expire(administration, ["scores"])
    if old or new:
        record("score", "administration", administration.id, field="scores", old=old or None, new=new or None,
               reason=algorithm, patient_id=administration.visit.patient_id)


def flag_rules(protocol: Protocol) -> QlqFlagRules:
    """The study protocol's flag rules, with sources that say when values are unverified."""
    rules = protocol.qlq_c30
    source = rules.thresholds_source + ("" if rules.thresholds_verified else _UNVERIFIED)
    if rules.mid_points == 10:
        mid_source = OSOBA_1998
    else:
        mid_source = f"Minimal important difference of {rules.mid_points:g} points set by the {protocol.code} protocol"
    return QlqFlagRules(thresholds=dict(rules.thresholds), mid=rules.mid_points, source=source,
                        mid_source=mid_source)


def baseline_scores(administration: Administration, protocol: Protocol) -> dict[str, float | None] | None:
    """The patient's stored QLQ-C30 baseline scores, for administrations at later visits only."""
    baseline_code = protocol.visits[0].code
    if administration.visit.code == baseline_code:
        return None
    baseline_visit = next((v for v in administration.visit.patient.visits if v.code == baseline_code), None)
    baseline = baseline_visit.administration(administration.instrument) if baseline_visit else None
    if baseline is None or not baseline.is_submitted or not baseline.scores:
        return None
    return stored_scores(baseline)


def _store_flags(administration: Administration, flags: list[Flag]) -> None:
    existing = {(row.scale, row.rule): row for row in db.session.scalars(
        db.select(ClinicalFlag).filter_by(administration_id=administration.id))}
    old, new, added = [], [], []
    for flag in flags:
        row = existing.pop((flag.scale, flag.rule), None)
        if row is None:
            added.append({"administration_id": administration.id, "scale": flag.scale, "rule": flag.rule,
                          "value": flag.value, "threshold": flag.threshold, "source": flag.source})
        elif (row.value, row.threshold, row.source) != (flag.value, flag.threshold, flag.source):
            old.append(_describe(row))
            row.value, row.threshold, row.source = flag.value, flag.threshold, flag.source
        else:
            continue
        new.append(_describe(flag))
    for row in existing.values():
        old.append(_describe(row))
        db.session.delete(row)
    db.session.flush()
    if added:
        db.session.execute(insert(ClinicalFlag), added)
    if old or new:
        record("flag", "administration", administration.id, field="clinical_flags", old=old or None,
               new=new or None, patient_id=administration.visit.patient_id)


def _describe(flag: ClinicalFlag | Flag) -> dict:
    return {"scale": flag.scale, "rule": flag.rule, "value": flag.value, "threshold": flag.threshold}
