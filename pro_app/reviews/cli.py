"""`flask reviews`: the per-site review e-mail switch, and one mail pass by hand."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from ..extensions import db
from ..study.models import Site
from .mail import queue_review_mail, send_pending, set_site_review_mail, site_investigators

reviews_cli = AppGroup("reviews", help="Results to review and the investigators' e-mails about them.")


@reviews_cli.command("site-mail")
@click.argument("site_code")
@click.argument("state", type=click.Choice(["on", "off"]))
def site_mail(site_code: str, state: str) -> None:
    """Turn the review e-mails of SITE_CODE on or off (its active investigators receive them)."""
    site = db.session.scalar(db.select(Site).filter_by(code=site_code))
    if site is None:
        raise click.ClickException(f"SITE_CODE: no site with the code {site_code!r}")
    wanted = state == "on"
    set_site_review_mail(site, wanted, "flask reviews site-mail")
    db.session.commit()
    count = len(site_investigators(site))
    click.echo(f"Review e-mails of site {site.code}: {state} ({count} active investigator(s)).")
    if wanted and count == 0:
        click.echo("Warning: no active investigator account at this site: nobody will receive them.", err=True)


@reviews_cli.command("send-mail")
def send_mail() -> None:
    """Queue the e-mails of newly flagged results and send what is pending (the scheduler does it every minute)."""
    queued = queue_review_mail()
    db.session.commit()
    report = send_pending(current_app.extensions["pro_app.settings"])
    click.echo(f"queued {queued}, sent {report['sent']}, to retry {report['retried']}, given up {report['given_up']}")
    if report["retried"] or report["given_up"]:
        raise SystemExit(1)
