import os

import click
from flask.cli import AppGroup

from .audit_key import seal_with_new_audit_key
from .rotation import RotationError, rotate_phone_key

keys_cli = AppGroup("keys", help="Key management (see docs/security.md).")
NEW_KEY_VARIABLE = "NEW_PHONE_ENCRYPTION_KEY"


@keys_cli.command("rotate-phone-key")
def rotate_phone_key_command() -> None:
    """Re-encrypt phone numbers and kept forms under the key in $NEW_PHONE_ENCRYPTION_KEY.

    Stop the web and scheduler processes first; afterwards set PHONE_ENCRYPTION_KEY to the new
    key everywhere, then start them again. The key is read from the environment, never from the
    command line, which other local users can read.
    """
    new_key = os.environ.get(NEW_KEY_VARIABLE, "").strip()
    if not new_key:
        raise click.ClickException(f"set {NEW_KEY_VARIABLE} to the new Fernet key")
    try:
        result = rotate_phone_key(new_key)
    except RotationError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"re-encrypted {result.phones} phone numbers and {result.kept_forms} kept forms; now set "
               f"PHONE_ENCRYPTION_KEY to the new key and restart the web and scheduler processes")


@keys_cli.command("rotate-audit-key")
def rotate_audit_key_command() -> None:
    """Seal the audit trail under the new AUDIT_KEY, once the settings name it.

    Stop the web and scheduler processes first; set AUDIT_KEY to the new key (new id) and add the
    old key to AUDIT_PREVIOUS_KEYS; run this command; then start the processes again. It checks
    the whole trail under the configured keys, writes one entry with the new key and an anchor.
    """
    try:
        rotation = seal_with_new_audit_key()
    except RotationError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"audit key {rotation.old_key_id or '(none)'} -> {rotation.new_key_id}: entries up to "
               f"{rotation.anchor.seq - 1} keep their key; anchored {rotation.anchor.line()}")
