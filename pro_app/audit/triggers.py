"""Database triggers that make `audit_entry` append-only, for `create_all` and the migration.

The migration imports the statement tuples and runs each with `op.execute` (no `%` in them, so
no driver reads a placeholder). TRUNCATE fires no
row trigger: the application role must not hold TRUNCATE on the table (see docs/security.md).
SQLite only refuses UPDATE: it has no TRUNCATE, so a DELETE trigger would also block the
whole-table cleanup a maintainer (or the test suite) runs; the hash chain still exposes a
deletion inside the trail.
"""
from __future__ import annotations

from sqlalchemy import DDL, Table, event

REFUSAL = "audit_entry is append-only"

POSTGRES_UPGRADE_SQL = (
    f"""
    CREATE OR REPLACE FUNCTION audit_entry_refuse_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
            MESSAGE = '{REFUSAL}: ' || TG_OP || ' refused on entry ' || OLD.id;
    END;
    $$
    """,
    """
    CREATE TRIGGER audit_entry_append_only
    BEFORE UPDATE OR DELETE ON audit_entry
    FOR EACH ROW EXECUTE FUNCTION audit_entry_refuse_change()
    """,
)
POSTGRES_DOWNGRADE_SQL = (
    "DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_entry",
    "DROP FUNCTION IF EXISTS audit_entry_refuse_change()",
)

SQLITE_UPGRADE_SQL = (
    f"""
    CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry
    BEGIN
        SELECT RAISE(ABORT, '{REFUSAL}: UPDATE refused');
    END
    """,
)
SQLITE_DOWNGRADE_SQL = ("DROP TRIGGER IF EXISTS audit_entry_no_update",)


def attach(table: Table) -> None:
    """Install the triggers whenever `create_all` creates the table."""
    for dialect, statements in (("postgresql", POSTGRES_UPGRADE_SQL), ("sqlite", SQLITE_UPGRADE_SQL)):
        for statement in statements:
            event.listen(table, "after_create", DDL(statement).execute_if(dialect=dialect))
    # Dropping the table drops its trigger; the PostgreSQL function outlives it otherwise.
    event.listen(table, "after_drop", DDL(POSTGRES_DOWNGRADE_SQL[1]).execute_if(dialect="postgresql"))


def statements_for(dialect: str, upgrade: bool = True) -> tuple[str, ...]:
    """The statements a migration runs on this dialect: `for s in statements_for(...): op.execute(s)`."""
    if dialect == "postgresql":
        return POSTGRES_UPGRADE_SQL if upgrade else POSTGRES_DOWNGRADE_SQL
    return SQLITE_UPGRADE_SQL if upgrade else SQLITE_DOWNGRADE_SQL
