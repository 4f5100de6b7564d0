"""What the outbox pages list: rows of the sites the staff member may see."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from .. import query_args
from ..extensions import db
from ..patients.models import Patient
from ..staff.access import patients_visible_to
from .models import ATTENTION_STATUSES, MESSAGE_STATUSES, OutboundMessage

ATTENTION = "attention"
FILTERS = ("", ATTENTION) + MESSAGE_STATUSES


@dataclass(frozen=True)
class OutboxFilter:
    status: str = ""
    study_code: str = ""


def parse_filter(args) -> OutboxFilter:
    """`status` (one of FILTERS) and `study_code`; a bad value is a 400 (pro_app.query_args)."""
    return OutboxFilter(query_args.choice(args, "status", FILTERS), query_args.text(args, "study_code"))


def outbox_query(user, flt: OutboxFilter):
    visible = patients_visible_to(user, select(Patient.id))
    query = (select(OutboundMessage).where(OutboundMessage.patient_id.in_(visible))
             .options(joinedload(OutboundMessage.patient), joinedload(OutboundMessage.administration))
             .order_by(OutboundMessage.due_at.desc(), OutboundMessage.id.desc()))
    if flt.status == ATTENTION:
        query = query.where(OutboundMessage.status.in_(ATTENTION_STATUSES))
    elif flt.status:
        query = query.where(OutboundMessage.status == flt.status)
    if flt.study_code:
        query = query.where(OutboundMessage.patient.has(Patient.study_code == flt.study_code))
    return query


def attention_count(user) -> int:
    visible = patients_visible_to(user, select(Patient.id))
    return db.session.scalar(select(db.func.count(OutboundMessage.id)).where(
        OutboundMessage.patient_id.in_(visible), OutboundMessage.status.in_(ATTENTION_STATUSES)))
