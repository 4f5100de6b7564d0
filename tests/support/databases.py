"""Throwaway PostgreSQL databases and table cleanup between tests."""
from __future__ import annotations

import contextlib
import os
import uuid

ADMIN_URL = os.environ.get("PRO_APP_TEST_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/test")


def _admin_connection():
    import psycopg
    return psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=3)


@contextlib.contextmanager
def throwaway_postgres_url(on_unavailable):
    """Create a uniquely named database, yield its URL, drop it afterwards."""
    import psycopg
    name = f"pro_app_test_{uuid.uuid4().hex[:12]}"
    try:
        with _admin_connection() as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        on_unavailable(f"PostgreSQL not reachable at 127.0.0.1:5432 ({exc.__class__.__name__})")
    try:
        yield ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with _admin_connection() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def truncate_all(db) -> None:
    tables = list(reversed(db.metadata.sorted_tables))
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            conn.exec_driver_sql(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
        else:
            for table in tables:
                conn.execute(table.delete())
