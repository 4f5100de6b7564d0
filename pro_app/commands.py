"""Register every `flask` command group; each lives in its feature package.

Every command that uses the database first checks that the tables are there: run against a
database that was never migrated (an empty SQLite file, an empty PostgreSQL database) it
prints one line telling to run `flask db upgrade` and exits with 1, instead of a traceback
from the first query. A missing column (a database migrated to an older revision) gets the
same line when a query meets it.
"""
from __future__ import annotations

import functools

import click
from flask import Flask
from flask.cli import with_appcontext
from sqlalchemy import inspect
from sqlalchemy.exc import DBAPIError

from .extensions import db

NOT_MIGRATED = "the database has not been migrated: run `flask db upgrade`"
# `score` reads and writes CSV files only; `backup restore` fills an empty database.
NO_DATABASE_NEEDED = ("score", "backup restore")
# PostgreSQL's SQLSTATEs for an undefined table and column; SQLite's messages for the same.
MISSING_SCHEMA_STATES = ("42P01", "42703")
MISSING_SCHEMA_MESSAGES = ("no such table", "no such column")


def register(app: Flask) -> None:
    from flask_migrate.cli import db as db_cli

    from .database_roles import grant_app_role
    from .audit.cli import audit_cli
    from .backup.cli import backup_cli
    from .keys.cli import keys_cli
    from .demo.cli import demo_cli
    from .api.cli import api_cli
    from .exports.cli import export_command
    from .messaging.cli import reminders_cli
    from .patients.cli import patients_cli
    from .questionnaires.cli import instruments_cli, scores_cli
    from .reviews.cli import reviews_cli
    from .scheduler.cli import scheduler_cli, serve
    from .scoring.cli import score
    from .staff.cli import staff_cli

    for command in (demo_cli, staff_cli, audit_cli, scheduler_cli, serve, instruments_cli, scores_cli, score,
                    patients_cli, reminders_cli, backup_cli, keys_cli, export_command, api_cli, reviews_cli):
        app.cli.add_command(command)
        _guard(command, command.name)
    db_cli.add_command(grant_app_role)  # `flask db grant-app-role`, next to `flask db upgrade`


def _guard(command: click.Command, path: str) -> None:
    """Make every database command of `command` (a group: of each subcommand) check the schema."""
    if path in NO_DATABASE_NEEDED:
        return
    if isinstance(command, click.Group):
        for name, subcommand in command.commands.items():
            _guard(subcommand, f"{path} {name}")
    elif command.callback is not None and not hasattr(command.callback, "checks_schema"):
        # The command objects are shared by every app built in a process: wrap them once.
        command.callback = with_appcontext(_checking_schema(command.callback))
        command.callback.checks_schema = True


def _checking_schema(callback):
    @functools.wraps(callback)
    def checked(*args, **kwargs):
        require_migrated()
        try:
            return callback(*args, **kwargs)
        except DBAPIError as error:
            if _schema_missing(error):
                raise click.ClickException(NOT_MIGRATED) from None
            raise
    return checked


def require_migrated() -> None:
    """Stop with one line unless every table of the models exists."""
    present = set(inspect(db.engine).get_table_names())
    if not set(db.metadata.tables) <= present:
        raise click.ClickException(NOT_MIGRATED)


def _schema_missing(error: DBAPIError) -> bool:
    original = error.orig
    return (getattr(original, "sqlstate", None) in MISSING_SCHEMA_STATES
            or str(original).startswith(MISSING_SCHEMA_MESSAGES))
