"""After AUDIT_KEY has changed: check the trail under every key, then seal it under the new one.

The new key's first entry is this rotation's own; its HMAC covers the hash of the last entry made
with the old key, so from then on even the old key cannot rewrite anything unseen: entries after
it must all carry the new key id (chain.py refuses a retired key id that comes back). An anchor
is written at once.
"""
from __future__ import annotations

import dataclasses

from ..audit.anchors import Anchor, AnchorError, AnchorRefused, anchor_head, latest_anchor
from ..audit.chain import check_chain
from ..audit.keys import keyring
from ..audit.models import AuditEntry
from ..audit.services import record
from ..extensions import db
from .rotation import RotationError


@dataclasses.dataclass(frozen=True)
class AuditRotation:
    old_key_id: str | None
    new_key_id: str
    anchor: Anchor


def seal_with_new_audit_key() -> AuditRotation:
    keys = keyring()
    newest = db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).first()
    old_key_id = newest.key_id if newest else None
    if db.session.scalar(db.select(AuditEntry.id).where(AuditEntry.key_id == keys.current_id).limit(1)):
        raise RotationError(f"key id {keys.current_id!r} has already made entries: set AUDIT_KEY to a new key "
                            f"with a new id, and the old key in AUDIT_PREVIOUS_KEYS")
    _check_trail()
    record("rotate_key", "audit_key", None, old={"key_id": old_key_id}, new={"key_id": keys.current_id})
    db.session.commit()
    try:
        anchor = anchor_head("key rotation")
    except (AnchorError, AnchorRefused) as exc:
        raise RotationError(f"the new key sealed the trail, but no anchor was written: {exc}") from None
    return AuditRotation(old_key_id, keys.current_id, anchor)


def _check_trail() -> None:
    try:
        problem = check_chain(latest_anchor()).problem
    except AnchorError as exc:
        raise RotationError(f"{exc}; nothing was written") from None
    if problem:
        raise RotationError(f"the audit trail does not check out: {problem.message}; nothing was written")
