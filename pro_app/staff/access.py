"""Who may see and change what: roles decide the action, sites decide the patients.

A patient of another site answers 404, exactly like a patient that does not exist, so a
guessed id or study code tells nothing about other sites.

| Role          | Patients                 | Changes (registration, corrections, MMSE) | Accounts |
|---------------|--------------------------|-------------------------------------------|----------|
| nurse / CRA   | own site                 | yes                                       | no       |
| investigator  | own site                 | yes                                       | no       |
| data manager  | all sites, read only     | no                                        | no       |
| administrator | none (accounts, settings)| no                                        | yes      |
"""
from __future__ import annotations

from flask import abort
from flask_login import current_user

from ..extensions import db
from ..patients.models import Patient, normalise_code
from ..questionnaires.models import Administration
from ..schedule.models import Visit
from ..study.models import Site

READ_PATIENTS = ("nurse", "investigator", "data_manager")
CHANGE_PATIENTS = ("nurse", "investigator")
MANAGE_ACCOUNTS = ("admin",)


def visible_site_ids(user) -> list[int] | None:
    """The sites whose patients the user may see; None means every site."""
    if user.role not in READ_PATIENTS:
        return []
    return None if user.sees_all_sites else [user.site_id]


def visible_sites(user) -> list[Site]:
    query = db.select(Site).order_by(Site.code)
    site_ids = visible_site_ids(user)
    if site_ids is not None:
        query = query.where(Site.id.in_(site_ids))
    return list(db.session.scalars(query))


def patients_visible_to(user, query=None):
    """Restrict a query on Patient (default: every patient) to the user's sites."""
    query = db.select(Patient) if query is None else query
    site_ids = visible_site_ids(user)
    return query if site_ids is None else query.where(Patient.site_id.in_(site_ids))


def may_change_patients(user) -> bool:
    return user.is_authenticated and user.role in CHANGE_PATIENTS


def require_patient_access(patient_id: int, user=None) -> Patient:
    """The patient, or 404 when it does not exist or belongs to a site the user cannot see."""
    user = user or current_user
    patient = db.session.scalar(patients_visible_to(user).where(Patient.id == patient_id))
    if patient is None:
        abort(404)
    return patient


def patient_by_code(study_code: str, user=None) -> Patient | None:
    """The patient of that code (any case, spaces and dash forms) when the user may see it, else None."""
    code = normalise_code(study_code)
    if not code:
        return None
    return db.session.scalar(patients_visible_to(user or current_user)
                             .where(db.func.upper(Patient.study_code) == code))


def require_patient_by_code(study_code: str, user=None) -> Patient:
    patient = patient_by_code(study_code, user)
    if patient is None:
        abort(404)
    return patient


def require_administration_access(administration_id: int, instrument: str | None = None,
                                  user=None) -> Administration:
    """The administration when its patient is visible to the user (and of that instrument), else 404."""
    administration = db.session.get(Administration, administration_id)
    if administration is None or (instrument and administration.instrument != instrument):
        abort(404)
    require_patient_access(administration.visit.patient_id, user)
    return administration


def require_visit_access(visit_id: int, user=None) -> Visit:
    """The visit when its patient is visible to the user, else 404."""
    visit = db.session.get(Visit, visit_id)
    if visit is None:
        abort(404)
    require_patient_access(visit.patient_id, user)
    return visit
