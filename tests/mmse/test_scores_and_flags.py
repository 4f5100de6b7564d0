"""Stored MMSE scores, the attention rule kept with the record, norms and decline from baseline."""
from datetime import date, datetime, time, timedelta

import pytest

from pro_app.extensions import db
from pro_app.instruments.mmse import SECTIONS
from pro_app.mmse.parsing import form_values, parse_section
from pro_app.mmse.services import save_section, sign, start_mmse
from pro_app.questionnaires.models import ClinicalFlag
from pro_app.questionnaires.scoring import score_and_store
from tests.mmse.helpers import section_data
from tests.staff.web import visit_of
from tests.support.factories import PASSWORD


class Form(dict):
    """request.form stand-in for the parser."""


def administer(administration, nurse, protocol, *, zeros: int = 0, attention: dict | None = None) -> None:
    """Start, record every section (the first ``zeros`` binary items scored 0), and sign."""
    in_window = datetime.combine(administration.visit.window_opens, time(10))  # past windows are closed now
    start_mmse(administration, nurse, "fr", glasses=False, hearing_aid=False, protocol=protocol, now=in_window)
    remaining = zeros
    for section in SECTIONS:
        data = dict(section_data(section.code))
        if section.code == "attention" and attention:
            data.update(attention)
        for item in section.items:
            if remaining and data.get(item) == "1":
                data[item], remaining = "0", remaining - 1
        items, errors = parse_section(section.code, Form(data))
        assert not errors
        save_section(administration, section.code, items, administration.version)
    sign(administration, nurse, PASSWORD, administration.version)
    db.session.commit()


@pytest.fixture
def protocol(app):
    return app.extensions["pro_app.protocol"]


def _scores(administration):
    return {score.scale: score.value for score in administration.scores}


def _flags(administration):
    return {flag.rule: flag for flag in db.session.scalars(
        db.select(ClinicalFlag).filter_by(administration_id=administration.id))}


def test_greco_counts_serial_sevens_and_records_spelling_without_adding_it(make, protocol):
    nurse = make.staff()
    patient = make.patient(education_level="secondary_or_higher")
    mmse = visit_of(patient).administration("mmse")
    administer(mmse, nurse, protocol, attention={
        "serial7_1": "93", "serial7_2": "85", "serial7_3": "78", "serial7_4": "71", "serial7_5": "64"})
    scores = _scores(mmse)
    assert (scores["SERIAL7"], scores["SPELLING"], scores["ATTENTION"], scores["MMSE_TOTAL"]) == (4, 5, 4, 29)
    assert mmse.details["attention_rule"] == "greco"


def test_below_the_education_norm_is_flagged_with_its_cutoff_and_source(make, protocol):
    nurse = make.staff()
    patient = make.patient(education_level="secondary_or_higher")
    mmse = visit_of(patient).administration("mmse")
    administer(mmse, nurse, protocol, zeros=5)  # 25 < 26
    flag = _flags(mmse)["below_education_norm"]
    assert (flag.value, flag.threshold) == (25, 26) and "Kalafat" in flag.source


def test_a_drop_of_three_points_from_baseline_is_flagged_with_the_rule(make, protocol, app):
    nurse = make.staff()
    inclusion = date.today() - timedelta(days=100)
    patient = make.patient(inclusion=inclusion, radiotherapy=inclusion + timedelta(days=7),
                           education_level="no_primary_certificate")
    baseline, m3 = visit_of(patient).administration("mmse"), visit_of(patient, "m3").administration("mmse")
    administer(baseline, nurse, protocol, zeros=1)  # 29
    administer(m3, nurse, protocol, zeros=4)  # 26: a drop of 3
    flag = _flags(m3)["decline_from_baseline"]
    assert (flag.value, flag.threshold) == (-3, 3)
    assert "drop >= 3" in flag.source and "JROSG" in flag.source and "baseline total 29" in flag.source
    assert "below_education_norm" not in _flags(m3)  # 26 is within the norm for this education level


def test_correcting_the_baseline_updates_the_decline_flags_of_later_visits(make, protocol):
    nurse = make.staff()
    inclusion = date.today() - timedelta(days=100)
    patient = make.patient(inclusion=inclusion, radiotherapy=inclusion + timedelta(days=7))
    baseline, m3 = visit_of(patient).administration("mmse"), visit_of(patient, "m3").administration("mmse")
    administer(baseline, nurse, protocol)  # 30
    administer(m3, nurse, protocol, zeros=3)  # 27: a drop of 3
    assert "decline_from_baseline" in _flags(m3)
    items, _ = parse_section("recall", Form(section_data("recall", "0")))
    save_section(baseline, "recall", items, baseline.version, reason="Recall was cued; scored wrongly")
    db.session.commit()
    assert _scores(baseline)["MMSE_TOTAL"] == 27 and "decline_from_baseline" not in _flags(m3)


def test_the_questionnaire_scoring_entry_point_delegates_the_mmse(make, protocol):
    nurse = make.staff()
    mmse = visit_of(make.patient()).administration("mmse")
    administer(mmse, nurse, protocol)
    for score in list(mmse.scores):
        mmse.scores.remove(score)
    db.session.flush()
    score_and_store(mmse)
    assert _scores(mmse)["MMSE_TOTAL"] == 30


@pytest.mark.parametrize("section", [section.code for section in SECTIONS])
def test_stored_items_read_back_as_the_form_that_posted_them(section):
    items, errors = parse_section(section, Form(section_data(section, "0")))
    assert not errors and items
    again, errors = parse_section(section, Form(form_values(items)))
    assert again == items and not errors


def test_a_whole_attention_task_can_be_not_administrable():
    items, errors = parse_section("attention", Form({"serial7__state": "na", "serial7__reason": "language",
                                                     "spelling__state": "na", "spelling__reason": "vision"}))
    assert not errors
    assert {items[f"serial7_{n}"].reason for n in range(1, 6)} == {"language"}
    assert items["spelling"].reason == "vision"
    assert parse_section("attention", Form(form_values(items)))[0] == items
