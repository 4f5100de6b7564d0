"""Staff accounts: creation and authentication with lockout."""
from __future__ import annotations

from datetime import timedelta

from ..audit.services import Actor, record
from ..db import utcnow
from ..extensions import db
from .auth import hash_password, password_matches
from .models import ROLES, SITE_BOUND_ROLES, StaffUser

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)


class StaffError(ValueError):
    """A staff account request is invalid; the message says why."""


def create_staff(email: str, display_name: str, password: str, role: str, site=None, language="fr") -> StaffUser:
    email = email.strip().lower()
    if role not in ROLES:
        raise StaffError(f"role must be one of {', '.join(ROLES)}")
    if role in SITE_BOUND_ROLES and site is None:
        raise StaffError(f"a {role} needs a site")
    if len(password) < 10:
        raise StaffError("the password must have at least 10 characters")
    if db.session.scalar(db.select(StaffUser).filter_by(email=email)):
        raise StaffError(f"an account already exists for {email}")
    user = StaffUser(email=email, display_name=display_name, password_hash=hash_password(password),
                     role=role, site=site, language=language)
    db.session.add(user)
    db.session.flush()
    record("create", "staff_user", user.id, new={"email": email, "role": role,
                                                  "site": site.code if site else None})
    return user


def authenticate(email: str, password: str) -> StaffUser | None:
    """Return the user when the password matches and the account is usable; count failures."""
    user = db.session.scalar(db.select(StaffUser).filter_by(email=email.strip().lower()))
    now = utcnow()
    if user is not None and user.locked_until and user.locked_until > now:
        password_matches(None, password)  # same cost as any attempt
        record("login_refused_locked", "staff_user", user.id, actor=Actor("staff", user.id, user.role))
        return None
    if not password_matches(user, password) or not user.is_active:
        _count_failure(user, now)
        return None
    user.failed_logins, user.locked_until, user.last_login_at = 0, None, now
    record("login", "staff_user", user.id, actor=Actor("staff", user.id, user.role))
    return user


def _count_failure(user: StaffUser | None, now) -> None:
    if user is None:
        record("login_failed", "staff_user", None, reason="unknown e-mail")
        return
    user.failed_logins += 1
    if user.failed_logins >= MAX_FAILED_LOGINS:
        user.locked_until, user.failed_logins = now + LOCKOUT, 0
    record("login_failed", "staff_user", user.id, actor=Actor("staff", user.id, user.role))
