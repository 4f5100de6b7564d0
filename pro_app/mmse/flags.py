"""The MMSE's clinical flags: below the education norm, and decline from the baseline total.

Each flag stores the rule it applied (cut-off or operator and points) and its source, so a
reader of the flag never needs the protocol file of the day.
"""
from __future__ import annotations

from ..audit.services import record
from ..extensions import db
from ..questionnaires.models import Administration, ClinicalFlag

SCALE = "MMSE_TOTAL"
BELOW_NORM = "below_education_norm"
DECLINE = "decline_from_baseline"


def wanted_flags(reading, total: int | None) -> dict[str, tuple[float, float, str]]:
    """{rule: (value, threshold, source)} of the flags this reading raises."""
    flags = {}
    interpretation = reading.interpretation
    if interpretation is not None and interpretation.abnormal:
        flags[BELOW_NORM] = (total, interpretation.abnormal_below,
                             f"total < {interpretation.abnormal_below} for education level "
                             f"{interpretation.education}: {interpretation.source}")
    if reading.decline is not None:
        flags[DECLINE] = (-reading.decline.drop, reading.decline_rule.points,
                          f"{reading.decline.rule} points below the baseline total {reading.baseline_total}: "
                          f"{reading.decline.source}")
    return flags


def replace_flags(administration: Administration, reading, total: int | None) -> None:
    wanted = wanted_flags(reading, total)
    existing = {row.rule: row for row in db.session.scalars(
        db.select(ClinicalFlag).filter_by(administration_id=administration.id, scale=SCALE))}
    old, new = {}, {}
    for rule, (value, threshold, source) in wanted.items():
        row = existing.pop(rule, None)
        if row is None:
            db.session.add(ClinicalFlag(administration_id=administration.id, scale=SCALE, rule=rule, value=value,
                                        threshold=threshold, source=source))
        elif (row.value, row.threshold, row.source) != (value, threshold, source):
            old[rule] = [row.value, row.threshold]
            row.value, row.threshold, row.source = value, threshold, source
        else:
            continue
        new[rule] = [value, threshold]
    for rule, row in existing.items():
        old[rule] = [row.value, row.threshold]
        db.session.delete(row)
    db.session.flush()
    if old or new:
        record("flag", "administration", administration.id, field="clinical_flags", old=old or None,
               new=new or None, patient_id=administration.visit.patient_id)
