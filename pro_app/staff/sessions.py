"""Staff sessions kept on the server, so that ending a session really ends it.

Flask's session is a signed cookie, valid wherever a copy of it goes. So sign-in also puts a
random key in that cookie (under `SESSION_KEY`); the server keeps only the key's SHA-256 digest,
as the primary key of a `staff_session` row. The user loader accepts a cookie only while its row
is open and was seen lately, in one query joined to the user's own row (which every staff
request loads anyway). Signing out, by hand or when idle, ends the row; a password change or
reset, deactivation and a change of role or site end every row of the account, in the
transaction of the change; so does the administrator's "End all sessions". A cookie replayed
afterwards is anonymous, i.e. the login page.

`last_seen_at` is refreshed at most every `TOUCH_EVERY`, in its own short transaction (a page
view commits nothing), so a browser that was just closed leaves a row that expires: it is
refused once unseen for the idle limit plus a day (the life of a form kept at an idle sign-out),
and deleted, like ended rows, at the next sign-in of anyone.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from flask import current_app

from ..audit.services import record
from ..db import utcnow
from ..extensions import db
from .models import StaffSession, StaffUser

SESSION_KEY = "staff_session"
TOUCH_EVERY = timedelta(minutes=5)
GRACE = timedelta(days=1)


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _seen_after(now: datetime) -> datetime:
    """Rows last seen before this are expired (see the module docstring)."""
    idle = timedelta(minutes=current_app.extensions["pro_app.settings"].idle_logout_minutes)
    return now - idle - GRACE


def open_session(user: StaffUser, replacing: str | None = None) -> str:
    """Start a session for the user; returns the key for the cookie. `replacing`: the key this
    browser held before (another sign-in on the same browser), which ends now."""
    now = utcnow()
    _prune(now)
    if replacing:
        end_session(replacing, "replaced")
    key = secrets.token_urlsafe(32)
    db.session.add(StaffSession(id=digest(key), staff_user_id=user.id, created_at=now, last_seen_at=now))
    db.session.flush()
    return key


def find_user(user_id: int, key: str) -> tuple[StaffUser, datetime] | None:
    """The user of an open, unexpired session, with when the session was last seen."""
    query = (db.select(StaffUser, StaffSession.last_seen_at)
             .join(StaffSession, StaffSession.staff_user_id == StaffUser.id)
             .where(StaffSession.id == digest(key), StaffUser.id == user_id, StaffSession.ended_at.is_(None),
                    StaffSession.last_seen_at >= _seen_after(utcnow())))
    row = db.session.execute(query).first()
    return (row[0], row[1]) if row else None


def touch_if_due(key: str, last_seen_at: datetime) -> None:
    """Note that the session is in use, at most once every `TOUCH_EVERY`, in its own transaction
    (like the rate-limit counters) so that it holds whatever the request does afterwards."""
    now = utcnow()
    if now - last_seen_at < TOUCH_EVERY:
        return
    statement = (db.update(StaffSession).where(StaffSession.id == digest(key), StaffSession.ended_at.is_(None))
                 .values(last_seen_at=now))
    with db.engine.begin() as connection:
        connection.execute(statement)


def end_session(key: str, reason: str) -> bool:
    """End one session (sign-out); False when it was already ended or unknown."""
    statement = (db.update(StaffSession).where(StaffSession.id == digest(key), StaffSession.ended_at.is_(None))
                 .values(ended_at=utcnow(), end_reason=reason))
    return db.session.execute(statement).rowcount > 0


def end_all(user: StaffUser, reason: str) -> int:
    """End every open session of the user, audited; returns how many were open."""
    statement = (db.update(StaffSession)
                 .where(StaffSession.staff_user_id == user.id, StaffSession.ended_at.is_(None))
                 .values(ended_at=utcnow(), end_reason=reason))
    ended = db.session.execute(statement).rowcount
    if ended:
        record("end_sessions", "staff_user", user.id, field="sessions", old=ended, new=0, reason=reason)
    return ended


def open_count(user: StaffUser) -> int:
    query = (db.select(db.func.count()).select_from(StaffSession)
             .where(StaffSession.staff_user_id == user.id, StaffSession.ended_at.is_(None),
                    StaffSession.last_seen_at >= _seen_after(utcnow())))
    return db.session.scalar(query)


def _prune(now: datetime) -> None:
    """Delete ended and expired rows, so the table holds about one row per signed-in browser."""
    db.session.execute(db.delete(StaffSession).where(
        StaffSession.ended_at.is_not(None) | (StaffSession.last_seen_at < _seen_after(now))))
