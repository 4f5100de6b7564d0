"""Flagged results written through the real scoring code."""
from __future__ import annotations

from datetime import datetime

from pro_app.extensions import db
from pro_app.questionnaires.scoring import score_and_store

# Every item at its best, except q9 (pain): PA = 50, beyond its threshold of 25, and nothing else.
PAIN_ONLY = [1] * 8 + [4] + [1] * 19 + [7, 7]


def flagged_qlq(make, patient, visit_code: str = "baseline", values=None):
    """A submitted QLQ-C30 scored and flagged by `score_and_store`, as at submission."""
    administration = make.completed_qlq(patient, visit_code, values or PAIN_ONLY, flags=False)
    score_and_store(administration)
    db.session.commit()
    return administration


def rescore_with(administration, changed: dict[str, int]) -> None:
    """Change answers (as a correction would) and score again, as `flask scores recompute` does."""
    for answer in administration.answers:
        if answer.item_code in changed:
            answer.value = changed[answer.item_code]
    db.session.flush()
    score_and_store(administration)
    db.session.commit()


def signed_mmse(make, patient, visit_code: str, errors: int, signed: bool = True):
    """An MMSE with `errors` binary items wrong, signed (locked) and scored as at signature."""
    administration = make.completed_mmse(patient, visit_code, make.mmse_items(errors))
    administration.status, administration.locked_at = "locked", datetime(2024, 6, 1, 10, 0)
    db.session.flush()
    score_and_store(administration)
    if not signed:  # flags stored, then the signature withdrawn: an unsigned MMSE is not listed
        administration.status, administration.locked_at = "submitted", None
    db.session.commit()
    return administration

