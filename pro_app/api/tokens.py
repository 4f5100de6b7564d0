"""API tokens: shown once when minted; only their SHA-256 is stored."""
from __future__ import annotations

import hashlib
import secrets

from ..audit.services import record
from ..extensions import db
from ..staff.models import StaffUser

API_ROLES = ("data_manager", "investigator")
PREFIX = "proapi_"


class TokenError(ValueError):
    """The account cannot hold an API token; the message says why."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def mint_token(user: StaffUser) -> str:
    """A new token for this account, replacing any previous one (caller commits)."""
    if user.role not in API_ROLES:
        raise TokenError(f"{user.email} is a {user.role}: API tokens are for data managers and investigators")
    if not user.is_active_account:
        raise TokenError(f"{user.email} is deactivated")
    token = PREFIX + secrets.token_urlsafe(32)
    had_token = user.api_token_hash is not None
    user.api_token_hash = token_hash(token)
    db.session.flush()
    record("api_token", "staff_user", user.id, field="api_token_hash", old="set" if had_token else None, new="set")
    return token


def revoke_token(user: StaffUser) -> bool:
    if user.api_token_hash is None:
        return False
    user.api_token_hash = None
    db.session.flush()
    record("api_token", "staff_user", user.id, field="api_token_hash", old="set", new=None)
    return True


def user_for_token(token: str) -> StaffUser | None:
    if not token.startswith(PREFIX):
        return None
    return db.session.scalar(db.select(StaffUser).filter_by(api_token_hash=token_hash(token)))
