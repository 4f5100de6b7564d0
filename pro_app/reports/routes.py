"""Charts for investigators (their own site) and data managers (every site)."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import query_args
from ..exports.labels import INSTRUMENT_LABELS, TIMINGS
from ..extensions import db
from ..patients.models import Patient
from ..staff.access import patients_visible_to, visible_sites
from ..staff.auth import roles_required
from .data import patient_series, site_completion
from .labels import timing_label
from .presenter import completion_chart, mmse_figure, qlq_figure

bp = Blueprint("reports", __name__, template_folder="templates", url_prefix="/reports")
REPORT_ROLES = ("investigator", "data_manager")


@bp.get("/")
@roles_required(*REPORT_ROLES)
def index():
    code = query_args.text(request.args, "code")
    if code:
        return redirect(url_for("reports.patient", study_code=code))
    return render_template("reports/index.html", sites=visible_sites(current_user))


# Another site's patient or site answers exactly like an unknown one: a code tells nothing.
@bp.get("/patients/<study_code>")
@roles_required(*REPORT_ROLES)
def patient(study_code: str):
    row = None
    if query_args.is_clean_text(study_code):
        row = db.session.scalar(patients_visible_to(current_user).where(Patient.study_code == study_code))
    if row is None:
        abort(404, _("No patient with the study code %(code)s.", code=study_code))
    qlq, mmse = patient_series(row, current_app.extensions["pro_app.protocol"])
    return render_template("reports/patient.html", patient=row, figures=[qlq_figure(s) for s in qlq],
                           mmse=mmse_figure(mmse), any_value=any(s.has_values for s in qlq + [mmse]))


@bp.get("/sites/<code>")
@roles_required(*REPORT_ROLES)
def site(code: str):
    row = next((site for site in visible_sites(current_user) if site.code == code), None)
    if row is None:
        abort(404, _("No site with the code %(code)s.", code=code))
    completion = site_completion(current_app.extensions["pro_app.protocol"], row)
    charts = [completion_chart(instrument, str(INSTRUMENT_LABELS[instrument]), rows)
              for instrument, rows in completion.items()]
    patients = db.session.scalars(db.select(Patient.study_code).filter_by(site_id=row.id)
                                  .order_by(Patient.study_code)).all()
    return render_template("reports/site.html", site=row, charts=charts, timings=TIMINGS,
                           timing_label=timing_label, patients=patients)
