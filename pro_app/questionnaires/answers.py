"""The stored answers of an administration: read them, and write them safely under concurrency."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.dialects import postgresql, sqlite

from ..db import utcnow
from ..extensions import db
from .models import ItemAnswer

ANSWERED, SKIPPED = "answered", "skipped"


@dataclass(frozen=True)
class Saved:
    state: str
    value: int | None


def saved_answers(administration_id: int) -> dict[str, Saved]:
    rows = db.session.execute(db.select(ItemAnswer.item_code, ItemAnswer.state, ItemAnswer.value)
                              .filter_by(administration_id=administration_id))
    return {code: Saved(state, value) for code, state, value in rows}


def upsert_answers(administration_id: int, answers: dict[str, Saved]) -> None:
    """INSERT ... ON CONFLICT DO UPDATE (SQLite and PostgreSQL): safe against a concurrent first save."""
    insert = postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert
    now = utcnow()
    statement = insert(ItemAnswer).values([
        {"administration_id": administration_id, "item_code": code, "state": saved.state,
         "value": saved.value, "text_value": None, "na_reason": None, "saved_at": now} for code, saved in answers.items()])
    db.session.execute(statement.on_conflict_do_update(
        index_elements=["administration_id", "item_code"],
        set_={column: statement.excluded[column]
              for column in ("state", "value", "text_value", "na_reason", "saved_at")}))
