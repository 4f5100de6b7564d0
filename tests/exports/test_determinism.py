"""Two exports of the same data are byte-identical apart from the manifest's time and author."""
import json
from datetime import datetime

import pyreadstat

from pro_app.extensions import db


def _export(runner, out):
    result = runner.invoke(args=["export", "--format", "all", "--out", str(out)])
    assert result.exit_code == 0, result.output


def test_two_exports_are_identical_but_for_the_manifest_time_and_author(app, study, runner, tmp_path, monkeypatch):
    _export(runner, tmp_path / "first")
    monkeypatch.setenv("USER", "someone-else")
    monkeypatch.setenv("LOGNAME", "someone-else")
    db.session.expire_all()
    _export(runner, tmp_path / "second")
    first = {p.relative_to(tmp_path / "first"): p.read_bytes() for p in (tmp_path / "first").rglob("*") if p.is_file()}
    second = {p.relative_to(tmp_path / "second"): p.read_bytes()
              for p in (tmp_path / "second").rglob("*") if p.is_file()}
    assert first.keys() == second.keys()
    differing = sorted(str(name) for name in first if first[name] != second[name])
    assert differing in ([], ["manifest.json"])
    manifests = [json.loads(files[next(k for k in files if str(k) == "manifest.json")]) for files in (first, second)]
    for manifest in manifests:
        manifest.pop("export_time")
        manifest.pop("exported_by")
    assert manifests[0] == manifests[1]


def test_files_carry_a_fixed_timestamp_not_the_export_time(app, exported):
    for path, reader in (("sav/items.sav", pyreadstat.read_sav), ("dta/items.dta", pyreadstat.read_dta),
                         ("xpt/items.xpt", pyreadstat.read_xport), ("sdtm/qs.xpt", pyreadstat.read_xport)):
        _, meta = reader(str(exported / path), metadataonly=True)
        assert meta.creation_time == datetime(2000, 1, 1), path


def test_rows_come_in_a_stable_order(app, exported):
    import pandas as pd
    items = pd.read_csv(exported / "csv" / "items.csv", dtype={"visit_num": int})
    keys = list(zip(items["study_code"], items["visit_num"], items["instrument"] == "mmse", items["item_num"]))
    assert keys == sorted(keys)
