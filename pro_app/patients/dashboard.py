"""What a site needs to see today: results to review, visits due, questionnaires overdue, SMS problems, opt-outs."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy.orm import selectinload

from ..extensions import db
from ..messaging.models import ATTENTION_STATUSES, OutboundMessage
from ..questionnaires.models import Administration
from ..reviews.services import ResultToReview, results_to_review
from ..schedule.models import Visit
from ..staff.access import patients_visible_to
from .models import Patient

WEEK = timedelta(days=6)
PROBLEMS_SHOWN_FOR = timedelta(days=30)


@dataclass(frozen=True)
class Dashboard:
    patients: list[Patient]
    to_review: list[ResultToReview]
    due_this_week: list[Visit]
    overdue: list[Administration]
    sms_problems: list[OutboundMessage]
    unreachable: list[tuple[Patient, str]]  # (patient, reason: "opted_out" | "no_consent" | "no_phone")
    visit_codes: tuple[str, ...]


def build_dashboard(user, today: date, visit_codes: tuple[str, ...], site_id: int | None = None) -> Dashboard:
    patients = _patients(user, site_id)
    active = [patient for patient in patients if patient.status == "active"]
    visits = [visit for patient in active for visit in patient.visits]
    return Dashboard(
        patients=patients,
        to_review=results_to_review(_patient_ids(user, site_id)),
        due_this_week=sorted((v for v in visits if _due_this_week(v, today)), key=lambda v: v.window_closes),
        overdue=sorted((a for v in visits for a in v.administrations if _overdue(a, today)),
                       key=lambda a: a.visit.target_date),
        sms_problems=_sms_problems(_patient_ids(user, site_id), today),
        unreachable=[(p, reason) for p in active if (reason := unreachable_reason(p))],
        visit_codes=visit_codes,
    )


def unreachable_reason(patient: Patient) -> str | None:
    """Why an active patient gets no text message, or None when texts can reach them."""
    if patient.sms_opted_out_at is not None:
        return "opted_out"
    if not patient.sms_consent:
        return "no_consent"
    if patient.phone_ciphertext is None:
        return "no_phone"
    return None


def _patient_ids(user, site_id: int | None):
    query = patients_visible_to(user, db.select(Patient.id))
    return query if site_id is None else query.where(Patient.site_id == site_id)


def _patients(user, site_id: int | None) -> list[Patient]:
    query = db.select(Patient).where(Patient.id.in_(_patient_ids(user, site_id))).order_by(Patient.study_code)
    return list(db.session.scalars(query.options(
        selectinload(Patient.site), selectinload(Patient.visits).selectinload(Visit.administrations))))


def _waiting(visit: Visit) -> bool:
    return any(not administration.is_submitted for administration in visit.administrations)


def _due_this_week(visit: Visit, today: date) -> bool:
    return (visit.status in ("upcoming", "open") and visit.window_opens <= today + WEEK
            and visit.window_closes >= today and _waiting(visit))


def _overdue(administration: Administration, today: date) -> bool:
    """Still possible but late: the window is open and its target date has passed."""
    visit = administration.visit
    return visit.status == "open" and visit.target_date < today and not administration.is_submitted


def _sms_problems(patient_ids, today: date) -> list[OutboundMessage]:
    since = datetime.combine(today - PROBLEMS_SHOWN_FOR, time())
    return list(db.session.scalars(
        db.select(OutboundMessage)
        .where(OutboundMessage.patient_id.in_(patient_ids),
               OutboundMessage.status.in_(ATTENTION_STATUSES), OutboundMessage.created_at >= since)
        .order_by(OutboundMessage.due_at.desc())
        .options(selectinload(OutboundMessage.patient))))
