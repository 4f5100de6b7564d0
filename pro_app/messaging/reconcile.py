"""Settle rows in the ``unknown`` state: the provider may or may not have the message.

Found (by the hash of the link that attempt carried) → sent, with its sid. Not found → pending
again if still wanted, else cancelled or expired. The provider unreachable → still unknown,
asked again later. Never dropped silently, never resent blindly.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update

from ..extensions import db
from ..privacy import decrypt_phone
from ..questionnaires.links import token_hash
from .backends import ReconcileError, SmsBackend
from .claims import claim, owned
from .eligibility import WINDOW_CLOSED, why_unwanted
from .models import OutboundMessage as Message
from .outcomes import revoke_link
from .preparation import load_messages
from .services import audit_status

ASK_AGAIN_AFTER = timedelta(minutes=5)
# Twilio's list filter is by date sent; allow for a clock a little ahead of the provider's.
LISTING_MARGIN = timedelta(minutes=2)
_LINK_TOKEN = re.compile(r"/q/([A-Za-z0-9_-]+)")

log = logging.getLogger("pro_app.sms")


@dataclass(frozen=True)
class _Lookup:
    message_id: int
    to: str | None
    since: datetime | None
    link_hash: str | None

    def __repr__(self) -> str:
        return f"_Lookup(message_id={self.message_id})"


def reconcile_unknown(backend: SmsBackend, worker: str, now: datetime, lease_until: datetime,
                      limit: int = 50) -> int:
    """One batch; the caller loops. Returns how many rows were claimed for reconciliation."""
    lookups = [_lookup(message) for message in load_messages(claim(worker, now, lease_until, limit, "unknown"))]
    db.session.commit()
    answers = [(lookup, _ask(backend, lookup)) for lookup in lookups]
    for lookup, answer in answers:
        _settle(lookup, answer, worker, now)
    db.session.commit()
    return len(lookups)


def _lookup(message: Message) -> _Lookup:
    try:
        to = decrypt_phone(message.patient.phone_ciphertext) if message.patient.phone_ciphertext else None
    except ValueError:
        to = None
    since = message.attempted_at - LISTING_MARGIN if message.attempted_at else None
    return _Lookup(message.id, to, since, message.link_hash)


def _ask(backend: SmsBackend, lookup: _Lookup) -> str | None | ReconcileError:
    if lookup.link_hash is None or lookup.since is None:
        return None  # no attempt was ever prepared: nothing can have been sent
    if lookup.to is None:
        return ReconcileError("no readable phone number to look the message up with")

    def carries_our_link(body: str) -> bool:
        return any(token_hash(token) == lookup.link_hash for token in _LINK_TOKEN.findall(body))
    try:
        return backend.find_sent_matching(lookup.to, lookup.since, carries_our_link)
    except ReconcileError as exc:
        return exc


def _settle(lookup: _Lookup, answer, worker: str, now: datetime) -> None:
    (message,) = load_messages([lookup.message_id])
    if not (message.status == "claimed" and message.claimed_by == worker):
        return
    if isinstance(answer, ReconcileError):
        _move(message, worker, "unknown", f"provider not reachable: {answer}", now, due_at=now + ASK_AGAIN_AFTER)
    elif answer:
        _move(message, worker, "sent", f"found at the provider as {answer}", now, provider_sid=answer,
              sent_at=message.attempted_at or now, last_error_code=None, last_error=None)
    else:
        _not_sent(message, worker, now)


def _not_sent(message: Message, worker: str, now: datetime) -> None:
    revoke_link(message.id, now)
    reason = why_unwanted(message, now)
    if reason == WINDOW_CLOSED:
        _move(message, worker, "expired", "not found at the provider; window closed", now)
    elif reason:
        _move(message, worker, "cancelled", reason, now, cancel_reason=reason)
    else:
        _move(message, worker, "pending", "not found at the provider; to send again", now, due_at=now)


def _move(message: Message, worker: str, new: str, reason: str, now: datetime, **values) -> None:
    statement = (update(Message).where(Message.id == message.id, owned(worker))
                 .values(status=new, claimed_by=None, claimed_until=None, status_changed_at=now, **values)
                 .execution_options(synchronize_session=False))
    if db.session.execute(statement).rowcount == 1:
        audit_status(message.id, message.patient_id, "unknown", new, reason)
    else:
        log.warning("message %s: reconciliation outcome %s not recorded, the claim was lost", message.id, new)
