"""The nurse's MMSE pages: overview, start, one page per section, signature, corrections."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from ..extensions import db
from ..instruments.mmse import NOT_ADMINISTRABLE_REASONS
from ..staff.access import CHANGE_PATIENTS, READ_PATIENTS, may_change_patients, require_administration_access
from ..staff.auth import roles_required
from ..staff.editing import EditConflict, check_version
from ..staff.errors import show_on_form
from ..study.services import current_protocol
from .forms import SectionForm, StartForm
from .history import corrections
from .labels import (ATTENTION_RULE_LABELS, NA_REASON_LABELS, REGISTRATION_TRIALS_LABEL, SCORE_LABELS, SECTION_LABELS,
                     SIGNATURE_MEANING)
from .parsing import form_values, parse_section
from .presentation import item_display, next_section, progress_text, record_context
from .record import SECTION_CODES, SECTIONS_BY_CODE, load_items, section_items
from .services import MmseError, save_section, start_mmse, start_problem

bp = Blueprint("mmse", __name__, template_folder="templates", url_prefix="/mmse")


@bp.context_processor
def _helpers() -> dict:
    return {"item_display": item_display, "progress_text": progress_text,
            "na_reasons": [(r, NA_REASON_LABELS[r]) for r in NOT_ADMINISTRABLE_REASONS],
            "section_labels": SECTION_LABELS, "score_labels": SCORE_LABELS, "rule_labels": ATTENTION_RULE_LABELS,
            "trials_label": REGISTRATION_TRIALS_LABEL, "may_change": may_change_patients(current_user),
            "section_items": section_items, "meaning": SIGNATURE_MEANING}


def mmse_or_404(administration_id: int):
    return require_administration_access(administration_id, "mmse")


@bp.route("/<int:administration_id>")
@roles_required(*READ_PATIENTS)
def overview(administration_id: int):
    administration = mmse_or_404(administration_id)
    form = StartForm(version=administration.version, language=administration.visit.patient.language)
    return _overview(administration, form)


def _overview(administration, start_form: StartForm, status: int = 200):
    history = corrections(administration) if administration.status == "locked" else []
    return render_template("mmse/overview.html", start_form=start_form, start_problem=start_problem(administration),
                           corrections=history, **record_context(administration)), status


@bp.route("/<int:administration_id>/start", methods=["POST"])
@roles_required(*CHANGE_PATIENTS)
def start(administration_id: int):
    administration = mmse_or_404(administration_id)
    form = StartForm()
    if form.validate_on_submit():
        if administration.status != "created":
            return redirect(url_for("mmse.overview", administration_id=administration.id), 303)
        try:
            check_version(form.version.data, administration.version)
            start_mmse(administration, current_user, form.language.data, glasses=form.glasses.data,
                       hearing_aid=form.hearing_aid.data, protocol=current_protocol())
            db.session.commit()
            return redirect(url_for("mmse.section", administration_id=administration.id, section=SECTION_CODES[0]), 303)
        except (EditConflict, StaleDataError):
            db.session.rollback()
            abort(409)
        except MmseError as error:
            show_on_form(form, error)
    return _overview(administration, form, 400)


@bp.route("/<int:administration_id>/section/<section>", methods=["GET", "POST"])
@roles_required(*CHANGE_PATIENTS)
def section(administration_id: int, section: str):
    return _section(administration_id, section, correcting=False)


@bp.route("/<int:administration_id>/section/<section>/correct", methods=["GET", "POST"])
@roles_required(*CHANGE_PATIENTS)
def correct(administration_id: int, section: str):
    """A signed MMSE is read-only; this page changes it with a reason, audited, then rescores it."""
    return _section(administration_id, section, correcting=True)


def _section(administration_id: int, section: str, correcting: bool):
    administration = mmse_or_404(administration_id)
    if section not in SECTIONS_BY_CODE:
        abort(404)
    problem = _wrong_page(administration, correcting)
    if problem:
        if request.method == "POST":
            abort(409, problem)
        return redirect(url_for("mmse.overview", administration_id=administration.id))
    form = SectionForm(version=administration.version)
    errors, values = {}, form_values(load_items(administration))
    if form.validate_on_submit():
        posted, errors = parse_section(section, request.form)
        values = request.form
        if not errors:
            try:
                save_section(administration, section, posted, form.version.data,
                             reason=form.reason.data if correcting else None)
                db.session.commit()
                return _after_save(administration, section, correcting)
            except (EditConflict, StaleDataError):
                db.session.rollback()
                return render_template("mmse/conflict.html", administration=administration, section=section,
                                       posted=posted), 409
            except MmseError as error:
                errors.update(_unplaced(form, error))
    return render_template("mmse/section.html", form=form, section=section, values=values, correcting=correcting,
                           errors={name: _(message) for name, message in errors.items()},
                           next_code=next_section(section), section_item_codes=SECTIONS_BY_CODE[section].items,
                           **record_context(administration)), \
        400 if errors or form.errors else 200


def _wrong_page(administration, correcting: bool) -> str | None:
    """Why this page does not apply to the MMSE in its current state (a signed one is corrected, not edited)."""
    if administration.status == "created":
        return _("This MMSE has not been started.")
    if administration.status == "locked" and not correcting:
        return _("This MMSE is signed and locked; a correction needs a reason.")
    if administration.status != "locked" and correcting:
        return _("This MMSE is not signed; edit it normally.")
    return None


def _unplaced(form, error: MmseError) -> dict:
    """Show the error on the form's own field (the reason), else return it for the item fields."""
    if hasattr(form, error.field):
        show_on_form(form, error)
        return {}
    return {error.field: error.message}


def _after_save(administration, section: str, correcting: bool):
    flash(_("Saved."), "success")
    go = request.form.get("go", "next")
    if correcting or go == "overview" or (go == "next" and next_section(section) is None):
        target = url_for("mmse.overview", administration_id=administration.id)
    elif go == "next":
        target = url_for("mmse.section", administration_id=administration.id, section=next_section(section))
    else:
        target = url_for("mmse.section", administration_id=administration.id, section=section)
    return redirect(target, 303)


from . import signing  # noqa: E402,F401  (registers the signature view on bp)
