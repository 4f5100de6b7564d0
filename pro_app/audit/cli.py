import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import force_locale

from ..config import SUPPORTED_LOCALES

from ..extensions import db
from .csv_export import csv_lines
from .filters import AuditFilter, filtered
from .models import AuditEntry
from .services import record, verify_chain

audit_cli = AppGroup("audit", help="Audit trail tools.")
DAY = click.DateTime(formats=["%Y-%m-%d"])


@audit_cli.command("verify")
def verify() -> None:
    """Check the hash chain of the audit trail; name the first broken entry."""
    broken = verify_chain()
    if broken is None:
        count = db.session.scalar(db.select(db.func.count(AuditEntry.id)))
        head = db.session.scalar(db.select(AuditEntry.entry_hash).order_by(AuditEntry.id.desc()).limit(1))
        click.echo(f"audit trail intact: {count} entries, last hash {head or '-'}")
        return
    click.echo(f"audit trail broken at entry {broken.id} ({broken.at:%Y-%m-%d %H:%M:%S} UTC, "
               f"{broken.action} {broken.entity} {broken.entity_id or ''})".rstrip(), err=True)
    raise SystemExit(1)


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
