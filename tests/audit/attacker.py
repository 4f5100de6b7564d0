"""Someone with write access to the database, but not to AUDIT_KEY nor to the anchor file.

They work with raw SQL, beneath the ORM's guard, and lift the append-only trigger first, as the
tables' owner (or a stolen owner password) can. The chain's format is public: they rehash as the
code does, with whatever key they have.
"""
from __future__ import annotations

import contextlib

from sqlalchemy import select, update

from pro_app.audit.chain import keyed_digest, legacy_digest
from pro_app.audit.models import AuditEntry
from pro_app.audit.triggers import statements_for
from pro_app.extensions import db

TABLE = AuditEntry.__table__


@contextlib.contextmanager
def trigger_lifted():
    kind = db.engine.dialect.name
    if kind == "postgresql":
        lift = ["ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_append_only"]
        put_back = ["ALTER TABLE audit_entry ENABLE TRIGGER audit_entry_append_only"]
    else:
        lift, put_back = statements_for("sqlite", upgrade=False), statements_for("sqlite")
    db.session.close()  # an open read transaction would block the DDL's lock
    _run(lift)
    try:
        yield
    finally:
        _run(put_back)
        db.session.expire_all()


def _run(statements) -> None:
    with db.engine.begin() as conn:
        for statement in statements:
            conn.exec_driver_sql(statement)


def rows() -> list[dict]:
    with db.engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(select(TABLE).order_by(TABLE.c.seq))]


def plain_sha256(row: dict) -> str:
    """The chain's hash before keys (SHA-256 of the previous hash and the content): anyone can compute it."""
    return legacy_digest(row)


def rewrite(seq: int, digest, key_id="keep", **changes) -> None:
    """Change entry `seq`, then rehash it and every later entry with `digest` so that the links hold."""
    table, previous = rows(), None
    with trigger_lifted(), db.engine.begin() as conn:
        for row in table:
            if row["seq"] < seq:
                previous = row["entry_hash"]
                continue
            if row["seq"] == seq:
                row.update(changes)
            if key_id != "keep":
                row["key_id"] = key_id
            row["prev_hash"] = previous or "0" * 64
            row["entry_hash"] = previous = digest(row)
            conn.execute(update(TABLE).where(TABLE.c.seq == row["seq"]).values(
                {name: value for name, value in row.items() if name not in ("id", "seq")}))


def hmac_with(secret: bytes):
    return lambda row: keyed_digest(row, secret)


def delete(where: str) -> None:
    with trigger_lifted(), db.engine.begin() as conn:
        conn.exec_driver_sql(f"DELETE FROM audit_entry WHERE {where}")  # nosec B608  # the test's own text
