import pytest

from pro_app.instruments.mmse import BINARY_ITEMS, ITEM_CODES, NotAdministrable
from pro_app.scoring.mmse import ALGORITHM_VERSION, score_mmse, score_serial7, score_spelling
from pro_app.scoring.mmse_interpretation import (
    KALAFAT_2003_SIMPLIFIED, DeclineRule, MmseNorms, NormBand, interpret_total, mmse_decline,
)

PERFECT_SERIAL7 = [93, 86, 79, 72, 65]


def record(**changes):
    """Every binary item scored 1, serial 7s 93-86-79-72-65, spelling DLROW/EDNOM given."""
    items = {code: 1 for code in BINARY_ITEMS}
    items.update(zip(("serial7_1", "serial7_2", "serial7_3", "serial7_4", "serial7_5"), PERFECT_SERIAL7))
    items["spelling"] = "EDNOM"
    items.update(changes)
    return items


@pytest.mark.parametrize(("numbers", "expected"), [
    ([93, 86, 79, 72, 65], 5),
    ([93, 85, 78, 71, 64], 4),  # each answer checked against the previous one
    ([92, 85, 78, 71, 64], 4),
    ([93, 85, 77, 70, 63], 3),
    ([93, None, 79, 72, 65], 4),  # no answer: the next is checked against 93 - 14
    ([None, None, None, None, None], 0),
    ([50, 40, 30, 20, 10], 0),
])
def test_serial7(numbers, expected):
    assert score_serial7(numbers) == expected


def test_serial7_needs_five_answers():
    with pytest.raises(ValueError, match="need 5 answers"):
        score_serial7([93, 86])


@pytest.mark.parametrize(("letters", "language", "expected"), [
    ("DLROW", "en", 5),
    ("dlrow", "en", 5),
    ("D-L R-O W", "en", 5),
    ("DLORW", "en", 4),  # one adjacent swap: 4 by lines (3 by position)
    ("LDROW", "en", 4),
    ("DROW", "en", 4),
    ("WORLD", "en", 1),
    ("", "en", 0),
    ("-", "en", 0),
    ("EDNOM", "fr", 5),
    ("EDNMO", "fr", 4),
    ("DLROW", "fr", 2),  # D and O, in that order
    ("XXXXXDLROW", "en", 5),  # only the last five letters said count
    ("DLROWX", "en", 4),
])
def test_spelling_longest_common_subsequence(letters, language, expected):
    assert score_spelling(letters, language) == expected


def test_spelling_rejects_unknown_language():
    with pytest.raises(ValueError, match="no spelling word for language 'de'"):
        score_spelling("DLROW", "de")


def test_full_marks():
    result = score_mmse(record(), "greco", "fr")
    assert (result.serial7_score, result.spelling_score, result.attention_score) == (5, 5, 5)
    assert result.total == 30
    assert result.total_prorated == 30.0
    assert result.items_missing == () and dict(result.items_not_administrable) == {}
    assert result.algorithm_version == ALGORITHM_VERSION


def test_greco_counts_serial7_and_only_records_spelling():
    result = score_mmse(record(serial7_2=85, serial7_3=78, serial7_4=71, serial7_5=64, spelling="EDNMO"), "greco", "fr")
    assert (result.serial7_score, result.spelling_score, result.attention_score, result.total) == (4, 4, 4, 29)
    low_spelling = score_mmse(record(spelling="-"), "greco", "fr")
    assert (low_spelling.spelling_score, low_spelling.attention_score, low_spelling.total) == (0, 5, 30)


def test_greco_total_does_not_need_spelling():
    result = score_mmse(record(spelling=None), "greco", "fr")
    assert (result.spelling_score, result.total) == (None, 30)


@pytest.mark.parametrize(("rule", "attention", "total"), [
    ("greco", 2, 27), ("serial7", 2, 27), ("spelling", 4, 29), ("best", 4, 29),
])
def test_each_attention_rule(rule, attention, total):
    items = record(serial7_2=80, serial7_3=73, serial7_4=60, serial7_5=58, spelling="DLORW")
    result = score_mmse(items, rule, "en")
    assert (result.serial7_score, result.spelling_score) == (2, 4)
    assert (result.attention_rule, result.attention_score, result.total) == (rule, attention, total)


def test_best_needs_both_tasks():
    result = score_mmse(record(spelling=None), "best", "fr")
    assert (result.attention_score, result.total, result.items_missing) == (None, None, ("spelling",))


def test_not_administrable_makes_total_missing_and_prorated_separate():
    result = score_mmse(record(copying=NotAdministrable("motor"), writing=NotAdministrable("motor"), reading=0))
    assert result.total is None
    assert dict(result.items_not_administrable) == {"writing": "motor", "copying": "motor"}
    assert result.points_administered == 28
    assert result.total_prorated == 27 * 30 / 28


def test_missing_item_makes_total_missing():
    result = score_mmse(record(recall_2=None))
    assert (result.total, result.items_missing, result.total_prorated) == (None, ("recall_2",), 30.0)
    absent = record()
    del absent["naming_1"]
    assert score_mmse(absent).items_missing == ("naming_1",)


def test_serial7_not_administrable_as_a_whole():
    unable = {f"serial7_{n}": NotAdministrable("hearing") for n in range(1, 6)}
    result = score_mmse(record(**unable), "greco", "fr")
    assert (result.serial7_score, result.attention_score, result.total) == (None, None, None)
    assert list(result.items_not_administrable) == [f"serial7_{n}" for n in range(1, 6)]
    assert result.points_administered == 25 and result.total_prorated == 30.0


def test_serial7_no_answer_scores_zero_but_missing_step_is_missing():
    assert score_mmse(record(serial7_1="-", serial7_2="-", serial7_3="-", serial7_4="-", serial7_5="-")).total == 25
    result = score_mmse(record(serial7_3=None))
    assert (result.serial7_score, result.total, result.items_missing) == (None, None, ("serial7_3",))


def test_nothing_administered_has_no_prorated_total():
    everything_unable = {code: NotAdministrable("refusal") for code in ITEM_CODES}
    result = score_mmse(everything_unable)
    assert (result.total, result.total_prorated, result.points_administered) == (None, None, 0)


@pytest.mark.parametrize(("changes", "message"), [
    ({"orient_time_1": 2}, "orient_time_1: 2 is not a score of 0 or 1"),
    ({"orient_time_1": True}, "orient_time_1: True is not a score of 0 or 1"),
    ({"serial7_1": "ninety"}, "serial7_1: 'ninety'"),
    ({"serial7_1": NotAdministrable("vision")}, "serial 7s: serial7_1 not administrable"),
    ({"spelling": "D1ROW"}, "spelling: 'D1ROW' must hold only the letters said"),
    ({"unknown_item": 1}, "unknown MMSE item"),
    ({"registration_trials": 7}, "registration_trials: 7 is not a whole number in 1..6"),
])
def test_invalid_items_are_rejected_by_name(changes, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(".", r"\.")):
        score_mmse(record(**changes))


def test_unknown_rule_language_and_reason_are_rejected():
    with pytest.raises(ValueError, match="unknown attention rule"):
        score_mmse(record(), "folstein", "fr")
    with pytest.raises(ValueError, match="unknown language"):
        score_mmse(record(), "greco", "de")
    with pytest.raises(ValueError, match="unknown not-administrable reason 'tired'"):
        NotAdministrable("tired")


def test_interpretation_by_education_and_age():
    low = interpret_total(22, "primary_certificate", 82, KALAFAT_2003_SIMPLIFIED)
    assert (low.abnormal, low.abnormal_below) == (False, 22)
    assert interpret_total(21, "primary_certificate", 82, KALAFAT_2003_SIMPLIFIED).abnormal is True
    assert interpret_total(25, "secondary_or_higher", 70, KALAFAT_2003_SIMPLIFIED).abnormal is True
    assert interpret_total(None, "secondary_or_higher", 70, KALAFAT_2003_SIMPLIFIED) is None


def test_interpretation_with_configured_single_cutoff():
    classic = MmseNorms((NormBand("any", 24),), source="23/24 classic cut-off")
    assert interpret_total(23, "any", None, classic).abnormal is True
    assert interpret_total(24, "any", None, classic).source == "23/24 classic cut-off"
    with pytest.raises(ValueError, match="no MMSE norm for education 'none'"):
        interpret_total(24, "none", None, classic)


def test_decline_operator_is_configurable():
    at_least = DeclineRule(points=3, operator=">=", source="JROSG")
    more_than = DeclineRule(points=3, operator=">", source="NCCTG")
    assert mmse_decline(26, 29, at_least).drop == 3
    assert mmse_decline(26, 29, at_least).rule == "drop >= 3"
    assert mmse_decline(26, 29, more_than) is None
    assert mmse_decline(25, 29, more_than).source == "NCCTG"
    assert mmse_decline(None, 29, at_least) is None
    assert mmse_decline(30, 29, at_least) is None
    with pytest.raises(ValueError, match="decline operator"):
        DeclineRule(operator="=>")
