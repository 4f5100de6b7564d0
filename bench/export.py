"""Benchmark of the exports on a synthetic study (issue 6).

Generates 20,000 patients x 5 visits, every visit with the QLQ-C30 answered (3 million
item answers; `--mmse` adds an MMSE at every visit, 3.2 million more), in a throwaway
SQLite database; then, each in a fresh process, exports every format (and `all`), and runs
the plain pandas baseline: `read_sql` + `to_csv` of the long item table. Prints wall time,
CPU time and peak memory (maximum resident set size) of each run.

    python bench/export.py [--patients 20000] [--mmse] [--keep DIR]

Goals: `all` under 60 s and 1.5 GB; the long item CSV within 1.5x the pandas baseline.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RUNS = ("baseline", "items-csv", "csv", "parquet", "xpt", "dta", "sav", "sdtm", "all")
BASELINE_SQL = (
    "SELECT p.study_code, s.code AS site_code, v.code AS visit_code, a.instrument, ia.item_code, ia.state, "
    "ia.value, ia.text_value, ia.na_reason FROM item_answer ia JOIN administration a ON a.id = ia.administration_id "
    "JOIN visit v ON v.id = a.visit_id JOIN patient p ON p.id = v.patient_id JOIN site s ON s.id = p.site_id "
    "WHERE a.status IN ('submitted', 'locked')")


def make_app(database: Path, instance: Path):
    from pro_app import create_app
    return create_app({"PRO_APP_ENV": "development", "DATABASE_URL": f"sqlite:///{database}",
                       "INSTANCE_PATH": str(instance), "SMS_BACKEND": "console"})


def generate(database: Path, instance: Path, patients: int, mmse: bool) -> dict:
    from bench.synthetic_study import populate
    from pro_app.extensions import db
    app = make_app(database, instance)
    with app.app_context():
        db.create_all()
        db.engine.dispose()
        return populate(str(database), app.extensions["pro_app.protocol"], patients, mmse)


def child(run: str, database: Path, out: Path) -> None:
    """One measured run in this process; prints seconds and peak memory as JSON."""
    start = time.perf_counter()
    if run == "baseline":
        import pandas as pd
        import sqlalchemy
        engine = sqlalchemy.create_engine(f"sqlite:///{database}")
        out.mkdir(parents=True)
        pd.read_sql(BASELINE_SQL, engine).to_csv(out / "items.csv", index=False)
    else:
        _export(run, database, out)
    seconds = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({"seconds": seconds, "cpu_seconds": usage.ru_utime + usage.ru_stime,
                      "peak_mb": usage.ru_maxrss / 1024}))


def _export(run: str, database: Path, out: Path) -> None:
    from flask_babel import force_locale

    from pro_app.exports.manifest import Exporter
    from pro_app.exports.queries import Scope
    from pro_app.exports.service import run_export
    from pro_app.exports.tables import build_tables
    from pro_app.exports.writers.arrow_formats import write_csv
    app = make_app(database, out.parent / "instance")
    with app.app_context():
        protocol = app.extensions["pro_app.protocol"]
        if run == "items-csv":
            out.mkdir(parents=True)
            with force_locale("en"):
                write_csv(out / "items.csv", build_tables(protocol, Scope(), ("items",))["items"])
            return
        run_export(protocol, [run], out, None, Exporter("command_line", email="bench"))


def measure(run: str, database: Path, work: Path) -> dict:
    command = [sys.executable, __file__, "--child", run, "--database", str(database), "--out", str(work / run)]
    started = time.perf_counter()
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    result = json.loads(output.strip().splitlines()[-1])
    result["process_seconds"] = time.perf_counter() - started
    result["bytes"] = sum(path.stat().st_size for path in (work / run).rglob("*") if path.is_file())
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=20_000)
    parser.add_argument("--mmse", action="store_true", help="an MMSE at every visit too")
    parser.add_argument("--keep", type=Path, help="keep the database and the exports in this folder")
    parser.add_argument("--child", choices=RUNS)
    parser.add_argument("--database", type=Path)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    if args.child:
        return child(args.child, args.database, args.out)
    with tempfile.TemporaryDirectory() as temporary:
        work = args.keep or Path(temporary)
        work.mkdir(parents=True, exist_ok=True)
        report(work, args.patients, args.mmse)


def report(work: Path, patients: int, mmse: bool) -> None:
    database = work / "bench.sqlite3"
    started = time.perf_counter()
    counts = generate(database, work / "instance", patients, mmse)
    print(f"synthetic study: {counts} in {time.perf_counter() - started:.0f} s "
          f"(database {database.stat().st_size / 1e9:.2f} GB)")
    print(f"{'run':<10}{'seconds':>10}{'CPU s':>8}{'peak MB':>10}{'output MB':>11}")
    results = {}
    for run in RUNS:
        results[run] = measure(run, database, work)
        r = results[run]
        print(f"{run:<10}{r['seconds']:>10.1f}{r['cpu_seconds']:>8.1f}{r['peak_mb']:>10.0f}{r['bytes'] / 1e6:>11.0f}",
              flush=True)
    ratio = results["items-csv"]["seconds"] / results["baseline"]["seconds"]
    cpu_ratio = results["items-csv"]["cpu_seconds"] / results["baseline"]["cpu_seconds"]
    print(f"long item CSV / pandas baseline: {ratio:.2f}x wall, {cpu_ratio:.2f}x CPU (goal <= 1.5x)")
    print(f"all: {results['all']['seconds']:.1f} s (goal < 60 s), {results['all']['peak_mb']:.0f} MB (goal < 1500 MB)")


if __name__ == "__main__":
    main()
