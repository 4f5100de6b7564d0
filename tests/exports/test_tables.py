"""Table rules that the small study does not show: pending visits, older algorithm versions,
codes unknown to the instrument definitions, values outside the declared codes."""
from datetime import date, timedelta

import pandas as pd
import pytest

from pro_app.exports.queries import Scope
from pro_app.exports.tables import build_tables
from pro_app.extensions import db
from pro_app.questionnaires.models import ItemAnswer, Score
from tests.conftest import TEST_DB


def _tables(app, *names):
    return build_tables(app.extensions["pro_app.protocol"], Scope(), names)


def test_visits_still_to_come_are_pending(app, make):
    make.patient("STEP-01-010", "01", inclusion=date.today(), radiotherapy=date.today() + timedelta(days=7))
    visits = _tables(app, "visits")["visits"].frame
    assert set(visits.loc[visits["visit_code"] != "baseline", "timing"]) == {"pending"}


def test_scores_of_an_earlier_algorithm_version_keep_their_version(app, make, study):
    row = db.session.scalar(db.select(Score).filter_by(scale="FA").order_by(Score.id).limit(1))
    row.algorithm_version = "qlq-c30-v3.0/earlier/0"
    db.session.commit()
    scores = _tables(app, "scores")["scores"].frame
    fatigue = scores[(scores["scale"] == "FA") & (scores["study_code"] == "STEP-01-001")
                     & (scores["visit_code"] == "baseline")]
    assert fatigue["algorithm_version"].tolist() == ["qlq-c30-v3.0/earlier/0"]
    assert len(scores) == db.session.query(Score).count()


def test_item_codes_unknown_to_the_instrument_stay_in_the_long_table(app, make, study):
    administration = make.completed_qlq(make.patient("STEP-01-011", "01", inclusion=date(2024, 3, 1),
                                                     radiotherapy=date(2024, 3, 8)), "baseline")
    db.session.add(ItemAnswer(administration_id=administration.id, item_code="extra_note", state="answered",
                              text_value="x"))
    db.session.commit()
    tables = _tables(app, "items", "wide")
    items = tables["items"].frame
    rows = items[items["study_code"] == "STEP-01-011"]
    assert rows["item_code"].tolist()[-1] == "extra_note" and pd.isna(rows["item_num"].tolist()[-1])
    assert "extra_note" not in " ".join(tables["wide"].frame.columns)


def test_a_status_outside_the_declared_codes_is_kept_and_documented(app, make, study):
    from sqlalchemy import text
    db.session.execute(text("UPDATE item_answer SET na_reason = 'fatigue', state = 'not_administrable', "
                            "value = NULL WHERE item_code = 'naming_1'"))
    db.session.commit()
    table = _tables(app, "items")["items"]
    reason = next(v for v in table.variables if v.name == "na_reason")
    assert [value.code for value in reason.values][-1] == "fatigue"
    assert "fatigue" in set(table.frame["na_reason"].dropna())


@pytest.mark.skipif(TEST_DB != "postgresql", reason="the Arrow (ADBC) reader is used on PostgreSQL only: "
                    "it runs in the suite's PostgreSQL pass")
def test_the_arrow_reader_and_the_plain_reader_agree(app, study, monkeypatch):
    fast = _tables(app, "items", "scores")
    monkeypatch.setattr("pro_app.exports.bulk._connector", lambda: None)
    plain = _tables(app, "items", "scores")
    for name in ("items", "scores"):
        pd.testing.assert_frame_equal(fast[name].frame, plain[name].frame)
