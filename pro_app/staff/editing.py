"""Optimistic locking for staff edits: a stale form gets a 409, never a silent overwrite.

Every edit form carries the record's version in a hidden field. A version that no longer
matches means someone saved in between; a save racing with another one is caught by
SQLAlchemy's version counter (``version_id_col``) when the route commits.
"""
from __future__ import annotations

from contextlib import contextmanager

from flask import abort
from flask_babel import gettext as _
from sqlalchemy.orm.exc import StaleDataError

from ..extensions import db


class EditConflict(Exception):
    """The record changed since the form was shown."""


def check_version(posted: str | None, current: int) -> None:
    if str(posted or "") != str(current):
        raise EditConflict()


@contextmanager
def conflicts_as_409(description: str | None = None):
    """Turn a stale version into a kind 409 page; nothing of the request is saved."""
    try:
        yield
    except (EditConflict, StaleDataError):
        db.session.rollback()
        abort(409, description or _("Someone else saved this record while you were editing it. Nothing you "
                                    "entered was saved: open it again to see the current values."))
