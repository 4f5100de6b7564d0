"""Idle sign-out that never loses a form being filled.

After ``IDLE_LOGOUT_MINUTES`` without a staff request, the next request signs the user out.
When that request is a form post (a nurse who paused in the middle of an MMSE section, say),
its fields are kept on the server, encrypted, and the user is sent to the sign-in page. After
signing in again as the same person, the resume page holds the kept fields in a form that
posts them, with a fresh CSRF token, to the address they were meant for: the original view
then validates and saves them as if nothing had happened (an MMSE changed meanwhile by a
colleague still gets the conflict page, because the kept form carries its version).

Passwords are never kept. A kept form is deleted in the transaction of the view that accepts
it (so a refused or conflicting post leaves it available), when discarded, or after a day.
Patient pages (``/q/``), the API and webhooks have no staff session to time out. Tablet
mode's start page lives under ``/q/`` but is a staff page, so it times out like any other.
"""
from __future__ import annotations

import json
import time
from datetime import timedelta

from cryptography.fernet import Fernet
from flask import current_app, flash, g, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..db import utcnow
from ..extensions import db
from .models import KeptForm
from .sessions import SESSION_KEY, touch_if_due
from .signin import sign_out

SEEN_AT = "staff_seen_at"
KEPT_FIELD = "_kept_form"
NEVER_KEPT = ("csrf_token", "password", KEPT_FIELD)
KEPT_FOR = timedelta(days=1)
EXEMPT_PREFIXES = ("/q/", "/api/", "/webhooks/", "/static/", "/healthz")
# Staff pages inside an exempt prefix: a nurse starting tablet mode (questionnaires.tablet).
STAFF_PREFIXES = ("/q/tablet/start/",)


def _limit_seconds() -> int:
    return current_app.extensions["pro_app.settings"].idle_logout_minutes * 60


def mark_active() -> None:
    session[SEEN_AT] = time.time()


def is_staff_page(path: str) -> bool:
    return path.startswith(STAFF_PREFIXES) or not path.startswith(EXEMPT_PREFIXES)


def enforce_idle_timeout():
    """before_request: sign out an idle staff user; keep the form they were posting."""
    if not is_staff_page(request.path) or not current_user.is_authenticated:
        return None
    now, seen_at = time.time(), session.get(SEEN_AT)
    if seen_at is not None and now - seen_at > _limit_seconds():
        return _sign_out_idle()
    session[SEEN_AT] = now
    touch_if_due(session[SESSION_KEY], g.staff_session_seen_at)
    if request.method == "POST" and request.form.get(KEPT_FIELD, "").isdigit():
        _forget(int(request.form[KEPT_FIELD]), current_user.id)
    return None


def _sign_out_idle():
    user_id = current_user.id
    sign_out("idle")
    session.pop(SEEN_AT, None)
    minutes = current_app.extensions["pro_app.settings"].idle_logout_minutes
    flash(_("You were signed out after %(minutes)d minutes without activity.", minutes=minutes), "info")
    if request.endpoint == "staff.logout" or request.method != "POST":
        db.session.commit()
        target = None if request.endpoint == "staff.logout" else request.full_path.rstrip("?")
        return redirect(url_for("staff.login", next=target))
    kept = keep_form(user_id, request.path, request.form.items(multi=True))
    db.session.commit()
    flash(_("What you were entering has been kept: sign in again to send it."), "info")
    return redirect(url_for("staff.login", next=url_for("staff.resume", form_id=kept.id)))


def _fernet() -> Fernet:
    return Fernet(current_app.extensions["pro_app.settings"].phone_key.encode())


def keep_form(user_id: int, path: str, fields) -> KeptForm:
    pairs = [[name, value] for name, value in fields if name not in NEVER_KEPT]
    db.session.execute(db.delete(KeptForm).where(KeptForm.kept_at < utcnow() - KEPT_FOR))
    kept = KeptForm(staff_user_id=user_id, path=path, payload=_fernet().encrypt(json.dumps(pairs).encode()))
    db.session.add(kept)
    db.session.flush()
    return kept


def kept_form_for(form_id: int, user_id: int) -> KeptForm | None:
    kept = db.session.get(KeptForm, form_id)
    if kept is None or kept.staff_user_id != user_id or kept.kept_at < utcnow() - KEPT_FOR:
        return None
    return kept


def kept_fields(kept: KeptForm) -> list[tuple[str, str]]:
    return [(name, value) for name, value in json.loads(_fernet().decrypt(kept.payload))]


def _forget(form_id: int, user_id: int) -> None:
    kept = kept_form_for(form_id, user_id)
    if kept is not None:
        db.session.delete(kept)
