"""Register every `flask` command group; each lives in its feature package."""
from __future__ import annotations

from flask import Flask


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
    from .scheduler.cli import scheduler_cli, serve
    from .scoring.cli import score
    from .staff.cli import staff_cli

    for group in (demo_cli, staff_cli, audit_cli, scheduler_cli, serve):
        app.cli.add_command(group)
    for group in (instruments_cli, scores_cli, score):
        app.cli.add_command(group)
    app.cli.add_command(patients_cli)
    app.cli.add_command(reminders_cli)
    app.cli.add_command(backup_cli)
    app.cli.add_command(keys_cli)
    app.cli.add_command(export_command)
    app.cli.add_command(api_cli)
    db_cli.add_command(grant_app_role)  # `flask db grant-app-role`, next to `flask db upgrade`
