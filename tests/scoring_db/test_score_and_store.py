import sys
import types

import pytest

from pro_app.audit.models import AuditEntry
from pro_app.extensions import db
from pro_app.questionnaires.models import ClinicalFlag, Score
from pro_app.questionnaires.scoring import score_and_store
from pro_app.scoring.flags import OSOBA_1998
from pro_app.scoring.qlq_c30 import ALGORITHM_VERSION, score_one
from tests.scoring_db.conftest import BEST, WORKED_EXAMPLE, qlq_administration

EXPECTED = {"QL2": 50.0, "PF2": 53.3333, "RF2": 66.6667, "EF": 66.6667, "CF": 100.0, "SF": 83.3333,
            "FA": 22.2222, "NV": 50.0, "PA": 83.3333, "DY": 66.6667, "SL": 33.3333, "AP": 0.0, "CO": 100.0,
            "DI": 66.6667, "FI": 0.0, "SUMMARY": 57.5214}


def _scored(make, values, visit_code="baseline", patient=None):
    patient = patient or make.patient()
    administration = make.qlq_answers(qlq_administration(patient, visit_code), values)
    score_and_store(administration)
    db.session.commit()
    db.session.expire_all()
    return administration


def _stored(administration) -> dict:
    rows = db.session.scalars(db.select(Score).filter_by(administration_id=administration.id))
    return {row.scale: row.value for row in rows}


def _flags(administration, rule) -> dict:
    rows = db.session.scalars(db.select(ClinicalFlag).filter_by(administration_id=administration.id, rule=rule))
    return {row.scale: row for row in rows}


def test_the_worked_example_is_stored_at_full_precision(app, make):
    administration = _scored(make, WORKED_EXAMPLE)
    stored = _stored(administration)
    assert stored == pytest.approx(EXPECTED, abs=5e-5)
    assert stored == score_one({f"q{n}": v for n, v in enumerate(WORKED_EXAMPLE, start=1)})
    assert stored["PF2"] == (1 - (12 / 5 - 1) / 3) * 100  # not rounded to 4 decimals
    assert {row.algorithm_version for row in administration.scores} == {ALGORITHM_VERSION}


@pytest.mark.parametrize("skipped, expected", [
    ((1, 2), {"PF2": 33.3333, "SUMMARY": 55.9829}),
    ((1, 2, 3), {"PF2": None, "SUMMARY": None}),
    ((29,), {"QL2": 66.6667, "SUMMARY": 57.5214}),
    ((8,), {"DY": None, "SUMMARY": None}),
])
def test_skipped_items_follow_the_half_rule(app, make, skipped, expected):
    values = [None if number in skipped else value for number, value in enumerate(WORKED_EXAMPLE, start=1)]
    stored = _stored(_scored(make, values))
    assert len(stored) == 16
    for scale, value in expected.items():
        assert stored[scale] == (None if value is None else pytest.approx(value, abs=5e-5))


def test_threshold_flags_carry_the_protocol_rule_and_its_source(app, make):
    flags = _flags(_scored(make, WORKED_EXAMPLE), "threshold")
    assert set(flags) == {"PF2", "EF", "NV", "PA", "DY", "CO", "DI"}
    assert (flags["PF2"].threshold, flags["NV"].threshold) == (83.0, 8.0)
    assert flags["PF2"].value == pytest.approx(53.3333, abs=5e-5)
    assert "Giesinger" in flags["PF2"].source and "unverified" in flags["PF2"].source


def test_a_later_visit_is_flagged_when_it_worsens_by_the_mid_from_baseline(app, make):
    patient = make.patient()
    baseline = _scored(make, WORKED_EXAMPLE, patient=patient)
    later = list(WORKED_EXAMPLE)
    later[29] = 4   # QL2 50.0 -> 41.67: 8.3 points worse, under the MID
    later[0] = 3    # PF2 53.3 -> 46.7: 6.7 points worse
    later[10] = 3   # SL 33.3 -> 66.7: 33.3 points worse
    later[12] = 2   # AP 0 -> 33.3: worse; SUMMARY falls by 5.6 only
    m3 = _scored(make, later, "m3", patient)
    changes = _flags(m3, "change_from_baseline")
    assert set(changes) == {"SL", "AP"}
    assert changes["SL"].value == pytest.approx(100 / 3) and changes["SL"].threshold == 10.0
    assert changes["SL"].source == OSOBA_1998
    assert _flags(baseline, "change_from_baseline") == {}


def test_improvement_from_baseline_raises_no_change_flag(app, make):
    patient = make.patient()
    _scored(make, WORKED_EXAMPLE, patient=patient)
    assert _flags(_scored(make, BEST, "m3", patient), "change_from_baseline") == {}


def test_no_change_flags_without_a_submitted_baseline(app, make):
    worst_follow_up = (4,) * 28 + (1, 1)
    m3 = _scored(make, worst_follow_up, "m3")
    assert _flags(m3, "change_from_baseline") == {}
    assert len(_flags(m3, "threshold")) == 14


def test_scoring_twice_leaves_the_same_rows_and_one_audit_entry(app, make):
    administration = _scored(make, WORKED_EXAMPLE)
    scores = {(row.id, row.scale, row.value) for row in administration.scores}
    flags = {(row.id, row.scale, row.value) for row in _flags(administration, "threshold").values()}
    score_and_store(administration)
    db.session.commit()
    db.session.expire_all()
    assert {(row.id, row.scale, row.value) for row in administration.scores} == scores
    assert {(row.id, row.scale, row.value) for row in _flags(administration, "threshold").values()} == flags
    assert db.session.scalar(db.select(db.func.count()).select_from(AuditEntry)
                             .where(AuditEntry.action == "score")) == 1


def test_a_changed_answer_updates_scores_and_flags_in_place_with_an_audit_trail(app, make):
    administration = _scored(make, WORKED_EXAMPLE)
    answer = next(a for a in administration.answers if a.item_code == "q16")
    answer.value = 1  # constipation 100 -> 0: the CO flag goes away
    score_and_store(administration)
    db.session.commit()
    db.session.expire_all()
    assert _stored(administration)["CO"] == 0.0
    assert "CO" not in _flags(administration, "threshold")
    entry = db.session.scalars(db.select(AuditEntry).filter_by(action="score").order_by(AuditEntry.id.desc())).first()
    assert '"CO": 100.0' in entry.old_value and '"CO": 0.0' in entry.new_value
    assert entry.reason == ALGORITHM_VERSION and entry.patient_id == administration.visit.patient_id


def test_mmse_administrations_are_scored_by_the_mmse_module(app, make, monkeypatch):
    calls = []
    package, module = types.ModuleType("pro_app.mmse"), types.ModuleType("pro_app.mmse.scoring")
    module.store_mmse_scores = calls.append
    monkeypatch.setitem(sys.modules, "pro_app.mmse", package)
    monkeypatch.setitem(sys.modules, "pro_app.mmse.scoring", module)
    administration = make.patient().visits[0].administration("mmse")
    score_and_store(administration)
    assert calls == [administration]
    assert _stored(administration) == {}
