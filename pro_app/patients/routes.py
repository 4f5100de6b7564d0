"""Staff pages for patients: dashboard, registration, one patient's record.

Every view goes through `staff.access`: a patient of another site answers 404 whether it is
asked for by URL or by form. Changes (`changes.py`) are for nurses and investigators only.
"""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import query_args
from ..extensions import db
from ..messaging.labels import patient_time
from ..mmse.services import start_problem as mmse_start_problem
from ..reviews.services import results_to_review, reviews_of_patient
from ..schedule.transitions import not_done_refusal
from ..staff.access import (CHANGE_PATIENTS, READ_PATIENTS, may_change_patients, patient_by_code,
                            require_patient_access, visible_sites)
from ..staff.auth import roles_required
from ..staff.errors import show_on_form
from ..staff.forms import options
from ..study.services import current_protocol
from .dashboard import build_dashboard
from .forms import NOT_RECORDED, DetailsForm, RegistrationForm
from .labels import register_filters
from .resend import resend_problem, resend_state, window_open
from .services import PatientError, Registration, check_new_patient, date_warnings, normalise_code, register_patient

bp = Blueprint("patients", __name__, template_folder="templates", url_prefix="/patients")
bp.record_once(lambda state: register_filters(state.app))


def study_today():
    zone = ZoneInfo(current_app.extensions["pro_app.settings"].study_timezone)
    return datetime.now(zone).date()


@bp.context_processor
def _helpers() -> dict:
    return {"may_change": may_change_patients(current_user), "resend_problem": resend_problem,
            "resend_state": resend_state, "patient_time": patient_time, "window_open": window_open,
            "may_mark_not_done": lambda visit: not_done_refusal(visit) is None,
            "mmse_start_problem": mmse_start_problem}


@bp.route("/")
@roles_required(*READ_PATIENTS)
def dashboard():
    sites = visible_sites(current_user)
    site, code = None, query_args.text(request.args, "site")
    if code:
        site = next((s for s in sites if s.code == code), None)
        if site is None:  # another site's code answers like an unknown one
            abort(404, _("No site with the code %(code)s.", code=code))
    return _dashboard_page(sites, site)


def _dashboard_page(sites, site=None, missed_code: str | None = None, status: int = 200):
    board = build_dashboard(current_user, study_today(), current_protocol().visit_codes, site.id if site else None)
    return render_template("patients/dashboard.html", board=board, sites=sites, site=site, today=study_today(),
                           missed_code=missed_code), status


@bp.route("/find")
@roles_required(*READ_PATIENTS)
def find():
    """Open a patient by study code, typed in the dashboard's search form (any case, spaces ignored).

    A code of no patient the user may see answers 404 with the dashboard and a message saying so
    (another site's patient answers like an unknown code).
    """
    typed = query_args.text(request.args, "study_code")
    patient = patient_by_code(typed)
    if patient is None:
        return _dashboard_page(visible_sites(current_user), missed_code=typed, status=404)
    return redirect(url_for("patients.detail", patient_id=patient.id))


@bp.route("/<int:patient_id>")
@roles_required(*READ_PATIENTS)
def detail(patient_id: int):
    patient = require_patient_access(patient_id)
    return render_template("patients/detail.html", patient=patient, to_review=results_to_review([patient.id]),
                           reviews=reviews_of_patient(patient.id))


def prepare_details_form(form: DetailsForm, protocol) -> None:
    form.set_education_levels(protocol.education_levels)
    if not form.timezone.data:
        form.timezone.data = protocol.timezone


@bp.route("/register", methods=["GET", "POST"])
@roles_required(*CHANGE_PATIENTS)
def register():
    protocol = current_protocol()
    form = RegistrationForm()
    prepare_details_form(form, protocol)
    sites = visible_sites(current_user)
    form.site.choices = options((site.code, f"{site.code} · {site.name}") for site in sites)
    warnings = []
    if form.validate_on_submit():
        data = _registration(form, next(s for s in sites if s.code == form.site.data))
        try:
            check_new_patient(data, protocol, study_today())
            warnings = date_warnings(data)
            if not warnings or form.confirm_warnings.data:
                patient = register_patient(data, protocol)
                db.session.commit()
                flash(_("Patient %(code)s registered; the visits are planned.", code=patient.study_code), "success")
                return redirect(url_for("patients.detail", patient_id=patient.id))
        except PatientError as error:
            show_on_form(form, error)
    return render_template("patients/register.html", form=form, warnings=warnings,
                           example=protocol.study_code_example), 400 if form.errors else 200


def _registration(form: RegistrationForm, site) -> Registration:
    return Registration(
        study_code=normalise_code(form.study_code.data), site=site, language=form.language.data,
        phone=(form.phone.data or "").strip() or None, inclusion_date=form.inclusion_date.data,
        radiotherapy_date=form.radiotherapy_date.data, surgery_date=form.surgery_date.data,
        education_level=form.education_level.data if form.education_level.data != NOT_RECORDED else None,
        timezone=form.timezone.data.strip(), sms_consent=form.sms_consent.data)


from . import changes  # noqa: E402,F401  (registers the views that change a patient on bp)
