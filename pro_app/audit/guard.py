"""The application's own refusal to change an audit entry, whatever the database."""
from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.orm import Session


class AuditTrailIsAppendOnly(RuntimeError):
    """Raised when code tries to modify or delete an audit entry."""


def install(model) -> None:
    def refuse_changes(session: Session, _context, _instances) -> None:
        for entry in session.deleted:
            if isinstance(entry, model):
                raise AuditTrailIsAppendOnly(f"audit entry {entry.id} cannot be deleted")
        for entry in session.dirty:
            if isinstance(entry, model) and session.is_modified(entry):
                raise AuditTrailIsAppendOnly(f"audit entry {entry.id} cannot be modified")

    event.listen(Session, "before_flush", refuse_changes)
