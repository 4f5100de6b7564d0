"""What Twilio tells us after the send: delivery statuses, and keywords patients text back."""
from __future__ import annotations

import unicodedata
from datetime import datetime

from sqlalchemy import update

from ..audit.services import record
from ..db import utcnow
from ..extensions import db
from ..patients.models import Patient
from ..privacy import phone_lookup_hash
from .consent import record_opt_in, record_opt_out
from .models import OutboundMessage as Message
from .services import audit_status

# Statuses a callback can move a "sent" row to; queued/accepted/sending tell nothing new.
CALLBACK_STATUSES = ("sent", "delivered", "undelivered", "failed")
TERMINAL = ("delivered", "undelivered", "failed")
# Twilio's standard keywords, and their French counterparts.
OPT_OUT_WORDS = {"STOP", "ARRET", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"}
OPT_IN_WORDS = {"START", "UNSTOP"}
HELP_WORDS = {"HELP", "AIDE", "INFO"}


def apply_status(sid: str, status: str, error_code: str | None, now: datetime | None = None) -> bool:
    """Move a sent message to what the provider reports; a terminal status is never changed."""
    if status not in TERMINAL or not sid:
        return False
    values = {"status": status, "status_changed_at": now or utcnow()}
    if status != "delivered":
        values.update(last_error_code=(error_code or None), last_error=f"delivery {status}")
    statement = (update(Message).where(Message.provider_sid == sid, Message.status == "sent").values(**values)
                 .returning(Message.id, Message.patient_id).execution_options(synchronize_session=False))
    row = db.session.execute(statement).first()
    if row is None:
        return False
    audit_status(row.id, row.patient_id, "sent", status, f"provider callback {error_code or ''}".strip())
    return True


def keyword(body: str | None) -> str | None:
    """opt_out, opt_in or help, from what the patient texted (any case, accents ignored)."""
    words = _plain(body or "").split()
    if not words:
        return None
    first = words[0].strip(".,;:!?")
    if first in OPT_OUT_WORDS:
        return "opt_out"  # a stop is honoured however it goes on ("Stop merci")
    if first in OPT_IN_WORDS and len(words) == 1:
        return "opt_in"
    return "help" if first in HELP_WORDS else None


def apply_inbound(sender: str | None, body: str | None, now: datetime | None = None) -> int:
    """Record the keyword on every patient with this number; returns how many were found."""
    action = keyword(body)
    if not sender or action is None:
        return 0
    patients = db.session.scalars(db.select(Patient).filter_by(phone_lookup=phone_lookup_hash(sender))).all()
    for patient in patients:
        if action == "opt_out":
            record_opt_out(patient, "sms_keyword", now)
        elif action == "opt_in":
            record_opt_in(patient, "sms_keyword", now)
        else:
            record("sms_help_request", "patient", patient.id, reason="SMS keyword", patient_id=patient.id)
    return len(patients)


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.upper())
    return "".join(c for c in decomposed if not unicodedata.combining(c))
