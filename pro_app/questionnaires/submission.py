"""Submitting a questionnaire: once, whatever the number of taps, tabs or resends.

The conditional UPDATE ``... WHERE status = 'in_progress'`` is the gate: only the request
that moves the row to ``submitted`` stores the skipped items, scores, cancels the pending
reminders, revokes the links and writes the audit entries, all in the caller's transaction.
Every other request finds the status already moved and changes nothing.
"""
from __future__ import annotations

from sqlalchemy import update

from ..audit.services import record
from ..db import utcnow
from ..extensions import db
from ..instruments import qlq_c30 as structure
from ..messaging.models import OutboundMessage
from .answers import ANSWERED, SKIPPED, Saved, saved_answers, upsert_answers
from .links import revoke_links
from .models import Administration
from .scoring import score_and_store
from .services import claim

COMPLETED = "completed"


def submit(administration: Administration) -> bool:
    """in_progress → submitted; True only for the one request that submitted it."""
    now = utcnow()
    if not claim(administration, "in_progress", status="submitted", submitted_at=now, last_saved_at=now):
        return False
    saved = saved_answers(administration.id)
    skipped = _store_missing_as_skipped(administration, saved)
    db.session.expire(administration, ["answers", "scores"])  # written above without the ORM
    score_and_store(administration, {code: answer.value for code, answer in saved.items() if answer.state == ANSWERED})
    cancelled = cancel_pending_messages(administration, now)
    revoked = revoke_links(administration, COMPLETED)
    record("submit", "administration", administration.id, field="status", old="in_progress", new="submitted",
           reason=f"{len(skipped)} item(s) without an answer, {cancelled} reminder(s) cancelled, "
                  f"{revoked} link(s) revoked", patient_id=administration.visit.patient_id)
    return True


def _store_missing_as_skipped(administration: Administration, saved: dict[str, Saved]) -> list[str]:
    """Items never reached are stored as explicit missing values, like the ones skipped on purpose."""
    missing = [item.id for item in structure.ITEMS if item.id not in saved]
    if missing:
        upsert_answers(administration.id, {code: Saved(SKIPPED, None) for code in missing})
        record("save_answers", "administration", administration.id, field="not reached",
               new={code: SKIPPED for code in missing}, patient_id=administration.visit.patient_id)
    return missing


def cancel_pending_messages(administration: Administration, now) -> int:
    result = db.session.execute(
        update(OutboundMessage)
        .where(OutboundMessage.administration_id == administration.id, OutboundMessage.status == "pending")
        .values(status="cancelled", cancel_reason=COMPLETED, status_changed_at=now)
        .execution_options(synchronize_session=False))
    return result.rowcount
