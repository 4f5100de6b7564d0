"""Which SQLite libraries a process has loaded, and a probe that loads whatever the app loads.

`sqlite_libraries(pid)` reads the process's memory map (Linux) and keeps every mapped
executable file that holds the header SQLite writes at the start of each database,
"SQLite format 3": the code of an SQLite library, whether it is a shared libsqlite3 or a copy
linked into a bigger file (whose `sqlite3_*` symbols are hidden, so only the bytes tell).

`python -m tests.integrity.sqlite_probe FOLDER` builds the app on an SQLite database in FOLDER
with the small export study, keeps it open, downloads every export format from the web page,
writes every format with `flask export`, reads every API table and opens the report pages (all
of them read through the export tables), then prints as JSON the SQLite libraries it has loaded
and the database files it holds open.
"""
from __future__ import annotations

import io
import json
import mmap
import os
import sys
import zipfile
from pathlib import Path

MAGIC = b"SQLite format 3\x00"


def sqlite_libraries(pid: int | str = "self") -> list[str]:
    mapped = set()
    for line in Path(f"/proc/{pid}/maps").read_text().splitlines():
        fields = line.split(maxsplit=5)
        if len(fields) == 6 and "x" in fields[1] and fields[5].startswith("/"):
            mapped.add(fields[5])
    return sorted(path for path in mapped if _holds_sqlite(path))


def _holds_sqlite(path: str) -> bool:
    try:
        with open(path, "rb") as stream, mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ) as data:
            return data.find(MAGIC) != -1
    except (OSError, ValueError):  # gone since, or empty
        return False


def open_files(pid: int | str, fragment: str) -> list[str]:
    """Targets of the process's file descriptors whose path holds `fragment` (" (deleted)" kept)."""
    targets = []
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if fragment in target:
            targets.append(target)
    return sorted(targets)


def _web_exports_and_reports(app, user, formats) -> None:
    from tests.integrity.web import session_csrf_token, sign_in
    client = sign_in(app.test_client(), user)
    for path in ("/reports/", "/reports/patients/STEP-01-001", "/reports/sites/01"):
        assert client.get(path).status_code == 200, path
    for name in formats:
        response = client.post("/exports/", data={"formats": [name], "site": "",
                                                  "csrf_token": session_csrf_token(client)})
        assert response.status_code == 200, (name, response.status_code, response.get_data(as_text=True)[:300])
        assert zipfile.ZipFile(io.BytesIO(response.data)).namelist()


def _cli_exports(app, folder: Path, formats) -> None:
    runner = app.test_cli_runner()
    for name in formats:
        result = runner.invoke(args=["export", "--format", name, "--out", str(folder / f"cli-{name}")])
        assert result.exit_code == 0, (name, result.output)


def _api_reads(app, token: str) -> None:
    from pro_app.api.tables import API_TABLES
    client = app.test_client()
    for name in API_TABLES:
        response = client.get(f"/api/v1/tables/{name}", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200 and response.get_json()["rows"], (name, response.status_code)


def main(folder: Path) -> None:
    from pro_app.api.tokens import mint_token
    from pro_app.exports.formats import FORMATS
    from pro_app.extensions import db
    from tests.exports.study import build_small_study
    from tests.integrity.apps import build_app
    from tests.support.factories import Factories

    database = folder / "probe.sqlite3"
    app = build_app(f"sqlite:///{database}", folder)
    with app.app_context():
        make = Factories(app)
        build_small_study(make)
        user = make.staff(role="data_manager", site_code=None)
        token = mint_token(user)
        db.session.commit()
        with db.engine.connect() as held:  # the database stays open while everything runs
            held.exec_driver_sql("SELECT count(*) FROM patient").scalar()
            _web_exports_and_reports(app, user, FORMATS)
            _cli_exports(app, folder, FORMATS)
            _api_reads(app, token)
            print(json.dumps({"libraries": sqlite_libraries(), "open": open_files("self", database.name)}))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
