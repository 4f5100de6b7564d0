"""One SQLite library per process (issue 14, finding 1): exports and the API read an SQLite
database through the app's own driver, and a library carrying a second SQLite cannot be loaded
next to it (`pro_app.sqlite_library` says why that loses data)."""
from __future__ import annotations

import importlib
import json
import subprocess
import sys
import types

import pytest

from pro_app.sqlite_library import CARRIERS
from tests.conftest import TEST_DB
from tests.integrity.apps import app_on, build_app
from tests.support.live_server import REPO

PROBE_SECONDS = 600


@pytest.mark.skipif(TEST_DB == "postgresql", reason="SQLite only: it runs in the suite's SQLite pass")
def test_every_export_and_api_read_leaves_one_sqlite_library_in_the_process(tmp_path):
    """In a fresh process holding the database open: every format from the web page and from
    `flask export`, every API table; then the process's memory map holds one SQLite library."""
    done = subprocess.run([sys.executable, "-m", "tests.integrity.sqlite_probe", str(tmp_path)], cwd=REPO,
                          capture_output=True, text=True, timeout=PROBE_SECONDS)
    assert done.returncode == 0, done.stderr[-4000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert any(path.endswith("probe.sqlite3") for path in seen["open"]), seen["open"]
    assert len(seen["libraries"]) == 1, seen["libraries"]


@pytest.mark.parametrize("module", ["adbc_driver_sqlite.dbapi", "apsw", "pysqlite3.dbapi2"])
def test_a_module_carrying_its_own_sqlite_cannot_be_imported_next_to_an_sqlite_app(tmp_path, module):
    with app_on(f"sqlite:///{tmp_path / 'guarded.sqlite3'}", tmp_path):
        with pytest.raises(ImportError, match="carries a second SQLite library"):
            importlib.import_module(module)
    assert module.partition(".")[0] in CARRIERS and module not in sys.modules


def test_the_app_refuses_to_start_on_sqlite_when_such_a_module_is_loaded(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "apsw", types.ModuleType("apsw"))
    with pytest.raises(SystemExit, match=r"^pro_app configuration error: DATABASE_URL: .*apsw is already loaded"):
        build_app(f"sqlite:///{tmp_path / 'refused.sqlite3'}", tmp_path, create_tables=False)
