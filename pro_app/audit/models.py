from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..db import in_list, utcnow
from ..extensions import db
from .guard import install as install_guard
from .triggers import attach as attach_triggers

ACTOR_TYPES = ("staff", "patient_link", "system")


class AuditEntry(db.Model):
    """Who did what, when; entry `seq` carries the hash of entry `seq - 1` (see chain.py)."""

    __tablename__ = "audit_entry"
    __table_args__ = (CheckConstraint(in_list("actor_type", ACTOR_TYPES), name="actor_type_known"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    # Numbered without gaps under the chain lock (ids may skip on PostgreSQL): a hole is a deletion.
    seq: Mapped[int] = mapped_column(nullable=False, unique=True)
    # The AUDIT_KEY that made entry_hash; NULL for the plain SHA-256 entries written before keys.
    key_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow, index=True)
    actor_type: Mapped[str] = mapped_column(String(20), nullable=False)
    actor_id: Mapped[int | None] = mapped_column(nullable=True)
    actor_role: Mapped[str | None] = mapped_column(String(20), nullable=True)
    action: Mapped[str] = mapped_column(String(40), nullable=False)
    entity: Mapped[str] = mapped_column(String(40), nullable=False)
    entity_id: Mapped[str | None] = mapped_column(String(40), nullable=True)
    patient_id: Mapped[int | None] = mapped_column(nullable=True, index=True)
    field: Mapped[str | None] = mapped_column(String(60), nullable=True)
    old_value: Mapped[str | None] = mapped_column(Text, nullable=True)
    new_value: Mapped[str | None] = mapped_column(Text, nullable=True)
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    prev_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    entry_hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)


attach_triggers(AuditEntry.__table__)
install_guard(AuditEntry)
