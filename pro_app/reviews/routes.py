"""Mark a result reviewed: a form on the site dashboard and on the patient page."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..exports.instrument_variables import MMSE_SCORE_LABELS
from ..extensions import db
from ..patients.labels import INSTRUMENT
from ..reports.labels import flag_text, scale_title
from ..staff.access import CHANGE_PATIENTS, MANAGE_ACCOUNTS, require_administration_access
from ..staff.auth import roles_required
from ..study.models import Site
from ..templating import score_number
from .forms import ReviewForm, SiteMailForm
from .mail import set_site_review_mail, site_investigators
from .services import NOTE_MAX_LENGTH, ReviewError, mark_reviewed

bp = Blueprint("reviews", __name__, template_folder="templates", url_prefix="/reviews")


@bp.route("/administrations/<int:administration_id>", methods=["POST"])
@roles_required(*CHANGE_PATIENTS)
def review(administration_id: int):
    administration = require_administration_access(administration_id)
    patient = administration.visit.patient
    form = ReviewForm()
    if not form.validate_on_submit():  # CSRF failures are answered before the view: only the note is left
        abort(400, _("The note is too long: %(max)d characters at most.", max=NOTE_MAX_LENGTH))
    try:
        mark_reviewed(administration, form.flags.data, form.note.data, current_user)
    except ReviewError as error:
        abort(409, error.translated())
    db.session.commit()
    flash(_("The result of %(code)s (%(instrument)s) is marked reviewed.", code=patient.study_code,
            instrument=INSTRUMENT[administration.instrument]), "success")
    if form.back.data == "dashboard":
        return redirect(url_for("patients.dashboard", _anchor="review"), 303)
    return redirect(url_for("patients.detail", patient_id=patient.id, _anchor="review"), 303)


@bp.route("/sites", methods=["GET", "POST"])
@roles_required(*MANAGE_ACCOUNTS)
def sites():
    """The administrator turns each site's review e-mails to its investigators on or off."""
    form = SiteMailForm()
    if form.is_submitted():
        site = db.session.scalar(db.select(Site).filter_by(code=form.site.data or ""))
        if not form.validate() or site is None or form.state.data not in ("on", "off"):
            abort(400, _("Choose a site and turn its e-mails on or off."))
        set_site_review_mail(site, form.state.data == "on", "site settings page")
        db.session.commit()
        if site.review_mail:
            flash(_("The review e-mails of site %(site)s are now on.", site=site.code), "success")
        else:
            flash(_("The review e-mails of site %(site)s are now off.", site=site.code), "success")
        return redirect(url_for("reviews.sites"), 303)
    rows = [(site, len(site_investigators(site))) for site in db.session.scalars(db.select(Site).order_by(Site.code))]
    return render_template("reviews/sites.html", rows=rows)


@bp.app_context_processor
def _helpers() -> dict:
    return {"review_scale": _scale_name, "review_flag": flag_text, "review_number": score_number,
            "review_note_max": NOTE_MAX_LENGTH,
            "may_review": current_user.is_authenticated and current_user.role in CHANGE_PATIENTS}


def _scale_name(code: str) -> str:
    return str(MMSE_SCORE_LABELS[code]) if code in MMSE_SCORE_LABELS else scale_title(code)
