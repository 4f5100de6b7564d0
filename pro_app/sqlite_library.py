"""One SQLite library per process: a second copy would silently drop the app's locks.

SQLite's locks on a database file are POSIX locks, which belong to the process: closing any
descriptor of the file releases all of them. One SQLite library knows this and keeps the file
open while any of its connections uses it; a second, separately linked copy knows nothing of
the first one's connections. When a connection of the second copy closes the database, the
app's locks are gone. The next other process to close its last connection (the daily
`flask audit verify`, `flask patients link`) then believes it is the last one, checkpoints and
deletes the write-ahead log the app is still writing to: every later write of the app is lost
at its restart, and `PRAGMA integrity_check` still says ok (SQLite's "How To Corrupt An SQLite
Database File", section 2.2.1).

The modules below carry their own SQLite library. When the app is bound to SQLite it refuses
to start if one is loaded already, and any later import of one fails with an ImportError that
says why. The standard library's sqlite3 is the app's one library.
"""
from __future__ import annotations

import sys
from importlib.abc import MetaPathFinder

from .config import ConfigError

# Top-level modules that link SQLite (or SQLCipher, a fork of it) in themselves.
CARRIERS = frozenset({"adbc_driver_sqlite", "apsw", "pysqlite3", "sqlcipher3", "pysqlcipher3"})
WHY = "it carries a second SQLite library, which would drop this process's locks on the SQLite database"


class _RefuseCarriers(MetaPathFinder):
    def find_spec(self, fullname, path=None, target=None):
        if fullname.partition(".")[0] in CARRIERS:
            raise ImportError(f"{fullname} is not importable next to the app's SQLite database: {WHY}", name=fullname)
        return None


def refuse_second_library() -> None:
    """Fail (ConfigError) if a carrier is loaded; make every later import of one fail."""
    loaded = sorted(name for name in CARRIERS if name in sys.modules)
    if loaded:
        raise ConfigError(f"DATABASE_URL: an SQLite database, but {', '.join(loaded)} is already loaded in this "
                          f"process: {WHY}")
    if not any(isinstance(finder, _RefuseCarriers) for finder in sys.meta_path):
        sys.meta_path.insert(0, _RefuseCarriers())
