"""Finalising an MMSE with an electronic signature."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from ..extensions import db, limiter
from ..staff.access import CHANGE_PATIENTS
from ..staff.auth import roles_required
from ..staff.editing import EditConflict
from ..staff.errors import show_on_form
from .forms import SignForm
from .presentation import record_context
from .routes import bp, mmse_or_404
from .services import MmseError, SignatureRefused, sign


@bp.route("/<int:administration_id>/sign", methods=["GET", "POST"])
@roles_required(*CHANGE_PATIENTS)
@limiter.limit("10 per minute", methods=["POST"])
def sign_view(administration_id: int):
    administration = mmse_or_404(administration_id)
    if administration.status != "in_progress":
        if request.method == "POST":
            abort(409, _("Only an MMSE in progress can be signed."))
        return redirect(url_for("mmse.overview", administration_id=administration.id))
    form = SignForm(version=administration.version)
    if form.validate_on_submit():
        try:
            sign(administration, current_user, form.password.data, form.version.data)
            db.session.commit()
            flash(_("The MMSE is signed and locked."), "success")
            return redirect(url_for("mmse.overview", administration_id=administration.id), 303)
        except (EditConflict, StaleDataError):
            db.session.rollback()
            abort(409)
        except SignatureRefused as error:
            db.session.commit()  # keeps the audit entry of the refused signature, nothing else changed
            show_on_form(form, error)
        except MmseError as error:
            show_on_form(form, error)
    return render_template("mmse/sign.html", form=form, **record_context(administration)), \
        400 if form.errors else 200
