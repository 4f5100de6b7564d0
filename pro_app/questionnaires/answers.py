"""The stored answers of an administration: read them, and write them safely under concurrency.

Both statements are built once per process and run on the table, not through the ORM: every
page a patient opens or saves runs them, and nothing here needs ORM objects.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Insert, ScalarSelect, Select, String, bindparam, cast, func, select
from sqlalchemy.dialects import postgresql, sqlite

from ..db import utcnow
from ..extensions import db
from .models import ItemAnswer

ANSWERED, SKIPPED = "answered", "skipped"
_ANSWERS = ItemAnswer.__table__
_UPDATED_ON_CONFLICT = ("state", "value", "text_value", "na_reason", "saved_at")


@dataclass(frozen=True)
class Saved:
    state: str
    value: int | None


def saved_answers(administration_id: int) -> dict[str, Saved]:
    rows = db.session.connection().execute(_saved_answers_query(), {"administration_id": administration_id})
    return {code: Saved(state, value) for code, state, value in rows}


def answers_in_one_column(administration_id: ColumnElement[int]) -> ScalarSelect:
    """The saved answers as one text column ("q1:answered:2,q2:skipped:"), for a query that reads them
    together with something else in one round trip; `parse_answers_column` reads it back."""
    columns = _ANSWERS.c
    entry = columns.item_code + ":" + columns.state + ":" + func.coalesce(cast(columns.value, String), "")
    return (select(func.aggregate_strings(entry, ","))
            .where(columns.administration_id == administration_id).scalar_subquery())


def parse_answers_column(text: str | None) -> dict[str, Saved]:
    saved = {}
    for entry in text.split(",") if text else ():
        code, state, value = entry.split(":")
        saved[code] = Saved(state, int(value) if value else None)
    return saved


def upsert_answers(administration_id: int, answers: dict[str, Saved]) -> None:
    """INSERT ... ON CONFLICT DO UPDATE (SQLite and PostgreSQL): safe against a concurrent first save."""
    now = utcnow()
    rows = [{"administration_id": administration_id, "item_code": code, "state": saved.state,
             "value": saved.value, "text_value": None, "na_reason": None, "saved_at": now}
            for code, saved in answers.items()]
    connection = db.session.connection()
    connection.execute(_upsert(connection.dialect.name), rows)


@functools.cache
def _saved_answers_query() -> Select:
    columns = _ANSWERS.c
    return (select(columns.item_code, columns.state, columns.value)
            .where(columns.administration_id == bindparam("administration_id")))


@functools.cache
def _upsert(dialect: str) -> Insert:
    statement = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(_ANSWERS)
    return statement.on_conflict_do_update(
        index_elements=["administration_id", "item_code"],
        set_={column: statement.excluded[column] for column in _UPDATED_ON_CONFLICT})
