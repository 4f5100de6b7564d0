"""Human labels for audit entries: who acted (name and role), which patient, which record.

Everything a page of entries refers to is loaded in bulk: one query per kind of record.
"""
from __future__ import annotations

from collections.abc import Iterable

from flask_babel import gettext as _

from ..extensions import db
from ..messaging.models import OutboundMessage
from ..patients.labels import INSTRUMENT, message_kind_label, visit_label
from ..patients.models import Patient
from ..questionnaires.models import Administration, InstrumentPack
from ..schedule.models import Visit
from ..staff.models import StaffUser
from ..templating import role_label
from .models import AuditEntry
from .presentation import entity_label

SEPARATOR = " · "


class Labels:
    """Names for the staff users, patients and records a batch of entries refers to."""

    def __init__(self, entries: Iterable[AuditEntry]):
        entries = list(entries)
        staff_ids = {e.actor_id for e in entries if e.actor_type == "staff" and e.actor_id is not None}
        staff_ids |= _ids(entries, "staff_user")
        patient_ids = {e.patient_id for e in entries if e.patient_id is not None} | _ids(entries, "patient")
        self.staff = {u.id: u for u in _rows(StaffUser, staff_ids)}
        self.codes = {p.id: p.study_code for p in _rows(Patient, patient_ids)}
        self.names = {
            "administration": _administrations(_ids(entries, "administration")),
            "visit": _visits(_ids(entries, "visit")),
            "outbound_message": _messages(_ids(entries, "outbound_message")),
            "instrument_pack": {p.id: f"{p.name} {p.version}" for p in _rows(InstrumentPack,
                                                                            _ids(entries, "instrument_pack"))},
            "staff_user": {i: u.display_name for i, u in self.staff.items()},
            "patient": self.codes,
        }

    def actor(self, entry: AuditEntry) -> str:
        if entry.actor_type == "patient_link":
            return _("patient via link (administration %(id)s)", id=entry.actor_id)
        if entry.actor_type == "system":
            return _("system")
        user = self.staff.get(entry.actor_id)
        name = user.display_name if user else _("staff account %(id)s", id=entry.actor_id)
        # The role at the time of the entry, not the account's current one.
        return _("%(name)s (%(role)s)", name=name, role=role_label(entry.actor_role or ""))

    def patient(self, entry: AuditEntry) -> str:
        return self.codes.get(entry.patient_id, "") if entry.patient_id is not None else ""

    def record(self, entry: AuditEntry) -> str:
        """The record as a person names it; an unknown or deleted one as "<kind> #id"."""
        kind = entity_label(entry.entity)
        if entry.entity_id is None:
            return kind
        key = int(entry.entity_id) if entry.entity_id.isdigit() else entry.entity_id
        parts = self.names.get(entry.entity, {}).get(key)
        if parts is None:
            return _("%(kind)s #%(id)s", kind=kind, id=entry.entity_id)
        name = parts if isinstance(parts, str) else SEPARATOR.join(str(p) for p in parts)
        return _("%(kind)s: %(name)s", kind=kind, name=name)


def _ids(entries: list[AuditEntry], kind: str) -> set[int]:
    return {int(e.entity_id) for e in entries if e.entity == kind and e.entity_id and e.entity_id.isdigit()}


def _rows(model, ids: set[int]):
    if not ids:
        return []
    return db.session.scalars(db.select(model).where(model.id.in_(sorted(ids))))


def _administrations(ids: set[int]) -> dict:
    if not ids:
        return {}
    rows = db.session.execute(db.select(Administration.id, Patient.study_code, Visit.code, Administration.instrument)
                              .join(Visit, Administration.visit_id == Visit.id)
                              .join(Patient, Visit.patient_id == Patient.id)
                              .where(Administration.id.in_(sorted(ids))))
    return {i: (code, visit_label(visit), INSTRUMENT.get(instrument, instrument))
            for i, code, visit, instrument in rows}


def _visits(ids: set[int]) -> dict:
    if not ids:
        return {}
    rows = db.session.execute(db.select(Visit.id, Patient.study_code, Visit.code)
                              .join(Patient, Visit.patient_id == Patient.id).where(Visit.id.in_(sorted(ids))))
    return {i: (code, visit_label(visit)) for i, code, visit in rows}


def _messages(ids: set[int]) -> dict:
    if not ids:
        return {}
    rows = db.session.execute(db.select(OutboundMessage.id, Patient.study_code, OutboundMessage.kind)
                              .join(Patient, OutboundMessage.patient_id == Patient.id)
                              .where(OutboundMessage.id.in_(sorted(ids))))
    return {i: (code, message_kind_label(kind)) for i, code, kind in rows}
