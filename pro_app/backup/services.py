"""Back up and restore whichever database the app is bound to, and audit both."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.engine import make_url

from ..audit.services import record
from ..extensions import db
from . import postgres_files, sqlite_files
from .errors import BackupError


@dataclass(frozen=True)
class BackupFile:
    path: Path
    sha256: str
    size: int


def create_backup(out: Path) -> BackupFile:
    """Write a consistent copy of the live database to `out` (which must not exist yet)."""
    if out.exists():
        raise BackupError(f"{out}: already exists; choose a new file name")
    out.parent.mkdir(parents=True, exist_ok=True)
    if _is_sqlite():
        sqlite_files.backup(_sqlite_path(), out)
    else:
        postgres_files.backup(_url(), out)
    made = describe(out)
    record("backup", "database", None, new={"file": out.name, "sha256": made.sha256, "bytes": made.size})
    db.session.commit()
    return made


def restore_backup(backup_file: Path, replace: bool = False) -> BackupFile:
    """Load `backup_file` into the bound database; refuses one holding tables unless `replace`."""
    if not backup_file.is_file():
        raise BackupError(f"{backup_file}: no such file")
    db.session.remove()
    tables = inspect(db.engine).get_table_names()
    if tables and not replace:
        raise BackupError(f"the database already holds {len(tables)} tables; restore into an empty "
                          f"database, or pass --replace to overwrite it")
    db.engine.dispose()
    if _is_sqlite():
        sqlite_files.restore(backup_file, _sqlite_path())
    else:
        postgres_files.restore(backup_file, _url(), replace)
    db.engine.dispose()
    restored = describe(backup_file)
    record("restore", "database", None, new={"file": backup_file.name, "sha256": restored.sha256})
    db.session.commit()
    return restored


def describe(path: Path) -> BackupFile:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return BackupFile(path, digest.hexdigest(), path.stat().st_size)


def _url() -> str:
    return db.engine.url.render_as_string(hide_password=False)


def _is_sqlite() -> bool:
    return db.engine.dialect.name == "sqlite"


def _sqlite_path() -> Path:
    database = make_url(_url()).database
    if not database or database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(database)
