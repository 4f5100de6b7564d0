"""Record what the provider answered, in the transaction after the sends.

Every update is conditional on this dispatcher still holding the row, so a row another process
has taken over is never overwritten; a sid is the one exception, recorded even on a row already
marked unknown, because it settles that row.
"""
from __future__ import annotations

import logging
from collections import Counter
from datetime import datetime, timedelta

from sqlalchemy import Integer, String, bindparam, update

from ..extensions import db
from ..patients.models import Patient
from ..protocol import ReminderPolicy
from ..questionnaires.models import PatientLink
from ..schedule.calendar import next_allowed_send_time
from .audit_batch import StatusChange, audit_changes
from .backends import RETRY, SENT, UNKNOWN, SendOutcome
from .bulk import execute_rows, unnested
from .claims import owned
from .consent import STALE, record_opt_out
from .models import OutboundMessage as Message
from .preparation import Prepared
from .services import audit_status

RELEASED = "released"  # not sent: the lease was too close to its end to start a send
LOST = "lost_claim"
MAX_ATTEMPTS = 8
RECONCILE_AFTER = timedelta(minutes=2)
RELEASE_DELAY = timedelta(seconds=30)

log = logging.getLogger("pro_app.sms")


def record_outcomes(results: list[tuple[Prepared, SendOutcome]], worker: str, now: datetime,
                    policy: ReminderPolicy) -> Counter:
    sent = [(prepared, outcome.provider_sid) for prepared, outcome in results if outcome.status == SENT]
    all_sent_recorded = bool(sent) and _all_sent(sent, worker, now)
    counts = Counter({SENT: len(sent)} if all_sent_recorded else {})
    for prepared, outcome in results:
        if not (outcome.status == SENT and all_sent_recorded):
            counts[_record(prepared, outcome, worker, now, policy)] += 1
    db.session.flush()
    return counts


def _all_sent(sent: list[tuple[Prepared, str]], worker: str, now: datetime) -> bool:
    """The usual case in one statement; False (and nothing changed) if any row was taken over."""
    savepoint = db.session.begin_nested()
    if _mark_sent(sent, worker, now) != len(sent):
        savepoint.rollback()
        return False
    savepoint.commit()
    audit_changes([StatusChange(prepared.message_id, prepared.patient_id, "claimed", "sent", f"provider sid {sid}")
                   for prepared, sid in sent])
    return True


def _mark_sent(sent: list[tuple[Prepared, str]], worker: str, now: datetime) -> int:
    """How many of the rows this dispatcher still held are now sent."""
    done = {"status": "sent", "sent_at": now, "claimed_by": None, "claimed_until": None, "status_changed_at": now,
            "last_error_code": None, "last_error": None}
    accepted = unnested("accepted", message_id=Integer(), sid=String())
    unnesting = (update(Message).where(Message.id == accepted.c.message_id, owned(worker))
                 .values(provider_sid=accepted.c.sid, **done))
    one_per_row = (update(Message).where(Message.id == bindparam("message_id"), owned(worker))
                   .values(provider_sid=bindparam("sid"), **done))
    rows = [{"message_id": prepared.message_id, "sid": sid} for prepared, sid in sent]
    return execute_rows(db.session.connection(), rows, unnesting, one_per_row).rowcount


def _record(prepared: Prepared, outcome: SendOutcome, worker: str, now: datetime, policy: ReminderPolicy) -> str:
    if outcome.status == SENT:
        return _sent(prepared, outcome.provider_sid, worker, now)
    if outcome.status == UNKNOWN:
        return _change(prepared, worker, "unknown", outcome.error_message, now, due_at=now + RECONCILE_AFTER,
                       last_error_code=outcome.error_code, last_error=outcome.error_message)
    revoke_link(prepared.message_id, now)
    if outcome.status == RELEASED:
        recorded = _change(prepared, worker, "pending", "lease too short to send", now,
                           due_at=now + RELEASE_DELAY, attempts=prepared.attempts - 1)
        return RELEASED if recorded != LOST else LOST
    if outcome.status == RETRY:
        return _retry(prepared, outcome, worker, now, policy)
    return _failed(prepared, outcome, worker, now)


def _sent(prepared: Prepared, sid: str, worker: str, now: datetime) -> str:
    statement = (update(Message).where(Message.id == prepared.message_id, owned(worker) | (Message.status == "unknown"))
                 .values(status="sent", provider_sid=sid, sent_at=now, claimed_by=None, claimed_until=None,
                         status_changed_at=now, last_error_code=None, last_error=None))
    if db.session.execute(statement).rowcount != 1:
        log.warning("message %s sent as %s but taken over meanwhile; reconciliation will settle it",
                    prepared.message_id, sid)
        return LOST
    audit_status(prepared.message_id, prepared.patient_id, "claimed", "sent", f"provider sid {sid}")
    return SENT


def _retry(prepared: Prepared, outcome: SendOutcome, worker: str, now: datetime, policy: ReminderPolicy) -> str:
    error = {"last_error_code": outcome.error_code, "last_error": outcome.error_message}
    if prepared.attempts >= MAX_ATTEMPTS:
        return _change(prepared, worker, "failed", f"gave up after {prepared.attempts} attempts", now, **error)
    backoff = timedelta(seconds=min(60 * 2 ** (prepared.attempts - 1), 3600))
    due = next_allowed_send_time(now + backoff, policy, prepared.timezone, prepared.not_after)
    if due is None:
        return _change(prepared, worker, "expired", "window closed before a retry", now, **error)
    recorded = _change(prepared, worker, "pending", f"retry: {outcome.error_code or outcome.error_message}", now,
                       due_at=due, **error)
    return RETRY if recorded != LOST else LOST


def _failed(prepared: Prepared, outcome: SendOutcome, worker: str, now: datetime) -> str:
    result = _change(prepared, worker, "failed", f"provider error {outcome.error_code}", now,
                     last_error_code=outcome.error_code, last_error=outcome.error_message)
    if outcome.opted_out and result != LOST:
        # Twilio's answer holds as of the send: a START received since then is newer and stands.
        if record_opt_out(db.session.get(Patient, prepared.patient_id), "provider reports an unsubscribed recipient",
                          now, as_of=prepared.prepared_at) == STALE:
            log.info("message %s: the provider refused an unsubscribed recipient, but the patient opted in after "
                     "the send; the opt-in stands", prepared.message_id)
    return result


def _change(prepared: Prepared, worker: str, new: str, reason: str | None, now: datetime, **values) -> str:
    statement = (update(Message).where(Message.id == prepared.message_id, owned(worker))
                 .values(status=new, claimed_by=None, claimed_until=None, status_changed_at=now, **values))
    if db.session.execute(statement).rowcount != 1:
        log.warning("message %s: outcome %s not recorded, the claim was lost", prepared.message_id, new)
        return LOST
    audit_status(prepared.message_id, prepared.patient_id, "claimed", new, reason)
    return new


def revoke_link(message_id: int, now: datetime) -> None:
    """The link of an attempt that certainly did not reach the patient is of no use to anyone."""
    link_hash = db.session.scalar(db.select(Message.link_hash).where(Message.id == message_id))
    if link_hash:
        db.session.execute(update(PatientLink).where(PatientLink.token_hash == link_hash,
                                                     PatientLink.revoked_at.is_(None))
                           .values(revoked_at=now, revoke_reason="not_sent"))
