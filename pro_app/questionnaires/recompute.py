"""Rescore every submitted QLQ-C30 administration of the study and report what changed."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import selectinload

from ..extensions import db
from ..patients.models import Patient
from ..schedule.models import Visit
from .models import Administration
from .scoring import score_and_store, stored_scores


@dataclass(frozen=True)
class ScoreChange:
    study_code: str
    visit: str
    scale: str
    old: float | None
    new: float | None


@dataclass
class RecomputeReport:
    rescored: int = 0
    changes: list[ScoreChange] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # administrations whose stored answers are invalid

    @property
    def changed_administrations(self) -> int:
        return len({(change.study_code, change.visit) for change in self.changes})


def recompute_qlq_scores() -> RecomputeReport:
    """Rescore in visit order, so that each baseline is rescored before the visits compared with it.

    The caller commits, or rolls back for a dry run.
    """
    report = RecomputeReport()
    for administration in db.session.scalars(_submitted_qlq_administrations()).all():
        visit = administration.visit
        before = stored_scores(administration)
        try:
            score_and_store(administration)
        except ValueError as error:  # raised before anything is written for this administration
            report.problems.append(f"{visit.patient.study_code} {visit.code}: {error}")
            continue
        after = stored_scores(administration)
        report.rescored += 1
        report.changes += [
            ScoreChange(visit.patient.study_code, visit.code, scale, before.get(scale), after.get(scale))
            for scale in _differing(before, after)]
    return report


def _submitted_qlq_administrations():
    return (db.select(Administration)
            .join(Administration.visit).join(Visit.patient)
            .where(Administration.instrument == "qlq_c30", Administration.status.in_(("submitted", "locked")))
            .order_by(Patient.study_code, Visit.target_date, Visit.id)
            .options(selectinload(Administration.answers), selectinload(Administration.scores)))


def _differing(before: dict, after: dict) -> list[str]:
    """Scales whose value differs, exactly: a missing score differs from any number."""
    ordered = list(after) + [scale for scale in before if scale not in after]
    return [scale for scale in ordered if scale not in before or scale not in after
            or before[scale] != after[scale]]
