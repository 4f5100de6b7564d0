"""Views that change a patient: corrections, leaving follow-up, a visit not done, resending a link."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from ..extensions import db
from ..schedule.transitions import VisitError, lock_for_change, mark_visit_not_done, not_done_refusal
from ..staff.access import (CHANGE_PATIENTS, require_administration_access, require_patient_access,
                            require_visit_access)
from ..staff.auth import roles_required
from ..staff.editing import check_version, conflicts_as_409
from ..staff.errors import show_on_form
from ..study.services import current_protocol
from .corrections import Details, correct_patient
from .forms import NOT_RECORDED, CorrectionForm, NotDoneForm, ResumeForm, StatusForm
from ..db import utcnow
from ..messaging.labels import patient_time
from .labels import PATIENT_STATUS, visit_label
from .resend import resend_link
from .routes import bp, prepare_details_form, study_today
from .services import PatientError, check_details, check_plausible_dates, date_warnings, normalise_code
from .status import end_follow_up, resume_follow_up


@bp.route("/<int:patient_id>/correct", methods=["GET", "POST"])
@roles_required(*CHANGE_PATIENTS)
def correct(patient_id: int):
    patient = require_patient_access(patient_id)
    protocol = current_protocol()
    form = CorrectionForm(obj=patient, education_level=patient.education_level or NOT_RECORDED)
    prepare_details_form(form, protocol)
    warnings = []
    if form.validate_on_submit():
        details = _details(form)
        with conflicts_as_409():
            check_version(form.version.data, patient.version)
            try:
                check_details(details, protocol)
                if (details.inclusion_date, details.radiotherapy_date) != (patient.inclusion_date,
                                                                         patient.radiotherapy_date):
                    check_plausible_dates(details, protocol, study_today())  # a corrected date is typed now
                warnings = date_warnings(details)
                if not warnings or form.confirm_warnings.data:
                    changed = correct_patient(patient, details, form.reason.data, protocol)
                    db.session.commit()
                    flash(_("Correction saved (%(count)d value(s) changed).", count=len(changed)), "success")
                    return redirect(url_for("patients.detail", patient_id=patient.id))
            except PatientError as error:
                show_on_form(form, error)
    return render_template("patients/correct.html", form=form, patient=patient, warnings=warnings), \
        400 if form.errors else 200


def _details(form: CorrectionForm) -> Details:
    return Details(
        study_code=normalise_code(form.study_code.data), language=form.language.data,
        timezone=form.timezone.data.strip(), inclusion_date=form.inclusion_date.data,
        radiotherapy_date=form.radiotherapy_date.data, surgery_date=form.surgery_date.data,
        education_level=form.education_level.data if form.education_level.data != NOT_RECORDED else None,
        sms_consent=form.sms_consent.data, phone=(form.phone.data or "").strip() or None)


@bp.route("/<int:patient_id>/status", methods=["GET", "POST"])
@roles_required(*CHANGE_PATIENTS)
def status(patient_id: int):
    patient = require_patient_access(patient_id)
    form = StatusForm(obj=patient)
    if form.validate_on_submit():
        with conflicts_as_409():
            check_version(form.version.data, patient.version)
            try:
                stopped = end_follow_up(patient, form.status.data, form.reason.data, form.event_date.data,
                                        today=study_today())
                db.session.commit()
                flash(_("%(code)s: %(status)s. %(messages)d planned message(s) and %(visits)d visit(s) cancelled.",
                        code=patient.study_code, status=PATIENT_STATUS[patient.status],
                        messages=stopped.messages, visits=stopped.visits), "success")
                return redirect(url_for("patients.detail", patient_id=patient.id))
            except PatientError as error:
                show_on_form(form, error)
    return render_template("patients/status.html", form=form, resume_form=ResumeForm(obj=patient),
                           patient=patient), 400 if form.errors else 200


@bp.route("/<int:patient_id>/resume", methods=["POST"])
@roles_required(*CHANGE_PATIENTS)
def resume(patient_id: int):
    """Correct a status set in error back to active (see status.resume_follow_up)."""
    patient = require_patient_access(patient_id)
    form = ResumeForm()
    if form.validate_on_submit():
        with conflicts_as_409():
            check_version(form.version.data, patient.version)
            try:
                visits = resume_follow_up(patient, form.reason.data, current_protocol(), study_today())
                db.session.commit()
                flash(_("%(code)s is back in follow-up; %(visits)d visit(s) planned again.",
                        code=patient.study_code, visits=visits), "success")
                return redirect(url_for("patients.detail", patient_id=patient.id), 303)
            except PatientError as error:
                show_on_form(form, error)
    return render_template("patients/status.html", form=StatusForm(obj=patient), resume_form=form,
                           patient=patient), 400 if form.errors else 200


@bp.route("/visits/<int:visit_id>/not-done", methods=["GET", "POST"])
@roles_required(*CHANGE_PATIENTS)
def visit_not_done(visit_id: int):
    visit = require_visit_access(visit_id)
    form = NotDoneForm()
    if form.is_submitted():
        lock_for_change(visit)
    refusal = not_done_refusal(visit)
    if refusal is None and form.validate_on_submit():
        try:
            mark_visit_not_done(visit, form.reason.data)
            db.session.commit()
            flash(_("%(visit)s of %(code)s is marked not done; its planned text messages are cancelled.",
                    visit=visit_label(visit.code), code=visit.patient.study_code), "success")
            return redirect(url_for("patients.detail", patient_id=visit.patient_id, _anchor="visits"), 303)
        except VisitError as error:
            show_on_form(form, error)
    status = 409 if refusal else 400 if form.errors else 200
    return render_template("patients/not_done.html", form=form, visit=visit, patient=visit.patient,
                           refusal=_(refusal) if refusal else None), status


@bp.route("/administrations/<int:administration_id>/resend", methods=["POST"])
@roles_required(*CHANGE_PATIENTS)
def resend(administration_id: int):
    administration = require_administration_access(administration_id)
    patient = administration.visit.patient
    try:
        message = resend_link(administration, current_protocol())
    except PatientError as error:
        abort(409, error.translated())
    when = patient_time(message.due_at, patient.timezone)
    db.session.commit()
    if message.due_at <= utcnow():
        flash(_("A new link is being sent to %(code)s by text message now (%(time)s); older links no longer work.",
                code=patient.study_code, time=when), "success")
    else:
        flash(_("Text messages are not sent at this hour: the new link will go to %(code)s at the next allowed "
                "time, %(time)s. Older links no longer work.", code=patient.study_code, time=when), "success")
    return redirect(url_for("patients.detail", patient_id=patient.id), 303)
