"""Signing this browser in and out: Flask-Login's cookie plus the server session that ends it."""
from __future__ import annotations

from flask import session
from flask_login import login_user, logout_user

from .models import StaffUser
from .sessions import SESSION_KEY, end_session, open_session


def sign_in(user: StaffUser) -> None:
    """Open a server session for the user in this browser (the caller commits); a session this
    browser held before, for whoever, ends."""
    key = open_session(user, replacing=session.get(SESSION_KEY))
    login_user(user)
    session[SESSION_KEY] = key


def sign_out(reason: str) -> None:
    """End this browser's server session (the caller commits) and forget the user in the cookie."""
    key = session.pop(SESSION_KEY, None)
    if isinstance(key, str):
        end_session(key, reason)
    logout_user()
