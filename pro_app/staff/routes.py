from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..extensions import db, limiter
from ..query_args import is_clean_text
from .forms import LoginForm
from .idle import KEPT_FIELD, SEEN_AT, kept_fields, kept_form_for, mark_active
from .services import authenticate

bp = Blueprint("staff", __name__, template_folder="templates", url_prefix="/staff")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def login():
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("staff/login.html", form=form), 400 if form.errors else 200
    user = authenticate(form.email.data, form.password.data)
    db.session.commit()
    if user is None:
        flash(_("E-mail or password not recognised, or the account is temporarily locked."), "error")
        return render_template("staff/login.html", form=form), 401
    login_user(user)
    mark_active()
    return redirect(_safe_next() or url_for("main.index"))


def _safe_next() -> str | None:
    target = request.args.get("next", "")
    safe = target.startswith("/") and not target.startswith(("//", "/\\")) and is_clean_text(target, 2000)
    return target if safe else None


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    logout_user()
    session.pop(SEEN_AT, None)
    flash(_("You are signed out."), "info")
    return redirect(url_for("staff.login"))


@bp.route("/me")
@login_required
def me():
    return render_template("staff/me.html", user=current_user)


@bp.route("/resume/<int:form_id>")
@login_required
def resume(form_id: int):
    """The form kept at an idle sign-out, ready to be sent again by the same person."""
    kept = kept_form_for(form_id, current_user.id)
    if kept is None:
        abort(404)
    return render_template("staff/resume.html", kept=kept, fields=kept_fields(kept), kept_field=KEPT_FIELD)


@bp.route("/resume/<int:form_id>/discard", methods=["POST"])
@login_required
def discard(form_id: int):
    kept = kept_form_for(form_id, current_user.id)
    if kept is None:
        abort(404)
    db.session.delete(kept)
    db.session.commit()
    flash(_("What you had entered was discarded."), "info")
    return redirect(url_for("main.index"))
