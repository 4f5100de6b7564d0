"""`flask export`: options, errors, site scope and the audit entry."""
import json

import pandas as pd

from pro_app.audit.models import AuditEntry
from pro_app.extensions import db


def test_writes_every_format_with_codebook_and_manifest(exported):
    names = {path.relative_to(exported).as_posix() for path in exported.rglob("*") if path.is_file()}
    for table in ("patients", "visits", "messages", "items", "scores", "wide", "mmse"):
        for extension in ("csv", "parquet", "xpt", "dta", "sav"):
            assert f"{extension}/{table}.{extension}" in names
    assert {"sdtm/qs.xpt", "sdtm/qs.csv", "sdtm/ft.xpt", "sdtm/ft.csv", "sdtm/suppft.xpt", "sdtm/suppft.csv",
            "codebook.csv", "codebook.json", "manifest.json"} <= names
    manifest = json.loads((exported / "manifest.json").read_text())
    assert {entry["name"] for entry in manifest["files"]} == names - {"manifest.json"}
    assert manifest["site"] == "all" and manifest["app_version"] and manifest["export_time"].endswith("Z")
    assert manifest["exported_by"]["kind"] == "command_line"


def test_manifest_rows_and_checksums_match_the_files(exported):
    import hashlib
    manifest = json.loads((exported / "manifest.json").read_text())
    for entry in manifest["files"]:
        data = (exported / entry["name"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]
        assert len(data) == entry["bytes"]
        if entry["name"].endswith(".csv") and entry["format"] != "codebook":
            assert len(pd.read_csv(exported / entry["name"], dtype=str, keep_default_na=False)) == entry["rows"]


def test_site_option_exports_only_that_site(app, study, runner, tmp_path):
    result = runner.invoke(args=["export", "--format", "csv", "--format", "sdtm", "--site", "02",
                                 "--out", str(tmp_path / "site02")])
    assert result.exit_code == 0, result.output
    for name in ("patients", "visits", "items", "scores", "wide", "messages"):
        codes = set(pd.read_csv(tmp_path / "site02" / "csv" / f"{name}.csv", dtype=str)["study_code"])
        assert codes <= {"STEP-02-001"}
    assert set(pd.read_csv(tmp_path / "site02" / "sdtm" / "qs.csv")["USUBJID"]) == {"STEP-02-001"}
    assert json.loads((tmp_path / "site02" / "manifest.json").read_text())["site"] == "02"


def test_every_export_is_audited_with_its_checksums(app, exported):
    entry = db.session.scalar(db.select(AuditEntry).filter_by(action="export"))
    details = json.loads(entry.new_value)
    manifest = json.loads((exported / "manifest.json").read_text())
    assert details["site"] == "all" and details["formats"] == ["csv", "parquet", "xpt", "dta", "sav", "sdtm"]
    assert details["files"] == {e["name"]: e["sha256"] for e in manifest["files"]}
    assert "items" in details["tables"] and "qs" in details["tables"]
    assert entry.actor_type == "system" and "command line" in entry.reason


def test_unknown_format_is_refused(runner, tmp_path):
    result = runner.invoke(args=["export", "--format", "xlsx", "--out", str(tmp_path / "x")])
    assert result.exit_code == 2 and "xlsx" in result.output
    assert not (tmp_path / "x").exists()


def test_unknown_site_is_refused_with_the_known_ones(app, study, runner, tmp_path):
    result = runner.invoke(args=["export", "--format", "csv", "--site", "99", "--out", str(tmp_path / "x")])
    assert result.exit_code == 2
    assert "no site with code '99'" in result.output and "01" in result.output
    assert db.session.scalar(db.select(AuditEntry).filter_by(action="export")) is None


def test_a_folder_that_is_not_empty_is_refused(app, study, runner, tmp_path):
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "keep.txt").write_text("previous export")
    result = runner.invoke(args=["export", "--format", "csv", "--out", str(tmp_path / "old")])
    assert result.exit_code == 2 and "not empty" in result.output
    assert (tmp_path / "old" / "keep.txt").read_text() == "previous export"


def test_format_and_out_are_required(runner, tmp_path):
    assert runner.invoke(args=["export", "--out", str(tmp_path)]).exit_code == 2
    assert runner.invoke(args=["export", "--format", "csv"]).exit_code == 2
