"""Charts for investigators (their own site) and data managers (every site)."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..exports.labels import INSTRUMENT_LABELS, TIMINGS
from ..extensions import db
from ..patients.models import Patient
from ..staff.auth import roles_required
from ..study.models import Site
from .data import patient_series, site_completion
from .labels import timing_label
from .presenter import completion_chart, mmse_figure, qlq_figure

bp = Blueprint("reports", __name__, template_folder="templates", url_prefix="/reports")
REPORT_ROLES = ("investigator", "data_manager")


def _visible_sites() -> list[Site]:
    sites = db.session.scalars(db.select(Site).order_by(Site.code)).all()
    return sites if current_user.sees_all_sites else [s for s in sites if s.id == current_user.site_id]


def _check_site(site_id: int) -> None:
    if not current_user.sees_all_sites and site_id != current_user.site_id:
        abort(403, _("This patient or site belongs to another site."))


@bp.get("/")
@roles_required(*REPORT_ROLES)
def index():
    code = request.args.get("code", "").strip()
    if code:
        return redirect(url_for("reports.patient", study_code=code))
    return render_template("reports/index.html", sites=_visible_sites())


@bp.get("/patients/<study_code>")
@roles_required(*REPORT_ROLES)
def patient(study_code: str):
    row = db.session.scalar(db.select(Patient).filter_by(study_code=study_code))
    if row is None:
        abort(404, _("No patient with the study code %(code)s.", code=study_code))
    _check_site(row.site_id)
    qlq, mmse = patient_series(row, current_app.extensions["pro_app.protocol"])
    return render_template("reports/patient.html", patient=row, figures=[qlq_figure(s) for s in qlq],
                           mmse=mmse_figure(mmse), any_value=any(s.has_values for s in qlq + [mmse]))


@bp.get("/sites/<code>")
@roles_required(*REPORT_ROLES)
def site(code: str):
    row = db.session.scalar(db.select(Site).filter_by(code=code))
    if row is None:
        abort(404, _("No site with the code %(code)s.", code=code))
    _check_site(row.id)
    completion = site_completion(current_app.extensions["pro_app.protocol"], row)
    charts = [completion_chart(instrument, str(INSTRUMENT_LABELS[instrument]), rows)
              for instrument, rows in completion.items()]
    patients = db.session.scalars(db.select(Patient.study_code).filter_by(site_id=row.id)
                                  .order_by(Patient.study_code)).all()
    return render_template("reports/site.html", site=row, charts=charts, timings=TIMINGS,
                           timing_label=timing_label, patients=patients)
