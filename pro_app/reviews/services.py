"""Which results need review, and marking them reviewed (no `request` here).

A result needs review when a protocol rule of clinical importance is crossed: a QLQ-C30 scale
beyond its threshold (submitted or signed), or an MMSE decline from baseline (signed only: an
unsigned MMSE can still change). Flags come from the rows the scoring stored, so a re-scored
result (`flask scores recompute`, a correction) that newly crosses a threshold is listed again.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, or_
from sqlalchemy.orm import selectinload

from ..audit.services import record
from ..extensions import db
from ..questionnaires.models import Administration, ClinicalFlag
from ..schedule.models import Visit
from ..staff.errors import N_, FieldError
from .models import ResultReview

NOTE_MAX_LENGTH = 2000
_QUALIFYING = or_(
    and_(Administration.instrument == "qlq_c30", ClinicalFlag.rule == "threshold",
         Administration.status.in_(("submitted", "locked"))),
    and_(Administration.instrument == "mmse", ClinicalFlag.rule == "decline_from_baseline",
         Administration.status == "locked"),
)


class ReviewError(FieldError):
    pass


@dataclass(frozen=True)
class ResultToReview:
    administration: Administration
    flags: list[ClinicalFlag]  # every qualifying flag, reviewed before or not
    unreviewed: frozenset[str]  # keys of the flags no review has seen yet

    @property
    def keys(self) -> str:
        return " ".join(sorted(flag_key(flag) for flag in self.flags))


def flag_key(flag: ClinicalFlag) -> str:
    return f"{flag.scale}:{flag.rule}"


def results_to_review(patient_ids) -> list[ResultToReview]:
    """The results of these patients (ids or a subquery of ids) that need review, oldest first."""
    flags = _qualifying_flags(Visit.patient_id.in_(patient_ids))
    return _unreviewed(flags)


def result_to_review(administration: Administration) -> ResultToReview | None:
    found = _unreviewed(_qualifying_flags(Administration.id == administration.id))
    return found[0] if found else None


def reviews_of_patient(patient_id: int) -> list[ResultReview]:
    """Every review of the patient's results, newest first, for the patient page's history."""
    return list(db.session.scalars(
        db.select(ResultReview).join(Administration).join(Visit).where(Visit.patient_id == patient_id)
        .order_by(ResultReview.reviewed_at.desc(), ResultReview.id.desc())
        .options(selectinload(ResultReview.reviewed_by),
                 selectinload(ResultReview.administration).selectinload(Administration.visit))))


def mark_reviewed(administration: Administration, seen: str, note: str | None, user) -> ResultReview:
    """Record that `user` reviewed the flags shown to them (`seen`: space-separated keys).

    Raises ReviewError when nothing shown still needs review (reviewed meanwhile, or changed
    since the page was shown: then the result stays listed with its new flags)."""
    note = (note or "").strip() or None
    if note is not None and len(note) > NOTE_MAX_LENGTH:
        raise ReviewError("note", N_("The note is too long: %(max)d characters at most."), max=NOTE_MAX_LENGTH)
    result = result_to_review(administration)
    shown = set((seen or "").split())
    if result is None or not result.unreviewed & shown:
        raise ReviewError("flags", N_("This result needs no review any more, or it changed since the page was "
                                      "shown: look at the list again."))
    current = {flag_key(flag) for flag in result.flags}
    keys = sorted(current - (result.unreviewed - shown))
    review = ResultReview(administration_id=administration.id, flags=keys, note=note, reviewed_by_id=user.id)
    db.session.add(review)
    db.session.flush()
    record("review", "administration", administration.id, field="result_review",
           new={"flags": keys, "note": note}, patient_id=administration.visit.patient_id)
    return review


def _qualifying_flags(condition) -> list[ClinicalFlag]:
    query = (db.select(ClinicalFlag, Administration)
             .join(Administration, Administration.id == ClinicalFlag.administration_id)
             .join(Visit, Visit.id == Administration.visit_id)
             .where(_QUALIFYING, condition)
             .order_by(Administration.submitted_at, Administration.id, ClinicalFlag.scale)
             .options(selectinload(Administration.visit).selectinload(Visit.patient)))
    return list(db.session.execute(query))


def _unreviewed(rows) -> list[ResultToReview]:
    by_administration: dict[int, tuple[Administration, list[ClinicalFlag]]] = {}
    for flag, administration in rows:
        by_administration.setdefault(administration.id, (administration, []))[1].append(flag)
    reviewed = _last_reviewed_keys(list(by_administration))
    results = []
    for administration_id, (administration, flags) in by_administration.items():
        unreviewed = frozenset(flag_key(flag) for flag in flags) - reviewed.get(administration_id, frozenset())
        if unreviewed:
            results.append(ResultToReview(administration, flags, unreviewed))
    return results


def _last_reviewed_keys(administration_ids: list[int]) -> dict[int, frozenset[str]]:
    if not administration_ids:
        return {}
    reviews = db.session.scalars(db.select(ResultReview).where(ResultReview.administration_id.in_(administration_ids))
                                 .order_by(ResultReview.reviewed_at, ResultReview.id))
    return {review.administration_id: frozenset(review.flags) for review in reviews}
