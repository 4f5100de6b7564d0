"""The vectorised writers against ReadStat: many rows across chunk boundaries, every kind of
value, SPSS compression edge cases, and SAS XPORT bytes identical to pyreadstat's own."""
from datetime import datetime

import numpy as np
import pandas as pd
import pyreadstat
import pytest

from pro_app.exports.conform import conform
from pro_app.exports.tables import Table
from pro_app.exports.variables import Value, var
from pro_app.exports.writers import columns as columns_module
from pro_app.exports.writers.spss import write_sav
from pro_app.exports.writers.stata import write_dta
from pro_app.exports.writers.xport import write_xport

ROWS = 5_003  # not a multiple of 8 nor of the chunk size


def random_table(rows: int = ROWS) -> Table:
    rng = np.random.default_rng(7)
    numbers = rng.normal(0, 1e6, rows)
    numbers[::5] = rng.integers(-120, 260, len(numbers[::5]))  # inside and outside SPSS's compressed range
    numbers[::11] = np.nan
    numbers[3] = 0.0
    numbers[4] = -0.0
    texts = np.array(["", "a", "été", "x" * 17, "exactly8", None], dtype=object)[rng.integers(0, 6, rows)]
    variables = [
        var("code", "CODE", "Coded", values=[Value("answered", "Answered"), Value("skipped", "Skipped")]),
        var("text", "TEXT", "Free text"),
        var("number", "NUMBER", "A number", "number"),
        var("count", "COUNT", "Whole number", "integer", [Value(1, "one")]),
        var("day", "DAY", "A date", "date"),
        var("moment", "MOMENT", "A time", "datetime"),
    ]
    frame = pd.DataFrame({
        "code": np.array(["answered", "skipped", None], dtype=object)[rng.integers(0, 3, rows)],
        "text": texts,
        "number": numbers,
        "count": pd.array(np.where(rng.random(rows) < 0.1, None, rng.integers(-5, 5, rows)), dtype="Int64"),
        "day": pd.to_datetime("2024-01-01") + pd.to_timedelta(rng.integers(-3000, 3000, rows), unit="D"),
        "moment": pd.to_datetime("2024-01-01") + pd.to_timedelta(rng.integers(0, 10**9, rows), unit="s"),
    })
    frame.loc[::13, ["day", "moment"]] = pd.NaT
    variables, frame = conform(variables, frame)
    return Table("random", "Random test table", variables, frame)


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch):
    """Force many chunks, so that chunk boundaries (and SPSS's 8-command groups) are crossed."""
    original = columns_module.chunk_bounds
    monkeypatch.setattr("pro_app.exports.writers.xport.chunk_bounds",
                        lambda rows, row_bytes, **kw: original(rows, row_bytes, target_bytes=997 * row_bytes, **kw))
    for module in ("stata", "spss"):
        monkeypatch.setattr(f"pro_app.exports.writers.{module}.chunk_bounds",
                            lambda rows, row_bytes, **kw: original(rows, row_bytes, target_bytes=1001 * row_bytes,
                                                                   **kw))


def expected(table: Table, *, coded_as_numbers: bool) -> pd.DataFrame:
    frame = table.frame.copy()
    if coded_as_numbers:
        codes = frame["code"].cat.codes.astype(float) + 1
        frame["code"] = codes.where(codes > 0)
    return frame


@pytest.mark.parametrize("writer,reader,coded", [
    (write_sav, pyreadstat.read_sav, True), (write_dta, pyreadstat.read_dta, True),
    (lambda path, table: write_xport(path, table, "RANDOM"), pyreadstat.read_xport, False)])
def test_every_value_survives_the_round_trip(tmp_path, writer, reader, coded):
    table = random_table()
    path = tmp_path / "file.bin"
    writer(path, table)
    frame, meta = reader(str(path))
    frame.columns = [v.name for v in table.variables]
    want = expected(table, coded_as_numbers=coded)
    assert len(frame) == ROWS
    text = want["text"].astype(object).where(want["text"].notna(), "")
    assert frame["text"].tolist() == text.tolist()
    np.testing.assert_array_equal(frame["number"].to_numpy(), want["number"].to_numpy())
    np.testing.assert_array_equal(frame["count"].to_numpy(dtype=float), want["count"].to_numpy(dtype=float,
                                                                                              na_value=np.nan))
    if coded:
        np.testing.assert_array_equal(frame["code"].to_numpy(dtype=float), want["code"].to_numpy(dtype=float))
    assert pd.to_datetime(frame["day"]).tolist() == want["day"].tolist()
    assert pd.to_datetime(frame["moment"]).tolist() == want["moment"].tolist()
    assert meta.creation_time == datetime(2000, 1, 1)


def test_xport_bytes_equal_readstats_apart_from_the_timestamp(tmp_path):
    frame = pd.DataFrame({"ID": ["A", "BCD", None], "X": [1.5, None, -3.0], "N": [1, 2, 3]})
    variables, conformed = conform([var("id", "ID", "Identifier"), var("x", "X", "Some x", "number"),
                                    var("n", "N", "N", "integer")], frame.rename(columns=str.lower))
    write_xport(tmp_path / "mine.xpt", Table("items", "File label", variables, conformed), "ITEMS")
    reference = frame.assign(ID=frame["ID"].fillna(""), N=frame["N"].astype(float))
    pyreadstat.write_xport(reference, tmp_path / "theirs.xpt", file_label="File label", table_name="ITEMS",
                           column_labels={"ID": "Identifier", "X": "Some x", "N": "N"}, file_format_version=5)
    theirs = (tmp_path / "theirs.xpt").read_bytes()
    stamp = theirs[144:160]  # ReadStat writes the time it ran
    assert (tmp_path / "mine.xpt").read_bytes() == theirs.replace(stamp, b"01JAN00:00:00:00")


def test_limits_are_enforced_not_silently_broken(tmp_path):
    table = random_table(10)
    too_long = Table("t", "x", [var("text", "TOOLONGNAME", "Free text")] + table.variables[1:], table.frame)
    with pytest.raises(ValueError, match="8"):
        write_xport(tmp_path / "x.xpt", too_long, "T")
    wide_text = Table("t", "x", table.variables, table.frame.assign(text=pd.Categorical(["y" * 201] * 10)))
    with pytest.raises(ValueError, match="201 bytes"):
        write_xport(tmp_path / "x.xpt", wide_text, "T")
