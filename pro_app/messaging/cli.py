"""`flask reminders`: run the dispatcher, and print a patient's calendar of messages."""
from __future__ import annotations

import logging
import time

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy.exc import SQLAlchemyError

from ..extensions import db
from ..patients.models import Patient
from .calendar_view import describe, patient_calendar
from .dispatcher import Dispatcher
from .provider import close_backend, make_backend

log = logging.getLogger("pro_app.sms")
reminders_cli = AppGroup("reminders", help="SMS invitations and reminders.")


@reminders_cli.command("dispatch")
@click.option("--once", is_flag=True, help="Run one pass, then exit.")
@click.option("--interval", default=60, show_default=True, type=click.IntRange(1),
              help="Seconds between passes when running continuously.")
def dispatch(once: bool, interval: int) -> None:
    """Send the messages that are due. On SQLite run exactly one dispatcher; on PostgreSQL
    several may run at once (rows are claimed with FOR UPDATE SKIP LOCKED)."""
    settings = current_app.extensions["pro_app.settings"]
    backend = make_backend(settings, current_app.extensions["pro_app.protocol"])
    try:
        while True:
            _one_pass(backend, raise_errors=once)
            if once:
                return
            time.sleep(interval)
    except KeyboardInterrupt:
        pass
    finally:
        close_backend(backend)


def _one_pass(backend, raise_errors: bool) -> None:
    try:
        report = Dispatcher(backend).run_pass()
    except SQLAlchemyError:
        db.session.rollback()
        if raise_errors:
            raise
        log.exception("dispatch pass failed; the next pass will pick up where it stopped")
        return
    click.echo(" ".join(f"{key}={count}" for key, count in sorted(report.items())) or "nothing due")


@reminders_cli.command("plan")
@click.argument("study_code")
def plan(study_code: str) -> None:
    """Print a patient's messages with local times and states (a dry run: nothing is sent or changed)."""
    patient = db.session.scalar(db.select(Patient).filter_by(study_code=study_code))
    if patient is None:
        raise click.ClickException(f"no patient with study code {study_code!r}")
    policy = current_app.extensions["pro_app.protocol"].reminders
    click.echo(f"{patient.study_code}  language={patient.language}  time zone={patient.timezone}  "
               f"text messages={'allowed' if patient.may_receive_sms else 'not allowed'}")
    for block in patient_calendar(patient, policy):
        visit = block.visit
        click.echo(f"\n{visit.code}  window {visit.window_opens} to {visit.window_closes}  status={visit.status}")
        for line in block.messages:
            row = line.message
            click.echo(f"  {row.kind:<11} {line.local_due:%a %Y-%m-%d %H:%M %Z}  ({row.due_at:%Y-%m-%d %H:%M} UTC)  "
                       f"{row.status:<11} {describe(row) or line.outlook}".rstrip())
    click.echo("\nDry run: nothing was sent or changed.")
