"""`flask api token EMAIL`: mint (or replace) a data manager's or investigator's API token."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from ..extensions import db
from ..staff.models import StaffUser
from .tokens import TokenError, mint_token, revoke_token

api_cli = AppGroup("api", help="Tokens for the read-only JSON API.")


def _user(email: str) -> StaffUser:
    user = db.session.scalar(db.select(StaffUser).filter_by(email=email))
    if user is None:
        raise click.BadParameter(f"no staff account with e-mail {email!r}", param_hint="EMAIL")
    return user


@api_cli.command("token")
@click.argument("email")
def token(email: str) -> None:
    """Mint a token for EMAIL (it replaces the previous one); shown once, store it safely."""
    try:
        value = mint_token(_user(email))
    except TokenError as exc:
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    click.echo(value)


@api_cli.command("revoke")
@click.argument("email")
def revoke(email: str) -> None:
    """Revoke the API token of EMAIL."""
    revoked = revoke_token(_user(email))
    db.session.commit()
    click.echo("token revoked" if revoked else "no token to revoke")
