"""The administrator's page to manage staff accounts."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ..db import utcnow
from ..extensions import db
from ..study.models import Site
from .access import MANAGE_ACCOUNTS
from .accounts import reset_password, set_active, unlock, update_account
from .auth import roles_required
from .errors import show_on_form
from .forms import NO_SITE, AccountForm, NewAccountForm, PasswordResetForm
from .models import StaffUser
from .services import StaffError, create_staff
from .sessions import end_all, open_count
from .signin import sign_in

bp = Blueprint("accounts", __name__, template_folder="templates", url_prefix="/staff/accounts")


@bp.before_request
@roles_required(*MANAGE_ACCOUNTS)
def _administrators_only():
    return None


@bp.context_processor
def _clock() -> dict:
    return {"now_utc": utcnow}


def _sites() -> list[Site]:
    return list(db.session.scalars(db.select(Site).order_by(Site.code)))


def _site(code: str) -> Site | None:
    return db.session.scalar(db.select(Site).filter_by(code=code)) if code != NO_SITE else None


def _account(user_id: int) -> StaffUser:
    return db.session.get(StaffUser, user_id) or abort(404)


@bp.route("/")
def index():
    users = db.session.scalars(db.select(StaffUser).order_by(StaffUser.role, StaffUser.email))
    return render_template("staff/accounts.html", users=list(users))


@bp.route("/new", methods=["GET", "POST"])
def new():
    form = NewAccountForm()
    form.set_sites(_sites())
    if form.validate_on_submit():
        try:
            user = create_staff(form.email.data, form.display_name.data, form.password.data, form.role.data,
                                _site(form.site.data), form.language.data)
        except StaffError as error:
            show_on_form(form, error)
        else:
            db.session.commit()
            flash(_("Account created for %(email)s.", email=user.email), "success")
            return redirect(url_for("accounts.index"))
    return render_template("staff/account_new.html", form=form), 400 if form.errors else 200


@bp.route("/<int:user_id>", methods=["GET", "POST"])
def edit(user_id: int):
    user = _account(user_id)
    form = AccountForm(obj=user, site=user.site.code if user.site else NO_SITE)
    form.set_sites(_sites())
    if form.validate_on_submit():
        try:
            changed = update_account(user, actor=current_user, display_name=form.display_name.data,
                                     role=form.role.data, site=_site(form.site.data), language=form.language.data)
        except StaffError as error:
            show_on_form(form, error)
        else:
            db.session.commit()
            flash(_("Saved.") if changed else _("Nothing changed."), "success")
            return redirect(url_for("accounts.edit", user_id=user.id))
    return _edit_page(form, user, PasswordResetForm()), 400 if form.errors else 200


def _edit_page(form, user: StaffUser, password_form):
    return render_template("staff/account_edit.html", form=form, user=user, password_form=password_form,
                           open_sessions=open_count(user))


@bp.route("/<int:user_id>/active", methods=["POST"])
def toggle_active(user_id: int):
    user = _account(user_id)
    try:
        set_active(user, not user.is_active_account, actor=current_user)
    except StaffError as error:
        flash(error.translated(), "error")
        return redirect(url_for("accounts.edit", user_id=user.id))
    db.session.commit()
    flash(_("Account activated.") if user.is_active_account else _("Account deactivated."), "success")
    return redirect(url_for("accounts.edit", user_id=user.id))


@bp.route("/<int:user_id>/unlock", methods=["POST"])
def unlock_account(user_id: int):
    unlock(_account(user_id))
    db.session.commit()
    flash(_("Account unlocked."), "success")
    return redirect(url_for("accounts.edit", user_id=user_id))


@bp.route("/<int:user_id>/password", methods=["POST"])
def password(user_id: int):
    user = _account(user_id)
    password_form = PasswordResetForm()
    if password_form.validate_on_submit():
        try:
            reset_password(user, password_form.password.data, actor=current_user)
        except StaffError as error:
            show_on_form(password_form, error)
        else:
            own = user.id == current_user.id
            if own:
                sign_in(user)  # a new session here; the other browsers are signed out
            db.session.commit()
            flash(_("Password changed; your other browsers are signed out.") if own
                  else _("Password changed; the account is unlocked and signed out everywhere."), "success")
            return redirect(url_for("accounts.edit", user_id=user.id))
    form = AccountForm(obj=user, site=user.site.code if user.site else NO_SITE)
    form.set_sites(_sites())
    return _edit_page(form, user, password_form), 400


@bp.route("/<int:user_id>/sessions/end", methods=["POST"])
def end_sessions(user_id: int):
    """Sign the account out everywhere (a lost tablet, a shared password): every browser must sign in again."""
    user = _account(user_id)
    ended = end_all(user, "ended_by_admin")
    db.session.commit()
    flash(ngettext("%(num)d session ended; that browser must sign in again.",
                   "%(num)d sessions ended; those browsers must sign in again.", ended) if ended
          else _("No session was open."), "success")
    return redirect(url_for("accounts.edit", user_id=user.id))
