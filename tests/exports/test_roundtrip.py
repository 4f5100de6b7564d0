"""Read every format back (pandas, pyarrow, pyreadstat) and compare with the database."""
import pandas as pd
import pytest
from sqlalchemy import select

from pro_app.extensions import db
from pro_app.patients.models import Patient
from pro_app.questionnaires.models import Administration, ItemAnswer, Score
from pro_app.schedule.models import Visit
from pro_app.study.models import Site
from tests.exports.readers import FORMATS, codebook, iso, read

pytestmark = pytest.mark.filterwarnings("ignore:The default value of 'encoding' in read_sas:FutureWarning")


def database_items():
    rows = db.session.execute(
        select(Patient.study_code, Site.code, Visit.code, Administration.instrument, ItemAnswer.item_code,
               ItemAnswer.state, ItemAnswer.value, ItemAnswer.text_value, ItemAnswer.na_reason)
        .join(Administration, Administration.id == ItemAnswer.administration_id)
        .join(Visit, Visit.id == Administration.visit_id).join(Patient, Patient.id == Visit.patient_id)
        .join(Site, Site.id == Patient.site_id)).all()
    return sorted(tuple(row) for row in rows)


def database_scores():
    rows = db.session.execute(
        select(Patient.study_code, Visit.code, Administration.instrument, Score.scale, Score.value,
               Score.algorithm_version)
        .join(Administration, Administration.id == Score.administration_id)
        .join(Visit, Visit.id == Administration.visit_id).join(Patient, Patient.id == Visit.patient_id)).all()
    return sorted(tuple(row) for row in rows)


def project(names, rows, columns):
    index = [names.index(column) for column in columns]
    return sorted(tuple(row[i] for i in index) for row in rows)


def test_items_read_back_equal_the_database(app, exported):
    for fmt in FORMATS:
        (names, rows), _ = read(exported, fmt, "items")
        columns = ["study_code", "site_code", "visit_code", "instrument", "item_code", "state", "value", "text_value",
                   "na_reason"]
        assert project(names, rows, columns) == database_items()
        assert ("STEP-01-001", "01", "m3", "qlq_c30", "q1", "skipped", None, None, None) in database_items()


def test_scores_read_back_with_full_precision(app, exported):
    for fmt in FORMATS:
        (names, rows), _ = read(exported, fmt, "scores")
        columns = ["study_code", "visit_code", "instrument", "scale", "value", "algorithm_version"]
        assert project(names, rows, columns) == database_scores()


def test_patients_and_their_dates(app, exported):
    for fmt in FORMATS:
        (names, rows), _ = read(exported, fmt, "patients")
        expected = sorted((p.study_code, p.site.code, p.language, p.status, iso(p.inclusion_date),
                           iso(p.radiotherapy_date), p.education_level)
                          for p in db.session.scalars(select(Patient)))
        columns = ["study_code", "site_code", "language", "status", "inclusion_date", "radiotherapy_date",
                   "education_level"]
        assert project(names, rows, columns) == expected


def test_visits_say_in_window_late_missed_or_pending(app, exported):
    for fmt in FORMATS:
        (names, rows), _ = read(exported, fmt, "visits")
        timing = {(r[0], r[2], r[4]): r[names.index("timing")] for r in rows}
        assert timing[("STEP-01-001", "baseline", "qlq_c30")] == "in_window"
        assert timing[("STEP-01-001", "m3", "qlq_c30")] == "late"
        assert timing[("STEP-01-001", "m3", "mmse")] == "missed"
        assert timing[("STEP-01-001", "m6", "qlq_c30")] == "missed"  # its window closed in 2024
        days = {(r[0], r[2], r[4]): r[names.index("days_from_radiotherapy")] for r in rows}
        assert days[("STEP-01-001", "baseline", "qlq_c30")] == -7
        assert days[("STEP-01-001", "m6", "qlq_c30")] is None


def test_wide_has_every_item_and_score_of_a_visit(app, exported):
    for fmt in FORMATS:
        (names, rows), _ = read(exported, fmt, "wide")
        row = next(r for r in rows if r[0] == "STEP-01-001" and r[2] == "baseline")
        values = dict(zip(names, row))
        assert [values[f"c30_q{n:02d}"] for n in range(1, 31)] == [2, 1, 3, 4, 2, 1, 3, 3, 4, 2, 2, 1, 1, 2, 3, 4, 3,
                                                                     2, 3, 1, 2, 2, 3, 1, 1, 2, 1, 1, 3, 5]
        assert values["c30_pf2"] == pytest.approx(53.3333333333, abs=1e-9) and values["c30_ql2"] == 50.0
        assert values["mmse_total"] == 28 and values["mmse_spelling"] == "EDNOM"
        later = dict(zip(names, next(r for r in rows if r[0] == "STEP-01-001" and r[2] == "m3")))
        assert later["c30_q01"] is None and later["mmse_total"] is None


def test_mmse_table_keeps_not_administrable_out_of_the_total(app, exported):
    for fmt in FORMATS:
        (names, rows), _ = read(exported, fmt, "mmse")
        second = dict(zip(names, next(r for r in rows if r[0] == "STEP-01-002")))
        assert second["mmse_copying"] is None and second["mmse_total"] is None
        assert second["mmse_items_na"] == 1 and second["attention_rule"] == "greco"
        assert second["mmse_serial7_2"] is None and second["mmse_serial7_1"] == 93


def test_variable_and_value_labels_match_the_codebook(app, exported):
    for fmt in ("dta", "sav"):
        book = codebook(exported)
        for table in ("items", "visits", "wide", "patients"):
            _, meta = read(exported, fmt, table)
            assert meta.column_names_to_labels == {name: v["label"]["en"] for name, v in book[table].items()}
            expected = {name: {entry["stat_code"]: entry["label"]["en"] for entry in v["values"]}
                        for name, v in book[table].items() if v["values"]}
            assert meta.variable_value_labels == expected
        _, meta = read(exported, fmt, "items")
        assert meta.variable_value_labels["state"] == {1: "Answered", 2: "Skipped (explicit missing)",
                                                       3: "Not administrable"}


def test_xpt_names_and_labels_respect_version_5_limits(app, exported):
    book = codebook(exported)
    for table, variables in book.items():
        shorts = [v["xpt_name"] for v in variables.values()]
        assert len(set(shorts)) == len(shorts), table
        assert all(len(name) <= 8 and name.isidentifier() and name == name.upper() for name in shorts), table
        assert all(len(v["label"]["en"]) <= 40 for v in variables.values()), table
    _, meta = read(exported, "xpt", "wide")
    assert meta.table_name == "WIDE" and meta.column_names_to_labels["C30PF2"] == book["wide"]["c30_pf2"]["label"]["en"]


def test_independent_readers_agree(app, exported):
    """pandas' own Stata and SAS readers (not ReadStat) read the same values."""
    stata = pd.read_stata(exported / "dta" / "items.dta", convert_categoricals=True)
    assert set(stata["state"].astype(str)) == {"Answered", "Skipped (explicit missing)", "Not administrable"}
    sas = pd.read_sas(exported / "xpt" / "scores.xpt", format="xport", encoding="utf-8")
    # pandas decodes an IBM zero (eight zero bytes, as SAS and ReadStat write it) as 16**-65.
    values = [0.0 if abs(value) < 1e-70 else value for value in sas["VALUE"].dropna()]
    (names, rows), _ = read(exported, "csv", "scores")
    assert sorted(values) == sorted(r[names.index("value")] for r in rows if r[names.index("value")] is not None)
