import click
from flask.cli import AppGroup

from .services import verify_chain

audit_cli = AppGroup("audit", help="Audit trail tools.")


@audit_cli.command("verify")
def verify() -> None:
    """Check the hash chain of the audit trail; name the first broken entry."""
    broken = verify_chain()
    if broken is None:
        click.echo("audit trail intact")
        return
    click.echo(f"audit trail broken at entry {broken.id} ({broken.at:%Y-%m-%d %H:%M:%S} UTC, "
               f"{broken.action} {broken.entity} {broken.entity_id or ''})".rstrip(), err=True)
    raise SystemExit(1)
