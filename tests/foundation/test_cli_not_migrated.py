"""A command run against a database that was never migrated says so in one line and exits 1.

Every database command of `flask` (found by walking the registered groups, so a new command is
covered) is run on an empty database; `flask audit verify` also as a real process, on an empty
SQLite file and on an empty PostgreSQL database.
"""
import os
import subprocess
import sys

import click
import pytest

from pro_app.commands import NO_DATABASE_NEEDED, NOT_MIGRATED
from tests.conftest import TEST_DB
from tests.integrity.apps import build_app, dispose, fresh_database_url

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_audit_verify_on_an_empty_database_prints_one_line_and_exits_1(kind, tmp_path):
    with fresh_database_url(kind, tmp_path, "empty") as url:
        env = {"PATH": os.environ["PATH"], "PRO_APP_ENV": "development", "DATABASE_URL": url,
               "INSTANCE_PATH": str(tmp_path)}
        result = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "audit", "verify"], cwd=REPO,
                                env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stderr
    assert result.stderr.splitlines() == [f"Error: {NOT_MIGRATED}"]
    assert result.stdout == ""


def _commands(group: click.Group, path: tuple[str, ...] = ()):
    for name, command in sorted(group.commands.items()):
        full = path + (name,)
        if name == "db" or " ".join(full) in NO_DATABASE_NEEDED:
            continue
        if isinstance(command, click.Group):
            yield from _commands(command, full)
        else:
            yield full, command


def _arguments(command: click.Command, tmp_path) -> list[str]:
    """A value for every required parameter, of the expected type, so that the command itself runs."""
    arguments = []
    for param in command.params:
        if not param.required:
            continue
        if isinstance(param.type, click.Choice):
            value = param.type.choices[0]
        elif isinstance(param.type, click.DateTime):
            value = "2025-01-01"
        elif isinstance(param.type, (click.types.IntParamType, click.types.FloatParamType)):
            value = "1"
        elif isinstance(param.type, click.Path):
            value = str(tmp_path / ("file.csv" if param.type.file_okay else "folder"))
        else:
            value = "x@example.org"
        arguments += [param.opts[0], value] if isinstance(param, click.Option) else [value]
    return arguments


def test_every_database_command_on_an_empty_database_says_to_run_flask_db_upgrade(tmp_path):
    (tmp_path / "file.csv").write_text("a\n1\n", encoding="utf-8")
    with fresh_database_url(TEST_DB, tmp_path, "empty") as url:
        app = build_app(url, tmp_path, create_tables=False)
        try:
            runner = app.test_cli_runner()
            commands = list(_commands(app.cli))
            assert {("audit", "verify"), ("serve",), ("scheduler", "run"), ("export",)} <= {c for c, _ in commands}
            for path, command in commands:
                result = runner.invoke(args=[*path, *_arguments(command, tmp_path)], input="x\nx\n")
                assert result.exit_code == 1, (path, result.output, result.exception)
                assert result.output.strip().splitlines()[-1] == f"Error: {NOT_MIGRATED}", (path, result.output)
                assert "Traceback" not in result.output
        finally:
            dispose(app)
