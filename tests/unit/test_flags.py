import math

import pytest

from pro_app.scoring.flags import AT_OR_ABOVE, BELOW, DEFAULT_RULES, Flag, QlqFlagRules, qlq_flags
from pro_app.scoring.qlq_c30 import score_one

RULES = QlqFlagRules(thresholds={"PF2": (BELOW, 83), "FA": (AT_OR_ABOVE, 39)}, mid=10, source="test source")


def test_threshold_flags_in_each_direction():
    flags = qlq_flags({"PF2": 80.0, "FA": 44.44444444444444}, None, RULES)
    assert flags == [
        Flag("PF2", "threshold", 80.0, 83, "test source"),
        Flag("FA", "threshold", 44.44444444444444, 39, "test source"),
    ]


def test_no_flag_on_the_good_side_of_thresholds():
    assert qlq_flags({"PF2": 86.66666666666667, "FA": 33.33333333333333}, None, RULES) == []


def test_at_or_above_includes_the_threshold_and_below_excludes_it():
    assert [f.scale for f in qlq_flags({"PF2": 83.0, "FA": 39.0}, None, RULES)] == ["FA"]


def test_thresholds_compare_unrounded_values():
    # 82.99999 would display as 83.0; it is still below 83.
    assert [f.scale for f in qlq_flags({"PF2": 82.99999}, None, RULES)] == ["PF2"]


def test_missing_scores_raise_no_flag():
    assert qlq_flags({"PF2": None, "FA": math.nan}, {"PF2": 100.0, "FA": 0.0}, RULES) == []


def test_functional_decline_of_mid_is_flagged_with_signed_change():
    flags = qlq_flags({"RF2": 50.0}, {"RF2": 66.66666666666667}, RULES)
    assert flags == [Flag("RF2", "change_from_baseline", 50.0 - 66.66666666666667, 10, "test source")]


def test_functional_improvement_is_not_flagged():
    assert qlq_flags({"RF2": 83.33333333333334}, {"RF2": 50.0}, RULES) == []


def test_symptom_rise_is_flagged_and_fall_is_not():
    rise = qlq_flags({"PA": 50.0}, {"PA": 33.33333333333333}, RULES)
    assert [(f.scale, f.rule, round(f.value, 4)) for f in rise] == [("PA", "change_from_baseline", 16.6667)]
    assert qlq_flags({"PA": 16.666666666666664}, {"PA": 33.33333333333333}, RULES) == []


def test_summary_and_global_health_fall_are_flagged():
    flags = qlq_flags({"QL2": 50.0, "SUMMARY": 60.0}, {"QL2": 66.66666666666666, "SUMMARY": 75.0}, RULES)
    assert [(f.scale, f.rule) for f in flags] == [("QL2", "change_from_baseline"), ("SUMMARY", "change_from_baseline")]


def test_change_smaller_than_mid_is_not_flagged():
    assert qlq_flags({"EF": 58.33333333333333}, {"EF": 66.66666666666667}, RULES) == []


def test_exact_tie_with_the_mid_is_flagged_despite_floating_point():
    # PF2 from 60 to 50 computes as a drop of 9.999999999999986.
    baseline = score_one({1: 2, 2: 2, 3: 2, 4: 2, 5: 3})
    later = score_one({1: 2, 2: 2, 3: 3, 4: 3})
    assert baseline["PF2"] - later["PF2"] < 10
    flags = qlq_flags(later, baseline, QlqFlagRules(thresholds={}, mid=10, source="s"))
    assert [(f.scale, f.rule) for f in flags] == [("PF2", "change_from_baseline")]


def test_mid_is_configurable():
    scores, baseline = {"FA": 33.33333333333333}, {"FA": 22.222222222222225}
    assert qlq_flags(scores, baseline, QlqFlagRules({}, mid=10, source="s")) == [
        Flag("FA", "change_from_baseline", scores["FA"] - baseline["FA"], 10, "s")]
    assert qlq_flags(scores, baseline, QlqFlagRules({}, mid=20, source="s")) == []


def test_default_rules_carry_giesinger_values_and_sources():
    assert DEFAULT_RULES.thresholds["PF2"] == (BELOW, 83)
    assert DEFAULT_RULES.thresholds["NV"] == (AT_OR_ABOVE, 8)
    assert "QL2" not in DEFAULT_RULES.thresholds
    assert len(DEFAULT_RULES.thresholds) == 14
    assert "Giesinger" in DEFAULT_RULES.source and "unverified" in DEFAULT_RULES.source
    flags = qlq_flags({"PF2": 50.0, "RF2": 50.0}, {"PF2": 80.0, "RF2": 50.0})
    assert [(f.rule, f.source) for f in flags] == [
        ("threshold", DEFAULT_RULES.source), ("threshold", DEFAULT_RULES.source),
        ("change_from_baseline", DEFAULT_RULES.mid_source),
    ]


def test_rules_reject_unknown_scales_and_directions():
    with pytest.raises(ValueError, match="unknown QLQ-C30 scale 'XX'"):
        QlqFlagRules({"XX": (BELOW, 1)})
    with pytest.raises(ValueError, match="direction must be"):
        QlqFlagRules({"PF2": ("under", 1)})
