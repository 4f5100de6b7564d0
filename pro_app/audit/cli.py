"""`flask audit`: verify the chain, anchor its head, export the trail."""
from __future__ import annotations

from pathlib import Path
from typing import NoReturn

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import force_locale

from ..config import SUPPORTED_LOCALES
from ..extensions import db
from .anchors import Anchor, AnchorError, AnchorRefused, anchor_head, latest_anchor
from .anchors import anchor_file as anchor_file_setting
from .chain import GENESIS_HASH, UNVERIFIABLE, Head, Problem, check_chain
from .csv_export import csv_lines
from .filters import AuditFilter, filtered
from .models import AuditEntry
from .services import record

audit_cli = AppGroup("audit", help="Audit trail tools.")
# Exit statuses of `verify` and `anchor` (2 is click's, for a wrong command line).
INTACT, BROKEN, NOT_ANCHORED, NOT_CHECKED = 0, 1, 3, 4
DAY = click.DateTime(formats=["%Y-%m-%d"])


@audit_cli.command("verify")
@click.option("--anchor-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Check against the last anchor of this file (e.g. a monitor's own copy) instead of "
                   "AUDIT_ANCHOR_FILE.")
def verify(anchor_file: Path | None) -> None:
    """Check every entry of the audit trail, then that it still holds the latest anchor.

    Exit status: 0 intact and holding the anchor; 1 broken (an entry changed, forged or missing,
    or the trail shorter than the anchor or different at it); 3 intact, but no anchor to check
    it against; 4 not checked (an entry's key id is not configured, or the anchor file cannot
    be read).
    """
    try:
        anchor = latest_anchor(anchor_file)
    except AnchorError as exc:
        _exit(NOT_CHECKED, f"audit trail not checked: {exc}")
    report = check_chain(anchor)
    if report.problem:
        _refused(report.problem)
    head = report.head or Head(0, GENESIS_HASH, None)
    summary = f"audit trail intact: {report.entries} entries, last entry {head.seq}, last hash {head.hash}"
    if anchor is None:
        _exit(NOT_ANCHORED, f"{summary}; no anchor in {anchor_file or anchor_file_setting()} to check it "
                            f"against (run `flask audit anchor`)")
    click.echo(f"{summary}; holds the anchor of {anchor.at} (entry {anchor.seq})")


@audit_cli.command("anchor")
@click.option("--print-only", is_flag=True, help="Print the head without adding it to the anchor file.")
@click.option("--after-restore", is_flag=True, help="After restoring an older backup: anchor the restored "
              "trail even though it no longer reaches the last anchor (audited).")
def anchor(print_only: bool, after_restore: bool) -> None:
    """Append the head of the audit trail (entry number, hash, time) to AUDIT_ANCHOR_FILE and print it.

    A monitor keeps the printed line away from the host; `flask audit verify --anchor-file FILE`
    later checks the trail against it. Nothing is anchored when the trail does not check out from
    the previous anchor on (exit 1; 4 when a key id is not configured or the file is unreadable).
    """
    if print_only and after_restore:
        raise click.UsageError("--print-only and --after-restore do not go together")
    try:
        made = _anchor_after_restore() if after_restore else anchor_head("command", write=not print_only)
    except AnchorError as exc:
        _exit(NOT_CHECKED, f"no anchor written: {exc}")
    except AnchorRefused as exc:
        _refused(exc.problem)
    click.echo(made.line())


def _anchor_after_restore() -> Anchor:
    before = latest_anchor()
    record("anchor", "audit_trail", None, new={"after_restore": True, "anchor_before": before and before.seq})
    db.session.commit()
    return anchor_head("command after restore", after_restore=True)


def _refused(problem: Problem) -> NoReturn:
    if problem.kind == UNVERIFIABLE:
        _exit(NOT_CHECKED, f"audit trail not checked: {problem.message}")
    _exit(BROKEN, f"audit trail broken: {problem.message}")


def _exit(code: int, message: str) -> NoReturn:
    click.echo(message, err=True)
    raise SystemExit(code)


@audit_cli.command("export")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, writable=True),
              help="CSV file to write.")
@click.option("--since", type=DAY, help="First day to include (YYYY-MM-DD, UTC).")
@click.option("--until", type=DAY, help="Last day to include (YYYY-MM-DD, UTC).")
@click.option("--lang", type=click.Choice(SUPPORTED_LOCALES), help="Language of the actor labels "
              "(default: DEFAULT_LOCALE).")
def export(out, since, until, lang) -> None:
    """Write the audit trail (or the days asked for) as CSV, oldest entry first."""
    flt = AuditFilter(since=since.date() if since else None, until=until.date() if until else None)
    if flt.since and flt.until and flt.since > flt.until:
        raise click.BadParameter("the --until day is before the --since day", param_hint="--until")
    lang = lang or current_app.extensions["pro_app.settings"].default_locale
    with force_locale(lang), open(out, "w", encoding="utf-8", newline="") as stream:
        for chunk in csv_lines(filtered(db.select(AuditEntry), flt)):
            stream.write(chunk)
    record("export", "audit_entry", None, new={"format": "csv", "since": flt.since, "until": flt.until})
    db.session.commit()
