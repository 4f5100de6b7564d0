"""Staff accounts: creation and authentication with lockout."""
from __future__ import annotations

from datetime import timedelta

from ..audit.services import Actor, record
from ..db import utcnow
from ..extensions import db
from .auth import hash_password, password_matches
from .errors import N_, FieldError
from .models import ROLES, SITE_BOUND_ROLES, StaffUser

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 10
LANGUAGES = ("fr", "en")


class StaffError(FieldError):
    """A staff account request is invalid; ``field`` names the field and the message says why."""


def check_role_and_site(role: str, site) -> None:
    if role not in ROLES:
        raise StaffError("role", N_("Choose one of the roles: %(roles)s."), roles=", ".join(ROLES))
    if role in SITE_BOUND_ROLES and site is None:
        raise StaffError("site", N_("This role works for one site: choose the site."))


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise StaffError("password", N_("The password must have at least %(count)d characters."),
                         count=MIN_PASSWORD_LENGTH)


def create_staff(email: str, display_name: str, password: str, role: str, site=None, language="fr") -> StaffUser:
    email = email.strip().lower()
    check_role_and_site(role, site)
    check_password(password)
    if language not in LANGUAGES:
        raise StaffError("language", N_("Choose French or English."))
    if db.session.scalar(db.select(StaffUser).filter_by(email=email)):
        raise StaffError("email", N_("An account already exists for this e-mail address."))
    user = StaffUser(email=email, display_name=display_name.strip(), password_hash=hash_password(password),
                     role=role, site=site if role in SITE_BOUND_ROLES else None, language=language)
    db.session.add(user)
    db.session.flush()
    record("create", "staff_user", user.id, new={"email": email, "role": role,
                                                  "site": user.site.code if user.site else None})
    return user


# What a password attempt came to (see `check_attempt`).
ACCEPTED, REFUSED, LOCKED = "accepted", "refused", "locked"


def authenticate(email: str, password: str) -> StaffUser | None:
    """Return the user when the password matches and the account is usable; count failures."""
    user = db.session.scalar(db.select(StaffUser).filter_by(email=email.strip().lower()))
    now = utcnow()
    outcome = check_attempt(user, password, now)
    if user is None:
        record("login_failed", "staff_user", None, reason="unknown e-mail")
        return None
    actor = Actor("staff", user.id, user.role)
    if outcome != ACCEPTED:
        record("login_refused_locked" if outcome == LOCKED else "login_failed", "staff_user", user.id, actor=actor)
        return None
    user.last_login_at = now
    record("login", "staff_user", user.id, actor=actor)
    return user


def check_attempt(user: StaffUser | None, password: str, now) -> str:
    """Check a password against the account's lockout, which sign-in and the MMSE signature share.

    `MAX_FAILED_LOGINS` wrong passwords in a row, on either page, lock the account for
    `LOCKOUT`; a locked account refuses even the right password, after the same hashing work,
    so neither the answer nor its timing tells whether the password was right. The caller
    audits and commits.
    """
    if user is not None and user.locked_until and user.locked_until > now:
        password_matches(None, password)  # same cost as any attempt
        return LOCKED
    if not password_matches(user, password) or not user.is_active:
        if user is not None:
            _count_failure(user, now)
        return REFUSED
    user.failed_logins, user.locked_until = 0, None
    return ACCEPTED


def _count_failure(user: StaffUser, now) -> None:
    # Incremented in SQL, so that attempts sent in parallel are all counted.
    user.failed_logins = StaffUser.failed_logins + 1
    db.session.flush()
    if user.failed_logins >= MAX_FAILED_LOGINS:
        user.locked_until, user.failed_logins = now + LOCKOUT, 0
