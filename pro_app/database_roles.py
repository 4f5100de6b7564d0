"""`flask db grant-app-role ROLE`: on PostgreSQL, what the application's own role may do.

The documented deployment has two roles. The owner creates and migrates the tables
(`flask db upgrade` runs as the owner) and then runs this command; the app role, which the web
and scheduler processes log in as, gets reading and writing, but on `audit_entry` only SELECT and
INSERT. Not owning the table, it can neither disable the append-only trigger nor drop or alter
the table, and it holds no TRUNCATE, which no row trigger would see. Run it again after every
migration (new tables) and after a restore (backups carry no grants). Re-running is harmless.
"""
from __future__ import annotations

import click
from flask.cli import with_appcontext
from psycopg import sql
from sqlalchemy import text

from .audit.services import record
from .extensions import db

GRANTS = (
    "GRANT USAGE ON SCHEMA public TO {role}",
    "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
    "REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public FROM {role}",
    "REVOKE UPDATE, DELETE ON audit_entry FROM {role}",
    "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
)
# Only the owner migrates; absent where the tables were made by `create_all` (tests, demo).
MIGRATIONS_TABLE = "REVOKE INSERT, UPDATE, DELETE ON alembic_version FROM {role}"
_ROLE = text("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = :role")
_OWNER = text("SELECT tableowner FROM pg_tables WHERE schemaname = 'public' AND tablename = :table")
_MEMBER = text("SELECT pg_has_role(:role, :owner, 'MEMBER')")


@click.command("grant-app-role")
@click.argument("role")
@with_appcontext
def grant_app_role(role: str) -> None:
    """Grant the app role ROLE what the app needs, and no more (PostgreSQL; run as the table owner)."""
    if db.engine.dialect.name != "postgresql":
        raise click.ClickException("only for PostgreSQL: SQLite has no roles")
    _check_role(role)
    migrated = db.session.scalar(_OWNER, {"table": "alembic_version"}) is not None
    connection = db.session.connection()
    for statement in GRANTS + ((MIGRATIONS_TABLE,) if migrated else ()):
        connection.exec_driver_sql(sql.SQL(statement).format(role=sql.Identifier(role)).as_string(None))
    record("grant", "database_role", None, new={"role": role, "audit_entry": "SELECT, INSERT"})
    db.session.commit()
    click.echo(f"granted {role}: read and write, and on audit_entry only SELECT and INSERT")


def _check_role(role: str) -> None:
    powerful = db.session.scalar(_ROLE, {"role": role})
    if powerful is None:
        raise click.ClickException(f"role {role!r} does not exist: create it first "
                                   f"(CREATE ROLE {role} LOGIN PASSWORD '...')")
    if powerful:
        raise click.ClickException(f"role {role!r} is a superuser or bypasses row security: use a plain role")
    owner = db.session.scalar(_OWNER, {"table": "audit_entry"})
    if owner is None:
        raise click.ClickException("no audit_entry table: run `flask db upgrade` (as the owner) first")
    if db.session.scalar(_MEMBER, {"role": role, "owner": owner}):
        raise click.ClickException(f"role {role!r} is the tables' owner {owner!r} or a member of it: the app "
                                   f"role must not be able to lift the audit trigger")
