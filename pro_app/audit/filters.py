"""Which audit entries a data manager asked for: parsed from the query string, then applied."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask_babel import gettext as _
from sqlalchemy import Select

from .. import query_args
from ..extensions import db
from ..patients.models import Patient, normalise_code
from ..query_args import BadArgument
from ..staff.models import StaffUser
from .models import AuditEntry

MAX_PAGE = 100_000
FilterError = BadArgument  # one filter field is wrong: `field` names it, `message` says why


@dataclass(frozen=True)
class AuditFilter:
    patient_id: int | None = None
    user_id: int | None = None
    since: date | None = None
    until: date | None = None


def parse_filter(args) -> AuditFilter:
    """Read `patient` (study code), `user` (staff id), `since` and `until` (YYYY-MM-DD, UTC)."""
    since = query_args.day(args, "since", _("From"))
    until = query_args.day(args, "until", _("To"))
    if since and until and since > until:
        raise FilterError("until", _("The end date is before the start date."))
    return AuditFilter(_patient_id(query_args.text(args, "patient", label=_("Patient"))), _user_id(args), since,
                       until)


def parse_page(args) -> int:
    try:
        return query_args.integer(args, "page", 1, maximum=MAX_PAGE)
    except BadArgument:
        raise FilterError("page", _("The page must be a whole number from 1 to %(max)d.", max=MAX_PAGE)) from None


def _patient_id(code: str) -> int | None:
    if not code:
        return None
    patient_id = db.session.scalar(db.select(Patient.id).where(db.func.upper(Patient.study_code) ==
                                                               normalise_code(code)))
    if patient_id is None:
        raise FilterError("patient", _("No patient has the study code %(code)s.", code=code))
    return patient_id


def _user_id(args) -> int | None:
    try:
        user_id = query_args.integer(args, "user")
    except BadArgument:
        user_id = 0
    if user_id is not None and db.session.get(StaffUser, user_id) is None:
        raise FilterError("user", _("Choose a staff member from the list."))
    return user_id


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
