"""The audit trail as CSV, with each entry's hashes so that it can be matched to the chain.

A text cell a spreadsheet would run as a formula gets a leading apostrophe (CSV injection);
numbers such as -1 are left alone.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from sqlalchemy import Select

from ..extensions import db
from .labels import Labels
from .models import AuditEntry

COLUMNS = ("id", "at_utc", "actor", "actor_type", "actor_id", "actor_role", "action", "entity", "entity_id",
           "patient", "field", "old_value", "new_value", "reason", "prev_hash", "entry_hash")
CHUNK = 1000
# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_lines(query: Select) -> Iterator[str]:
    """Yield the header, then the entries of `query` in chain order, a chunk at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    yield _drain(buffer)
    for chunk in db.session.scalars(query.order_by(AuditEntry.id)).yield_per(CHUNK).partitions():
        labels = Labels(chunk)
        writer.writerows(_row(entry, labels) for entry in chunk)
        yield _drain(buffer)


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def _row(entry: AuditEntry, labels: Labels) -> list:
    values = [entry.id, entry.at.isoformat(), labels.actor(entry), entry.actor_type, entry.actor_id,
              entry.actor_role, entry.action, entry.entity, entry.entity_id, labels.patient(entry), entry.field,
              entry.old_value, entry.new_value, entry.reason, entry.prev_hash, entry.entry_hash]
    return [_defused(v) for v in values]


def _defused(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _is_number(value):
        return "'" + value
    return "" if value is None else value


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True
