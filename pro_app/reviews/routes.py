"""Mark a result reviewed: a form on the site dashboard and on the patient page."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..exports.instrument_variables import MMSE_SCORE_LABELS
from ..extensions import db
from ..patients.labels import INSTRUMENT
from ..reports.labels import flag_text, number, scale_title
from ..staff.access import CHANGE_PATIENTS, require_administration_access
from ..staff.auth import roles_required
from .forms import ReviewForm
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


@bp.app_context_processor
def _helpers() -> dict:
    return {"review_scale": _scale_name, "review_flag": flag_text, "review_number": number,
            "review_note_max": NOTE_MAX_LENGTH,
            "may_review": current_user.is_authenticated and current_user.role in CHANGE_PATIENTS}


def _scale_name(code: str) -> str:
    return str(MMSE_SCORE_LABELS[code]) if code in MMSE_SCORE_LABELS else scale_title(code)
