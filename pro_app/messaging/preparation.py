"""Claim due rows and make them ready to send, in one transaction the caller commits.

Each message to send gets a link minted now (only its hash is stored), its text rendered in the
patient's language, and the number decrypted: the full text and the number live only in memory.
Rows no longer wanted are cancelled, expired or deferred right here, with the reason.
"""
from __future__ import annotations

import secrets
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import DateTime, Integer, String, bindparam, insert, select, update
from sqlalchemy.orm import joinedload

from ..audit.services import record
from ..extensions import db
from ..privacy import decrypt_phone
from ..protocol import ReminderPolicy
from ..questionnaires.links import TOKEN_BYTES, link_url, token_hash, window_utc
from ..questionnaires.models import Administration, PatientLink
from .backends import OutgoingSms, redact_link_tokens
from .bulk import execute_rows, unnested
from .claims import claim
from .eligibility import CANCEL, DEFER, SEND, Verdict, verdict
from .models import OutboundMessage as Message
from .services import audit_status
from .texts import sms_text


@dataclass(frozen=True)
class Prepared:
    message_id: int
    patient_id: int
    attempts: int
    timezone: str
    not_after: datetime
    sms: OutgoingSms
    prepared_at: datetime  # the send was attempted after this moment

    def __repr__(self) -> str:  # never print the number or the token
        return f"Prepared(message_id={self.message_id}, attempts={self.attempts})"


@dataclass
class Batch:
    claimed: int
    lease_until: datetime
    ready: list[Prepared] = field(default_factory=list)
    set_aside: Counter = field(default_factory=Counter)


def prepare_batch(worker: str, now: datetime, lease_until: datetime, limit: int, policy: ReminderPolicy,
                  callback_url: str | None) -> Batch:
    ids = claim(worker, now, lease_until, limit)
    batch, attempts = Batch(len(ids), lease_until), _Attempts()
    for message in load_messages(ids):
        decision = verdict(message, now, policy)
        if decision.action != SEND:
            set_aside(message, decision, now)
            batch.set_aside[decision.action] += 1
            continue
        prepared = _prepare(message, now, callback_url, attempts)
        if prepared is None:
            batch.set_aside["failed"] += 1
        else:
            batch.ready.append(prepared)
    db.session.flush()
    attempts.write()
    return batch


def load_messages(ids: list[int]) -> list[Message]:
    if not ids:
        return []
    statement = (select(Message).where(Message.id.in_(ids)).order_by(Message.id)
                 .options(joinedload(Message.patient),
                          joinedload(Message.administration).joinedload(Administration.visit))
                 .execution_options(populate_existing=True))
    return list(db.session.scalars(statement).unique())


def set_aside(message: Message, decision: Verdict, now: datetime) -> None:
    old, old_due = message.status, message.due_at
    message.claimed_by = message.claimed_until = None
    message.status_changed_at = now
    if decision.action == DEFER:
        message.status, message.due_at = "pending", decision.defer_to
        record("message_deferred", "outbound_message", message.id, field="due_at", old=old_due,
               new=decision.defer_to, reason=decision.reason, patient_id=message.patient_id)
        return
    message.status = "cancelled" if decision.action == CANCEL else "expired"
    message.cancel_reason = decision.reason if decision.action == CANCEL else None
    audit_status(message.id, message.patient_id, old, message.status, decision.reason)


@dataclass
class _Attempts:
    """The batch's new links and attempts, each kind written by one statement at the end:
    ``questionnaires.links.issue_link`` flushes once per link, and ORM attribute changes cost
    the unit of work's bookkeeping per row."""
    links: list[dict] = field(default_factory=list)
    messages: list[dict] = field(default_factory=list)

    def write(self) -> None:
        if not self.messages:
            return
        connection = db.session.connection()
        execute_rows(connection, self.links, _INSERT_LINKS_UNNESTED, insert(PatientLink.__table__))
        execute_rows(connection, self.messages, _RECORD_ATTEMPTS_UNNESTED, _RECORD_ATTEMPT)


_LINK_COLUMNS = {"administration_id": Integer(), "token_hash": String(), "issued_at": DateTime(),
                 "valid_from": DateTime(), "valid_until": DateTime()}
_new_links = unnested("new_link", **_LINK_COLUMNS)
_INSERT_LINKS_UNNESTED = insert(PatientLink.__table__).from_select(list(_LINK_COLUMNS), select(*_new_links.c))

_ATTEMPT_COLUMNS = {"body": String(), "language": String(), "link_hash": String(), "attempted_at": DateTime(),
                    "attempts": Integer()}
_attempt = unnested("attempt", message_id=Integer(), **_ATTEMPT_COLUMNS)
_RECORD_ATTEMPTS_UNNESTED = (update(Message.__table__).where(Message.__table__.c.id == _attempt.c.message_id)
                             .values({name: _attempt.c[name] for name in _ATTEMPT_COLUMNS}))
_RECORD_ATTEMPT = (update(Message.__table__).where(Message.__table__.c.id == bindparam("message_id"))
                   .values({name: bindparam(name) for name in _ATTEMPT_COLUMNS}))


def _mint_link(administration: Administration, now: datetime, attempts: _Attempts) -> str:
    """A link valid for the visit window; only its hash is stored."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    valid_from, valid_until = window_utc(administration.visit)
    attempts.links.append({"administration_id": administration.id, "token_hash": token_hash(token),
                           "issued_at": now, "valid_from": valid_from, "valid_until": valid_until})
    return token


def _prepare(message: Message, now: datetime, callback_url: str | None, attempts: _Attempts) -> Prepared | None:
    patient = message.patient
    try:
        to = decrypt_phone(patient.phone_ciphertext)
    except ValueError as exc:
        message.status, message.claimed_by, message.claimed_until = "failed", None, None
        message.last_error, message.status_changed_at = str(exc), now
        audit_status(message.id, message.patient_id, "claimed", "failed", str(exc))
        return None
    token = _mint_link(message.administration, now, attempts)
    text = sms_text(message.kind, patient.language, link_url(token))
    attempts.messages.append({"message_id": message.id, "body": redact_link_tokens(text),
                              "language": patient.language, "link_hash": token_hash(token), "attempted_at": now,
                              "attempts": message.attempts + 1})
    return Prepared(message.id, message.patient_id, message.attempts + 1, patient.timezone, message.not_after,
                    OutgoingSms(message.id, to, text, callback_url), now)
