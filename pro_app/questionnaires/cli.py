"""`flask instruments` (install and list wording packs) and `flask scores` (recompute stored scores)."""
from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from ..extensions import db
from .models import InstrumentPack
from .packs import PackInstallError, PackNotInstalled, current_pack, install_pack
from .recompute import recompute_qlq_scores

instruments_cli = AppGroup("instruments", help="Instrument packs: the licensed wording of each instrument.")
scores_cli = AppGroup("scores", help="Stored questionnaire scores.")


@instruments_cli.command("install")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def install(path: Path) -> None:
    """Validate a pack file (YAML or JSON) and install it; list every problem if it is refused."""
    installed_before = set(db.session.scalars(db.select(InstrumentPack.id)))
    try:
        row = install_pack(path)
    except PackInstallError as error:
        db.session.rollback()
        for problem in error.problems:
            click.echo(f"Error: {problem}", err=True)
        click.echo(f"{len(error.problems)} problem(s); nothing was installed.", err=True)
        raise SystemExit(1) from None
    db.session.commit()
    state = "already installed, unchanged:" if row.id in installed_before else "installed"
    click.echo(f"{state} {_describe(row)}")


@instruments_cli.command("list")
def list_packs() -> None:
    """Show the installed packs and which pack each study language uses per instrument."""
    rows = db.session.scalars(db.select(InstrumentPack).order_by(InstrumentPack.instrument,
                                                                 InstrumentPack.installed_at, InstrumentPack.id))
    click.echo("Installed packs:")
    for row in rows:
        current = " (current)" if row.is_current else ""
        click.echo(f"  {_describe(row)}, installed {row.installed_at:%Y-%m-%d %H:%M} UTC{current}")
    protocol = current_app.extensions["pro_app.protocol"]
    click.echo("Study languages:")
    for instrument in _study_instruments(protocol):
        for language in protocol.languages:
            click.echo(f"  {instrument} {language}: {_pack_in_use(instrument, language)}")


def _describe(row: InstrumentPack) -> str:
    kind = "validated" if row.validated else "demo"
    return (f"{row.pack_id} {row.version} ({row.instrument}; {row.languages.replace(',', ', ')}; {kind}; "
            f"sha256 {row.sha256[:12]})")


def _study_instruments(protocol) -> list[str]:
    return list(dict.fromkeys(item.instrument for visit in protocol.visits for item in visit.instruments))


def _pack_in_use(instrument: str, language: str) -> str:
    try:
        row = current_pack(instrument, language)
    except PackNotInstalled:
        return "no pack installed: install one before this language can be used"
    return f"{row.pack_id} {row.version} ({'validated' if row.validated else 'demo, not the validated wording'})"


@scores_cli.command("recompute")
@click.option("--dry-run", is_flag=True, help="Report the differences without writing anything.")
def recompute(dry_run: bool) -> None:
    """Rescore every submitted QLQ-C30 administration and list every stored score that changes."""
    report = recompute_qlq_scores()
    for change in report.changes:
        click.echo(f"{change.study_code} {change.visit} {change.scale}: {_value(change.old)} -> {_value(change.new)}")
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    for problem in report.problems:
        click.echo(f"Error: {problem}", err=True)
    click.echo(f"{report.rescored} administration(s) rescored; {len(report.changes)} score(s) differ in "
               f"{report.changed_administrations} administration(s)"
               + ("; dry run, nothing was written." if dry_run else "."))
    if report.problems:
        click.echo(f"{len(report.problems)} administration(s) could not be scored.", err=True)
        raise SystemExit(1)


def _value(value: float | None) -> str:
    return "missing" if value is None else repr(value)
