"""Texts patients send back: each Twilio MessageSid applied once, in the order they reach us.

Twilio signs a request but not its time, so a captured request stays valid for ever. What makes
its replay harmless is the sid, recorded in the same transaction as the change the text made: a
second delivery of a sid (Twilio retrying, or a replay) is acknowledged and changes nothing.
Twilio sends no time with a text either, so keywords apply in the order they arrive, each as
the patient's newest word; a change resting on older information (a staff page shown before,
a send refused before) is not applied over it (see consent.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.dialects import postgresql, sqlite

from ..audit.services import record
from ..db import utcnow
from ..extensions import db
from ..patients.models import Patient
from ..privacy import phone_lookup_hash
from .consent import record_opt_in, record_opt_out
from .keywords import HELP, OPT_IN, OPT_OUT, keyword
from .models import InboundMessage

# With Advanced Opt-Out, Twilio names the keyword it matched (and acted on: the number is blocked
# or unblocked at Twilio), including keywords the operator added there; that decides first.
TWILIO_OPT_OUT_TYPES = {"STOP": OPT_OUT, "START": OPT_IN, "HELP": HELP}


@dataclass(frozen=True)
class Inbound:
    duplicate: bool
    action: str | None = None
    patients: int = 0


def apply_inbound(sid: str, sender: str | None, body: str | None, opt_out_type: str | None = None,
                  now: datetime | None = None) -> Inbound:
    """Record the keyword on every patient with this number, unless this sid was applied before."""
    now = now or utcnow()
    action = TWILIO_OPT_OUT_TYPES.get((opt_out_type or "").upper()) or keyword(body)
    if not _first_delivery(sid, action, now):
        return Inbound(duplicate=True)
    if not sender or action is None:
        return Inbound(False, action)
    patients = db.session.scalars(db.select(Patient).filter_by(phone_lookup=phone_lookup_hash(sender))).all()
    for patient in patients:
        if action == OPT_OUT:
            record_opt_out(patient, "sms_keyword", now)
        elif action == OPT_IN:
            record_opt_in(patient, "sms_keyword", now)
        else:
            record("sms_help_request", "patient", patient.id, reason="SMS keyword", patient_id=patient.id)
    return Inbound(False, action, len(patients))


def _first_delivery(sid: str, action: str | None, now: datetime) -> bool:
    """Record the sid; False if it was recorded before. A concurrent twin waits for this one's commit."""
    insert = postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert
    statement = (insert(InboundMessage).values(message_sid=sid, received_at=now, action=action)
                 .on_conflict_do_nothing(index_elements=["message_sid"]).returning(InboundMessage.id))
    return db.session.scalar(statement) is not None
