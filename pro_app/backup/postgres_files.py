"""PostgreSQL backups with pg_dump's custom format, restored with pg_restore in one transaction.

The connection details go to the tools through libpq's environment variables, so that the
password never appears on a command line (visible to every local user in `ps`).
"""
from __future__ import annotations

import os
import shutil
import subprocess  # nosec B404  # runs only pg_dump/pg_restore, resolved to absolute paths, no shell
from pathlib import Path

from sqlalchemy.engine import make_url

from .errors import BackupError

LIBPQ_QUERY_SETTINGS = {"sslmode": "PGSSLMODE", "sslrootcert": "PGSSLROOTCERT", "sslcert": "PGSSLCERT",
                        "sslkey": "PGSSLKEY"}


def backup(database_url: str, out: Path) -> None:
    _run("pg_dump", ["--format=custom", "--compress=6", f"--file={out}"], database_url)


def restore(backup_file: Path, database_url: str, replace: bool) -> None:
    options = ["--exit-on-error", "--single-transaction", "--no-owner", "--no-acl"]
    if replace:
        options += ["--clean", "--if-exists"]
    # Only the name: host, user and password reach pg_restore through the environment.
    _run("pg_restore", [*options, f"--dbname={make_url(database_url).database}", str(backup_file)], database_url)


def libpq_environment(database_url: str) -> dict[str, str]:
    url = make_url(database_url)
    values = {"PGHOST": url.host, "PGPORT": url.port, "PGUSER": url.username, "PGPASSWORD": url.password,
              "PGDATABASE": url.database}
    values.update({env: url.query.get(key) for key, env in LIBPQ_QUERY_SETTINGS.items()})
    return {name: str(value) for name, value in values.items() if value not in (None, "")}


def _run(tool: str, arguments: list[str], database_url: str) -> None:
    executable = shutil.which(tool)
    if executable is None:
        raise BackupError(f"{tool} not found: install the PostgreSQL client tools (same major version "
                          f"as the server or newer)")
    env = {**os.environ, **libpq_environment(database_url)}
    command = [executable, *arguments]
    # nosec B603  # a fixed argument list and no shell: nothing a user typed is interpreted
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # nosec B603
    if result.returncode != 0:
        detail = (result.stderr.strip().splitlines() or ["no message"])[-1]
        raise BackupError(f"{tool} failed (exit {result.returncode}): {detail}")
