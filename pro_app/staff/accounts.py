"""What an administrator does to accounts: change role and site, deactivate, unlock, reset.

Every change is audited field by field. An administrator cannot deactivate or demote their
own account, so the study never loses its last way into account management by mistake.
A new password, deactivation and a new role or site end every open session of the account in
the same transaction: what a session was allowed to do was decided at its sign-in.
"""
from __future__ import annotations

from ..audit.services import record
from ..extensions import db
from .auth import hash_password
from .errors import N_
from .models import SITE_BOUND_ROLES, StaffUser
from .services import LANGUAGES, StaffError, check_password, check_role_and_site
from .sessions import end_all


def _site_code(site) -> str | None:
    return site.code if site is not None else None


def update_account(user: StaffUser, *, actor: StaffUser, display_name: str, role: str, site,
                   language: str) -> list[str]:
    """Apply the changes; returns the names of the fields that changed."""
    check_role_and_site(role, site)
    if language not in LANGUAGES:
        raise StaffError("language", N_("Choose French or English."))
    if user.id == actor.id and role != user.role:
        raise StaffError("role", N_("You cannot change your own role; ask another administrator."))
    site = site if role in SITE_BOUND_ROLES else None
    changes = {
        "display_name": (user.display_name, display_name.strip()),
        "role": (user.role, role),
        "site": (_site_code(user.site), _site_code(site)),
        "language": (user.language, language),
    }
    changed = [name for name, (old, new) in changes.items() if old != new]
    for name in changed:
        record("update", "staff_user", user.id, field=name, old=changes[name][0], new=changes[name][1])
    user.display_name, user.role, user.site, user.language = display_name.strip(), role, site, language
    if "role" in changed or "site" in changed:
        end_all(user, "role_changed" if "role" in changed else "site_changed")
    db.session.flush()
    return changed


def set_active(user: StaffUser, active: bool, *, actor: StaffUser) -> None:
    if user.id == actor.id and not active:
        raise StaffError("active", N_("You cannot deactivate your own account."))
    if user.is_active_account == active:
        return
    record("activate" if active else "deactivate", "staff_user", user.id, field="is_active_account",
           old=user.is_active_account, new=active)
    user.is_active_account = active
    if not active:
        end_all(user, "deactivated")
    db.session.flush()


def unlock(user: StaffUser) -> None:
    record("unlock", "staff_user", user.id, field="locked_until", old=user.locked_until, new=None)
    user.locked_until, user.failed_logins = None, 0
    db.session.flush()


def reset_password(user: StaffUser, password: str, *, actor: StaffUser) -> None:
    """Set a new password; every session of the account ends (the caller signs an administrator
    who changed their own password in again, so only their other browsers are signed out)."""
    check_password(password)
    user.password_hash = hash_password(password)
    user.locked_until, user.failed_logins = None, 0
    record("reset_password", "staff_user", user.id, field="password_hash")
    end_all(user, "password_changed" if user.id == actor.id else "password_reset")
    db.session.flush()
