import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pro_app.instruments.qlq_c30 import ITEMS, SCALES, SCORE_CODES
from pro_app.scoring.qlq_c30 import ALGORITHM_VERSION, score_batch, score_one

# awell-score test data "random_response"; expected values computed with the manual's formulas.
VECTOR = [2, 1, 3, 4, 2, 1, 3, 3, 4, 2, 2, 1, 1, 2, 3, 4, 3, 2, 3, 1, 2, 2, 3, 1, 1, 2, 1, 1, 3, 5]
EXPECTED = {
    "QL2": 50.0, "PF2": 53.3333, "RF2": 66.6667, "EF": 66.6667, "CF": 100.0, "SF": 83.3333,
    "FA": 22.2222, "NV": 50.0, "PA": 83.3333, "DY": 66.6667, "SL": 33.3333, "AP": 0.0,
    "CO": 100.0, "DI": 66.6667, "FI": 0.0, "SUMMARY": 57.5214,
}
FUNCTIONAL = [s.code for s in SCALES if s.higher_is_better]
SYMPTOMS = [s.code for s in SCALES if not s.higher_is_better]


def vector(**changes):
    answers = {f"q{number}": value for number, value in enumerate(VECTOR, start=1)}
    answers.update(changes)
    return answers


def test_worked_example_matches_to_four_decimals():
    scores = score_one(vector())
    assert {code: round(score, 4) for code, score in scores.items()} == EXPECTED
    assert list(scores) == list(SCORE_CODES)


def test_scores_keep_full_precision():
    scores = score_one(vector())
    assert scores["SUMMARY"] == 57.52136752136752
    assert scores["PF2"] == (1 - (2.4 - 1) / 3) * 100


def test_two_physical_items_missing_still_scores_from_three():
    scores = score_one(vector(q1=None, q2=None))
    assert round(scores["PF2"], 4) == 33.3333
    assert round(scores["SUMMARY"], 4) == 55.9829


def test_three_physical_items_missing_makes_pf2_and_summary_missing():
    scores = score_one(vector(q1=None, q2=None, q3=None))
    assert scores["PF2"] is None
    assert scores["SUMMARY"] is None
    assert round(scores["RF2"], 4) == 66.6667


def test_global_health_scores_from_one_item():
    scores = score_one(vector(q29=None))
    assert round(scores["QL2"], 4) == 66.6667
    assert round(scores["SUMMARY"], 4) == 57.5214


def test_missing_single_item_makes_its_score_and_the_summary_missing():
    scores = score_one(vector(q8=None))
    assert scores["DY"] is None
    assert scores["SUMMARY"] is None


def test_absent_keys_are_missing_items():
    answers = vector()
    del answers["q8"]
    assert score_one(answers)["DY"] is None


def test_fi_is_not_part_of_the_summary():
    assert score_one(vector(q28=None))["SUMMARY"] == score_one(vector())["SUMMARY"]


def test_best_answers():
    scores = score_one({number: 1 if number <= 28 else 7 for number in range(1, 31)})
    assert all(scores[code] == 100.0 for code in FUNCTIONAL)
    assert all(scores[code] == 0.0 for code in SYMPTOMS)
    assert scores["SUMMARY"] == 100.0


def test_worst_answers():
    scores = score_one({number: 4 if number <= 28 else 1 for number in range(1, 31)})
    assert all(scores[code] == 0.0 for code in FUNCTIONAL)
    assert all(scores[code] == 100.0 for code in SYMPTOMS)
    assert scores["SUMMARY"] == 0.0


def test_nothing_answered_gives_every_score_missing():
    assert set(score_one({}).values()) == {None}


@pytest.mark.parametrize("scale", SCALES, ids=lambda scale: scale.code)
def test_each_scale_needs_at_least_half_of_its_items(scale):
    enough = {number: 2 for number in scale.items[:scale.min_answered]}
    too_few = {number: 2 for number in scale.items[:scale.min_answered - 1]}
    assert score_one(enough)[scale.code] is not None
    assert score_one(too_few)[scale.code] is None


@pytest.mark.parametrize(("answered", "items", "scored"), [(2, 3, True), (2, 4, True), (1, 3, False), (0, 3, False)])
def test_half_rule_cases_from_odytools(answered, items, scored):
    scale = next(s for s in SCALES if len(s.items) == items)
    answers = {number: 3 for number in scale.items[:answered]}
    assert (score_one(answers)[scale.code] is not None) == scored


@pytest.mark.parametrize(("item", "value", "message"), [
    ("q1", 5, "item q1: 5 is outside 1..4"),
    ("q28", 0, "item q28: 0 is outside 1..4"),
    ("q29", 8, "item q29: 8 is outside 1..7"),
    ("q30", 2.5, "item q30: 2.5 is not a whole number in 1..7"),
    ("q5", "3", "item q5: '3' is not a number"),
    ("q5", True, "item q5: True is not a number"),
])
def test_out_of_range_answers_are_rejected_not_clipped(item, value, message):
    with pytest.raises(ValueError) as error:
        score_one(vector(**{item: value}))
    assert str(error.value) == message


def test_unknown_and_duplicated_items_are_rejected():
    with pytest.raises(ValueError, match="unknown QLQ-C30 item 'q31'"):
        score_one({"q31": 1})
    with pytest.raises(ValueError, match="item q3 is given twice"):
        score_one({"q3": 1, 3: 1})


def test_integer_and_case_insensitive_keys():
    assert score_one({f"Q{n}": v for n, v in enumerate(VECTOR, 1)}) == score_one(vector())
    assert score_one(dict(enumerate(VECTOR, 1))) == score_one(vector())


def test_batch_rejects_bad_values_naming_row_and_item():
    answers = np.full((3, 30), 2.0)
    answers[2, 5] = 9.0
    with pytest.raises(ValueError, match=r"row index 2, item q6: 9.0 is outside 1..4"):
        score_batch(answers)


def test_batch_rejects_wrong_shape():
    with pytest.raises(ValueError, match=r"shape \(n, 30\)"):
        score_batch(np.ones((2, 29)))


def test_batch_of_no_rows():
    assert all(scores.shape == (0,) for scores in score_batch(np.empty((0, 30))).values())


def test_algorithm_version_names_the_instrument_version():
    assert ALGORITHM_VERSION.startswith("qlq-c30-v3.0/")


answer_rows = st.lists(
    st.one_of(st.none(), st.integers(1, 4)), min_size=28, max_size=28
).flatmap(lambda first: st.lists(st.one_of(st.none(), st.integers(1, 7)), min_size=2, max_size=2).map(
    lambda last: first + last))


@settings(max_examples=200, deadline=None)
@given(answer_rows)
def test_every_score_is_between_0_and_100_or_missing(row):
    for score in score_one(dict(enumerate(row, 1))).values():
        assert score is None or 0.0 <= score <= 100.0


@settings(max_examples=300, deadline=None)
@given(answer_rows, st.integers(0, 29), st.data())
def test_one_step_worse_lowers_functioning_and_raises_symptoms(row, index, data):
    item = ITEMS[index]
    scale = item.response_scale
    # Items 1-28: 1 is the least trouble; items 29-30: 7 is the best.
    better = data.draw(st.integers(scale.low, scale.high - 1))
    better, worse = (better + 1, better) if index >= 28 else (better, better + 1)
    before = score_one(dict(enumerate(row[:index] + [better] + row[index + 1:], 1)))
    after = score_one(dict(enumerate(row[:index] + [worse] + row[index + 1:], 1)))
    if before[item.scale] is None:
        assert after[item.scale] is None
    elif next(s for s in SCALES if s.code == item.scale).higher_is_better:
        assert after[item.scale] < before[item.scale]
    else:
        assert after[item.scale] > before[item.scale]
    if before["SUMMARY"] is not None and item.scale not in ("QL2", "FI"):
        assert after["SUMMARY"] < before["SUMMARY"]


@settings(max_examples=50, deadline=None)
@given(st.integers(1, 5000), st.floats(0.0, 0.9), st.integers(0, 2**32 - 1))
def test_batch_equals_single_bit_for_bit(rows, missing_share, seed):
    rng = np.random.default_rng(seed)
    highs = np.array([item.response_scale.high for item in ITEMS])
    answers = rng.integers(1, highs + 1, size=(rows, 30)).astype(np.float64)
    answers[rng.random(answers.shape) < missing_share] = np.nan
    batch = score_batch(answers)
    for index in rng.choice(rows, size=min(rows, 20), replace=False):
        single = score_one({n + 1: None if math.isnan(v) else int(v) for n, v in enumerate(answers[index])})
        for code, score in single.items():
            expected = batch[code][index]
            assert (score is None and math.isnan(expected)) or score == expected
