import click
from flask import current_app
from flask.cli import AppGroup

from ..extensions import db
from .seed import DEMO_PASSWORD, seed_demo

demo_cli = AppGroup("demo", help="Demo data.")


@demo_cli.command("seed")
def seed() -> None:
    """Create demo sites, staff and patients (idempotent) and print a fresh demo patient link."""
    result = seed_demo(current_app.extensions["pro_app.protocol"])
    db.session.commit()
    base = current_app.extensions["pro_app.settings"].public_base_url
    click.echo(f"pro_app is at {base}/")
    click.echo(f"Demo staff logins (password: {DEMO_PASSWORD}):")
    for email, role in result.staff:
        click.echo(f"  {email:32} {role}")
    click.echo(f"Demo patient link ({result.link_patient}, baseline QLQ-C30): {result.link}")
