"""Which audit entries a data manager asked for: parsed from the query string, then applied."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask_babel import gettext as _
from sqlalchemy import Select

from ..extensions import db
from ..patients.models import Patient
from ..staff.models import StaffUser
from .models import AuditEntry

MAX_PAGE = 100_000
# Far enough from date.min/max that the day-after arithmetic never overflows.
EARLIEST, LATEST = date(1900, 1, 1), date(9000, 12, 31)


class FilterError(ValueError):
    """One filter field is wrong; `field` names it and the message says why."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class AuditFilter:
    patient_id: int | None = None
    user_id: int | None = None
    since: date | None = None
    until: date | None = None


def parse_filter(args) -> AuditFilter:
    """Read `patient` (study code), `user` (staff id), `since` and `until` (YYYY-MM-DD, UTC)."""
    since = _date(args, "since", _("From"))
    until = _date(args, "until", _("To"))
    if since and until and since > until:
        raise FilterError("until", _("The end date is before the start date."))
    return AuditFilter(_patient_id(args.get("patient", "").strip()), _user_id(args.get("user", "").strip()),
                       since, until)


def parse_page(args) -> int:
    raw = args.get("page", "1").strip()
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE:
        raise FilterError("page", _("The page must be a whole number from 1 to %(max)d.", max=MAX_PAGE))
    return int(raw)


def _date(args, name: str, label: str) -> date | None:
    raw = args.get(name, "").strip()
    if not raw:
        return None
    try:
        parsed = datetime.strptime(raw, "%Y-%m-%d").date()
    except ValueError:
        parsed = None
    if parsed is None or not EARLIEST <= parsed <= LATEST:
        raise FilterError(name, _("%(field)s: enter a date as YYYY-MM-DD, for example 2025-03-31.",
                                  field=label))
    return parsed


def _patient_id(code: str) -> int | None:
    if not code:
        return None
    patient_id = db.session.scalar(db.select(Patient.id).filter_by(study_code=code[:40]))
    if patient_id is None:
        raise FilterError("patient", _("No patient has the study code %(code)s.", code=code[:40]))
    return patient_id


def _user_id(raw: str) -> int | None:
    if not raw:
        return None
    if not raw.isdigit() or db.session.get(StaffUser, int(raw)) is None:
        raise FilterError("user", _("Choose a staff member from the list."))
    return int(raw)


def filtered(query: Select, flt: AuditFilter) -> Select:
    if flt.patient_id is not None:
        query = query.where(AuditEntry.patient_id == flt.patient_id)
    if flt.user_id is not None:
        query = query.where(AuditEntry.actor_type == "staff", AuditEntry.actor_id == flt.user_id)
    if flt.since:
        query = query.where(AuditEntry.at >= datetime.combine(flt.since, time.min))
    if flt.until:
        query = query.where(AuditEntry.at < datetime.combine(flt.until + timedelta(days=1), time.min))
    return query


def staff_choices() -> list[StaffUser]:
    return list(db.session.scalars(db.select(StaffUser).order_by(StaffUser.display_name, StaffUser.id)))
