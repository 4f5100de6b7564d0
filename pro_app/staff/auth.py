"""Password hashing, login manager, role checks and the audit actor for staff requests."""
from __future__ import annotations

from functools import cache, wraps

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import Flask, abort, g, session
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..audit.services import Actor, set_actor
from ..extensions import login_manager
from .idle import enforce_idle_timeout
from .models import StaffUser
from .sessions import SESSION_KEY, find_user

_hasher = PasswordHasher()


@cache
def _dummy_hash() -> str:
    """Verified against when the e-mail is unknown, so both paths cost the same (no enumeration).
    Made on first use: every process importing the app (CLI commands, dispatchers) would pay it."""
    return _hasher.hash("not-a-real-password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def password_matches(user: StaffUser | None, password: str) -> bool:
    try:
        return _hasher.verify(user.password_hash if user else _dummy_hash(), password) and user is not None
    except (VerificationError, InvalidHashError):
        return False


def configure(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "staff.login"
    login_manager.login_message = _l("Please sign in to continue.")
    login_manager.session_protection = "strong"
    app.before_request(enforce_idle_timeout)
    app.before_request(_set_staff_actor)


@login_manager.user_loader
def _load_user(user_id: str) -> StaffUser | None:
    """The signed-in user, when the cookie's server session is still open (see `sessions`).

    A cookie whose session has ended loses its user id here, so the next requests of that
    browser do not even query.
    """
    key = session.get(SESSION_KEY)
    found = find_user(int(user_id), key) if user_id.isdigit() and isinstance(key, str) else None
    if found is None:
        session.pop("_user_id", None)
        session.pop(SESSION_KEY, None)
        return None
    user, g.staff_session_seen_at = found
    return user


def _set_staff_actor() -> None:
    if current_user.is_authenticated:
        set_actor(Actor("staff", current_user.id, current_user.role))


def roles_required(*roles: str):
    """Allow only signed-in staff with one of these roles (403 otherwise)."""
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)
        return wrapped
    return decorator
