"""CSV injection: every CSV the app writes keeps formula-looking text inert, and numbers numbers.

One test per producer (audit trail from the page and the command line, each data-export and
SDTM table, the codebook, the scoring commands), and one that fails when a module writes CSV
without `pro_app.csv_safe`.
"""
import csv
import io
import re
from pathlib import Path

import numpy as np
import pandas as pd
from click.testing import CliRunner

import pro_app
from pro_app.audit.services import Actor, record
from pro_app.exports.codebook import write_codebook
from pro_app.exports.conform import conform
from pro_app.exports.tables import Table
from pro_app.exports.variables import var
from pro_app.exports.writers.arrow_formats import write_csv
from pro_app.extensions import db
from pro_app.scoring.cli import score
from tests.exports.study import build_small_study
from tests.integrity.web import sign_in

# Each is run by a spreadsheet when it starts a cell, even after spaces or a line break.
FORMULAS = ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)", "\t=1+1", "\r=1",
            " =1+1", "\n-1+2"]
LIVE = re.compile(r"^[\t\r\n ]*[=+\-@][\s\S]|^[\t\r]")
NUMBER = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")


def _cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def _read(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as stream:
        return _cells(stream.read())


def _live_cells(rows: list[list[str]]) -> list[str]:
    return [cell for row in rows for cell in row if LIVE.match(cell) and not NUMBER.fullmatch(cell)]


def test_the_data_export_csv_writer_defuses_text_and_keeps_numbers(tmp_path):
    texts = FORMULAS + ["-3.5", "-", "plain", None]
    variables, frame = conform(
        [var("text", "TEXT", "Free text"), var("number", "NUMBER", "A number", "number"),
         var("count", "COUNT", "A whole number", "integer")],
        pd.DataFrame({"text": np.array(texts, dtype=object), "number": [-3.5] * len(texts),
                      "count": pd.array([-2] * len(texts), dtype="Int64")}))
    write_csv(tmp_path / "t.csv", Table("t", "Test", variables, frame))
    rows = _read(tmp_path / "t.csv")
    assert [row[0] for row in rows[1:]] == ["'" + text for text in FORMULAS] + ["-3.5", "-", "plain", ""]
    assert {(row[1], row[2]) for row in rows[1:]} == {("-3.5", "-2")}
    assert not _live_cells(rows)


def test_every_exported_csv_table_keeps_free_text_inert(app, make, runner, tmp_path):
    """The MMSE spelling is what the patient said, written down (letters and hyphens): free text
    in items and SDTM FT."""
    study = build_small_study(make)
    make.completed_mmse(study["patients"][2], "baseline", {**make.mmse_items(), "spelling": "-EDNOM"})
    out = tmp_path / "export"
    result = runner.invoke(args=["export", "--format", "csv", "--format", "sdtm", "--out", str(out)])
    assert result.exit_code == 0, result.output
    files = sorted(out.rglob("*.csv"))
    assert {"items.csv", "ft.csv", "codebook.csv", "scores.csv"} <= {path.name for path in files}
    for path in files:
        rows = _read(path)
        assert not _live_cells(rows), path.name
    for name in ("csv/items.csv", "sdtm/ft.csv"):
        assert "'-EDNOM" in {cell for row in _read(out / name) for cell in row}, name
    scores = pd.read_csv(out / "csv" / "scores.csv")
    assert pd.api.types.is_float_dtype(scores["value"])


def test_the_codebook_csv_defuses_every_text(tmp_path):
    labels = {"en": "=1+1", "fr": "@SUM(A1)"}
    entry = {"table": "t", "name": "-x-", "xpt_name": "X", "label": labels, "type": "string",
             "values": [], "algorithm": "+cmd", "note": {"en": " =2", "fr": "-1"}}
    write_codebook(tmp_path, {"conventions": {}, "tables": [{"name": "t", "label": labels, "variables": [entry]}]})
    rows = _read(tmp_path / "codebook.csv")
    assert rows[1] == ["t", "'-x-", "X", "'=1+1", "'@SUM(A1)", "string", "", "", "'+cmd", "' =2", "-1"]


def test_the_audit_csv_from_the_page_and_the_command_line(client, runner, make, tmp_path):
    manager = make.staff(role="data_manager", site_code=None)
    patient = make.patient()
    for reason in FORMULAS:
        record("correct", "patient", patient.id, field="x", old="-3.5", new=-2, patient_id=patient.id,
               actor=Actor("staff", manager.id, "data_manager"), reason=reason)
    db.session.commit()
    sign_in(client, manager)
    with client.get("/audit/export.csv") as response:
        from_page = _cells(response.get_data(as_text=True))
    out = tmp_path / "audit.csv"
    assert runner.invoke(args=["audit", "export", "--out", str(out)]).exit_code == 0
    for rows in (from_page, _read(out)):
        header, corrections = rows[0], [row for row in rows if row[6] == "correct"]
        column = dict(zip(header, zip(*corrections)))
        assert list(column["reason"]) == ["'" + reason for reason in FORMULAS]
        assert set(column["old_value"]) == {"-3.5"} and set(column["new_value"]) == {"-2"}
        assert not _live_cells(rows)


def test_the_scoring_commands_defuse_copied_columns(tmp_path):
    from tests.unit.test_scoring_cli import ITEMS, VECTOR
    comments = ['=HYPERLINK("x")', " @x", "-3.5", "-"]
    source = tmp_path / "in.csv"
    with open(source, "w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows([["comment", *ITEMS.split(",")]]
                                     + [[comment, *VECTOR.split(",")] for comment in comments])
    result = CliRunner().invoke(score, ["qlq-c30", str(source)])
    assert result.exit_code == 0, result.output
    rows = _cells(result.output)
    assert [row[0] for row in rows[1:]] == ["'" + comments[0], "' @x", "-3.5", "-"]
    assert not _live_cells(rows)


def test_no_module_writes_csv_without_the_shared_writer():
    root = Path(pro_app.__file__).parent
    writing = re.compile(r"csv\.(writer|DictWriter)\(|pyarrow\.csv|pa_csv|\.to_csv\(|csv\.write_csv\(")
    offenders = [str(path.relative_to(root)) for path in root.rglob("*.py")
                 if path.name != "csv_safe.py" and writing.search(path.read_text(encoding="utf-8"))]
    assert offenders == []
