"""The numbers behind the pictures, read from the stored scores and flags (never recomputed)."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ..exports.queries import Scope
from ..exports.tables import build_tables
from ..extensions import db
from ..instruments.qlq_c30 import SCALES, SCORE_CODES
from ..questionnaires.models import ClinicalFlag, Score
from ..schedule.models import Visit

SUBMITTED = ("submitted", "locked")
MMSE_TOTAL, MMSE_PRORATED = "MMSE_TOTAL", "MMSE_PRORATED"


@dataclass
class Point:
    visit_code: str
    value: float | None = None
    flags: list[tuple[str, float]] = field(default_factory=list)  # (rule, threshold)
    prorated: bool = False  # an MMSE prorated total stands in for a missing total


@dataclass
class Series:
    code: str
    maximum: float
    points: list[Point]
    higher_is_better: bool
    threshold: float | None = None

    @property
    def has_values(self) -> bool:
        return any(point.value is not None for point in self.points)


def patient_series(patient, protocol) -> tuple[list[Series], Series]:
    visits = sorted(patient.visits, key=lambda v: _visit_rank(v.code, protocol))
    scores, flags = _stored(visits)
    better = {scale.code: scale.higher_is_better for scale in SCALES}
    thresholds = {code: value for code, (_, value) in protocol.qlq_c30.thresholds.items()}
    qlq = [Series(code, 100, [_point(v, "qlq_c30", code, scores, flags) for v in visits], better.get(code, True),
                  thresholds.get(code)) for code in SCORE_CODES]
    mmse = Series(MMSE_TOTAL, 30, [_mmse_point(v, scores, flags) for v in visits], True)
    return qlq, mmse


def _visit_rank(code: str, protocol) -> int:
    codes = protocol.visit_codes
    return codes.index(code) if code in codes else len(codes)


def _stored(visits: list[Visit]):
    ids = [a.id for v in visits for a in v.administrations if a.status in SUBMITTED]
    admins = {a.id: (a.visit.code, a.instrument) for v in visits for a in v.administrations}
    scores, flags = {}, defaultdict(list)
    for row in db.session.scalars(db.select(Score).where(Score.administration_id.in_(ids))):
        scores[admins[row.administration_id] + (row.scale,)] = row.value
    for row in db.session.scalars(db.select(ClinicalFlag).where(ClinicalFlag.administration_id.in_(ids))
                                  .order_by(ClinicalFlag.id)):
        flags[admins[row.administration_id] + (row.scale,)].append((row.rule, row.threshold))
    return scores, flags


def _point(visit: Visit, instrument: str, scale: str, scores, flags) -> Point:
    key = (visit.code, instrument, scale)
    return Point(visit.code, scores.get(key), flags.get(key, []))


def _mmse_point(visit: Visit, scores, flags) -> Point:
    point = _point(visit, "mmse", MMSE_TOTAL, scores, flags)
    prorated = scores.get((visit.code, "mmse", MMSE_PRORATED))
    if point.value is None and prorated is not None:
        point.value, point.prorated = prorated, True
    return point


@dataclass
class CompletionRow:
    visit_code: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def site_completion(protocol, site) -> dict[str, list[CompletionRow]]:
    """{instrument: one row per visit with the number of administrations in each timing}."""
    frame = build_tables(protocol, Scope(site.id), ("visits",))["visits"].frame
    result = {}
    for instrument in ("qlq_c30", "mmse"):
        rows = frame[frame["instrument"] == instrument]
        counts = rows.groupby(["visit_code", "timing"], observed=True).size()
        result[instrument] = [CompletionRow(code, {timing: int(counts.get((code, timing), 0))
                                                   for timing in frame["timing"].cat.categories})
                              for code in protocol.visit_codes]
    return result

