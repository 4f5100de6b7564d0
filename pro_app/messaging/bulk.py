"""An executemany that PostgreSQL runs as one statement: each column's values bound as one array.

psycopg pipelines an executemany, but PostgreSQL still plans and runs one statement per row:
for the dispatcher's batches of 50 rows that was most of the database's CPU per message. Joined
to ``unnest(array, array, ...)`` the same rows take one statement. SQLite has no arrays and
keeps the plain executemany, so callers give both forms of the statement.
"""
from __future__ import annotations

from sqlalchemy import ARRAY, bindparam, func
from sqlalchemy.engine import Connection, CursorResult
from sqlalchemy.sql.selectable import TableValuedAlias
from sqlalchemy.types import TypeEngine


def unnested(name: str, **types: TypeEngine) -> TableValuedAlias:
    """A derived table ``name`` with one row per index of the bound arrays, one per keyword."""
    arrays = [bindparam(key, type_=ARRAY(type_)) for key, type_ in types.items()]
    return func.unnest(*arrays).table_valued(*types).render_derived(name=name)


def execute_rows(connection: Connection, rows: list[dict], unnesting, one_per_row) -> CursorResult:
    """``unnesting`` (built on :func:`unnested`) on PostgreSQL, else ``one_per_row`` as an executemany."""
    if connection.dialect.name != "postgresql":
        return connection.execute(one_per_row, rows)
    return connection.execute(unnesting, {key: [row[key] for row in rows] for key in rows[0]})
