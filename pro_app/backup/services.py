"""Back up and restore whichever database the app is bound to, and audit both."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.engine import make_url

from ..audit.anchors import AnchorError, AnchorRefused, anchor_head, latest_anchor
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
    anchor_before = _last_anchor_seq()
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
    _require_numbered_entries(backup_file)
    record("restore", "database", None, new={"file": backup_file.name, "sha256": restored.sha256,
                                               "anchor_before": anchor_before})
    db.session.commit()
    _anchor_restored_trail(backup_file)
    return restored


def _last_anchor_seq() -> int | None:
    """The entry the last anchor recorded, kept in the restore's entry: what the backup lacks is lost."""
    try:
        anchor = latest_anchor()
    except AnchorError as exc:
        raise BackupError(f"{exc}; nothing was restored") from None
    return anchor.seq if anchor else None


def _require_numbered_entries(backup_file: Path) -> None:
    """A backup taken before entries were numbered needs `flask db upgrade` before anything is audited."""
    if "seq" not in {column["name"] for column in inspect(db.engine).get_columns("audit_entry")}:
        raise BackupError(f"restored {backup_file.name}, taken by an older version: run `flask db upgrade`, "
                          f"then `flask audit anchor --after-restore`")


def _anchor_restored_trail(backup_file: Path) -> None:
    """A restore may go back before the last anchor: check the whole restored trail and anchor it anew."""
    try:
        anchor_head("restore", after_restore=True)
    except (AnchorError, AnchorRefused) as exc:
        raise BackupError(f"restored {backup_file.name}, but its audit trail was not anchored: {exc}") from None


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
