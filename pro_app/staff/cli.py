import click
from flask.cli import AppGroup

from ..extensions import db
from ..study.models import Site
from .models import ROLES
from .services import StaffError, create_staff

staff_cli = AppGroup("staff", help="Staff accounts.")


@staff_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", "display_name", required=True, help="Name shown in the app and on signatures.")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--site", "site_code", default=None, help="Site code (required for nurses and investigators).")
@click.option("--language", type=click.Choice(["fr", "en"]), default="fr")
@click.password_option(help="At least 10 characters; prompted when omitted.")
def create(email, display_name, role, site_code, language, password) -> None:
    """Create a staff account."""
    site = None
    if site_code:
        site = db.session.scalar(db.select(Site).filter_by(code=site_code))
        if site is None:
            raise click.BadParameter(f"no site with code {site_code!r}", param_hint="--site")
    try:
        user = create_staff(email, display_name, password, role, site, language)
    except StaffError as exc:
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    click.echo(f"created {user.role} {user.email}")
