"""Human labels for audit entries: who acted (name and role) and which patient (study code)."""
from __future__ import annotations

from collections.abc import Iterable

from flask_babel import gettext as _

from ..extensions import db
from ..patients.models import Patient
from ..staff.models import StaffUser
from ..templating import role_label
from .models import AuditEntry


class Labels:
    """Names for the staff users and patients a batch of entries refers to, loaded in two queries."""

    def __init__(self, entries: Iterable[AuditEntry]):
        entries = list(entries)
        staff_ids = {e.actor_id for e in entries if e.actor_type == "staff" and e.actor_id is not None}
        patient_ids = {e.patient_id for e in entries if e.patient_id is not None}
        self.staff = {u.id: u for u in _rows(StaffUser, staff_ids)}
        self.codes = {p.id: p.study_code for p in _rows(Patient, patient_ids)}

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


def _rows(model, ids: set[int]):
    if not ids:
        return []
    return db.session.scalars(db.select(model).where(model.id.in_(sorted(ids))))
