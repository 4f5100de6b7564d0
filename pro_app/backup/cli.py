from pathlib import Path

import click
from flask.cli import AppGroup

from .errors import BackupError
from .services import create_backup, restore_backup

backup_cli = AppGroup("backup", help="Back up the database and restore a backup (see docs/security.md).")


@backup_cli.command("create")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
def create(out: Path) -> None:
    """Write a consistent backup of the live database to OUT (SQLite file or pg_dump archive)."""
    try:
        made = create_backup(out)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"backup written: {made.path} ({made.size} bytes, sha256 {made.sha256})")


@backup_cli.command("restore")
@click.argument("backup_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--replace", is_flag=True, help="Overwrite a database that already holds tables.")
def restore(backup_file: Path, replace: bool) -> None:
    """Restore BACKUP_FILE into the configured database; stop the web and scheduler processes first."""
    try:
        restored = restore_backup(backup_file, replace=replace)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"restored {restored.path} (sha256 {restored.sha256}); now run `flask audit verify`")
