"""`flask export`: the same files as the data managers' download, written to a folder."""
from __future__ import annotations

import getpass
from pathlib import Path

import click
from flask import current_app

from ..audit.services import Actor
from ..extensions import db
from ..study.models import Site
from .formats import FORMATS
from .manifest import Exporter
from .service import ExportError, run_export


@click.command("export")
@click.option("--format", "formats", multiple=True, required=True, type=click.Choice(FORMATS + ("all",)),
              help="csv, parquet, xpt (SAS XPORT v5), dta (Stata), sav (SPSS), sdtm (CDISC QS/FT), or all. "
                   "Repeat the option for several formats.")
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write into; it must be empty or not exist yet.")
@click.option("--site", "site_code", default=None, help="Export only this site's patients (site code).")
def export_command(formats, out: Path, site_code: str | None) -> None:
    """Export the study data for statistical analysis, with a codebook and a manifest.

    Files carry study codes only. Every export is recorded in the audit trail.
    """
    site = _site(site_code)
    if out.exists() and any(out.iterdir()):
        raise click.BadParameter(f"{out} is not empty; choose a new or empty folder", param_hint="--out")
    exporter = Exporter("command_line", email=f"{getpass.getuser()} (command line)")
    try:
        result = run_export(current_app.extensions["pro_app.protocol"], list(formats), out, site, exporter,
                            actor=Actor("system"))
    except ExportError as exc:
        raise click.UsageError(str(exc)) from None
    db.session.commit()
    for entry in result.manifest["files"]:
        click.echo(f"{entry['name']}\t{entry['rows']} rows\t{entry['sha256']}")
    click.echo(f"manifest: {out / 'manifest.json'}")


def _site(code: str | None) -> Site | None:
    if code is None:
        return None
    site = db.session.scalar(db.select(Site).filter_by(code=code))
    if site is None:
        known = ", ".join(db.session.scalars(db.select(Site.code).order_by(Site.code)))
        raise click.BadParameter(f"no site with code {code!r} (known: {known or 'none'})", param_hint="--site")
    return site
