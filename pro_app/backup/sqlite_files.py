"""SQLite backups through the online backup API: consistent while the app writes (WAL included)."""
from __future__ import annotations

import sqlite3
from pathlib import Path

from .errors import BackupError


def backup(database: Path, out: Path) -> None:
    source = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        _copy(source, out)
    finally:
        source.close()
    check(out)


def restore(backup_file: Path, database: Path) -> None:
    check(backup_file)
    source = sqlite3.connect(f"file:{backup_file}?mode=ro", uri=True)
    try:
        _copy(source, database)
    finally:
        source.close()


def check(path: Path) -> None:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        result = connection.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path.name}: not a readable SQLite database ({exc})") from None
    finally:
        connection.close()
    if result != "ok":
        raise BackupError(f"{path.name}: SQLite integrity check failed: {result}")


def _copy(source: sqlite3.Connection, target_path: Path) -> None:
    target = sqlite3.connect(target_path)
    try:
        with target:
            source.backup(target)
    finally:
        target.close()
