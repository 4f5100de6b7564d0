"""The audit trail as CSV, with each entry's hashes so that it can be matched to the chain.

Written through `pro_app.csv_safe`, so that a reason such as "=HYPERLINK(…)" never runs as a
spreadsheet formula.
"""
from __future__ import annotations

import io
from collections.abc import Iterator

from sqlalchemy import Select

from .. import csv_safe
from ..extensions import db
from .labels import Labels
from .models import AuditEntry

COLUMNS = ("id", "at_utc", "actor", "actor_type", "actor_id", "actor_role", "action", "entity", "entity_id",
           "patient", "field", "old_value", "new_value", "reason", "prev_hash", "entry_hash")
CHUNK = 1000


def csv_lines(query: Select) -> Iterator[str]:
    """Yield the header, then the entries of `query` in chain order, a chunk at a time."""
    buffer = io.StringIO()
    writer = csv_safe.writer(buffer, lineterminator="\r\n")
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
    return [entry.id, entry.at.isoformat(), labels.actor(entry), entry.actor_type, entry.actor_id,
            entry.actor_role, entry.action, entry.entity, entry.entity_id, labels.patient(entry), entry.field,
            entry.old_value, entry.new_value, entry.reason, entry.prev_hash, entry.entry_hash]
