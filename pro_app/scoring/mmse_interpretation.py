"""Reading an MMSE total: education-adjusted norms and decline from baseline.

Thresholds are study data, configured with their source; the defaults below are examples
from the literature, several of them unverified (see the MMSE brief).
"""
import operator
from dataclasses import dataclass

_OPERATORS = {">=": operator.ge, ">": operator.gt}


@dataclass(frozen=True)
class NormBand:
    """Totals below `abnormal_below` are abnormal for this education level and age band."""

    education: str
    abnormal_below: int
    min_age: int | None = None  # inclusive
    max_age: int | None = None  # exclusive

    def covers(self, education: str, age: int | None) -> bool:
        if education != self.education:
            return False
        if age is None:
            return self.min_age is None and self.max_age is None
        return (self.min_age is None or age >= self.min_age) and (self.max_age is None or age < self.max_age)


@dataclass(frozen=True)
class MmseNorms:
    bands: tuple[NormBand, ...]
    source: str


@dataclass(frozen=True)
class MmseInterpretation:
    abnormal: bool
    abnormal_below: int
    education: str
    source: str


def interpret_total(total: int | None, education: str, age: int | None, norms: MmseNorms) -> MmseInterpretation | None:
    """None when the total is missing; ValueError when no band covers the patient."""
    if total is None:
        return None
    band = next((band for band in norms.bands if band.covers(education, age)), None)
    if band is None:
        raise ValueError(f"no MMSE norm for education {education!r} and age {age!r} in: {norms.source}")
    return MmseInterpretation(total < band.abnormal_below, band.abnormal_below, education, norms.source)


def _kalafat_bands(education: str, cutoffs: tuple[int, int, int]) -> tuple[NormBand, ...]:
    under_80, from_80_to_84, from_85 = cutoffs
    return (
        NormBand(education, under_80, max_age=80),
        NormBand(education, from_80_to_84, min_age=80, max_age=85),
        NormBand(education, from_85, min_age=85),
    )


# Scores under the 5th percentile; education: no primary certificate / primary (CEP) / secondary+.
KALAFAT_2003_SIMPLIFIED = MmseNorms(
    bands=(
        _kalafat_bands("no_primary_certificate", (22, 21, 20))
        + _kalafat_bands("primary_certificate", (23, 22, 21))
        + _kalafat_bands("secondary_or_higher", (26, 25, 24))
    ),
    source="Kalafat et al., Rev Neuropsychol 2003;13:209-236, simplified 5th percentiles (unverified)",
)


@dataclass(frozen=True)
class DeclineRule:
    """A drop from baseline `operator` `points` is a decline ('>=' JROSG 99-1, '>' NCCTG)."""

    points: int = 3
    operator: str = ">="
    source: str = "3 or more points: JROSG 99-1 (Aoyama et al., IJROBP 2007; unverified)"

    def __post_init__(self) -> None:
        if self.operator not in _OPERATORS:
            raise ValueError(f"decline operator must be one of {', '.join(_OPERATORS)}, not {self.operator!r}")


@dataclass(frozen=True)
class MmseDecline:
    drop: int
    rule: str  # e.g. "drop >= 3"
    source: str


def mmse_decline(total: int | None, baseline_total: int | None, rule: DeclineRule = DeclineRule()) -> MmseDecline | None:
    """A decline flag, or None when there is none or either total is missing."""
    if total is None or baseline_total is None:
        return None
    drop = baseline_total - total
    if not _OPERATORS[rule.operator](drop, rule.points):
        return None
    return MmseDecline(drop, f"drop {rule.operator} {rule.points}", rule.source)
