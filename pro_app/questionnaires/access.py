"""Every patient page starts here: the link token in the URL is checked on each request.

A known link sets the page language to the patient's stored language (`g.patient_language`,
read first by the locale selector) and the audit actor to the link's administration; an
unknown one falls back to the browser's language. A link that cannot be used gets a kind page
that says what to do, and never whether another link exists. Only unknown tokens count
towards the per-address guessing limit, so patients behind one carrier NAT are not locked out
by each other's ordinary use.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import wraps

from flask import g, make_response, redirect, render_template, request
from flask_babel import format_date, refresh

from ..audit.services import Actor, set_actor
from ..config import SUPPORTED_LOCALES
from ..extensions import db, limiter
from ..patients.models import Patient
from .links import lookup
from .models import Administration, PatientLink
from .services import INSTRUMENT, change_language

PROBLEM_STATUS = {"unknown": 404, "expired": 410, "revoked": 410, "completed": 410, "not_yet_open": 403,
                  "too_many": 429}
GUESS_LIMIT = "20 per minute;200 per day"


@dataclass(frozen=True)
class PatientAccess:
    token: str
    link: PatientLink
    administration: Administration

    @property
    def patient(self) -> Patient:
        return self.administration.visit.patient


def problem_page(state: str, link: PatientLink | None = None):
    opens_on = format_date(link.administration.visit.window_opens, "long") if state == "not_yet_open" else None
    body = render_template("questionnaires/link_problem.html", state=state, opens_on=opens_on)
    return make_response(body, PROBLEM_STATUS[state])


guess_limit = limiter.shared_limit(GUESS_LIMIT, scope="patient-link", deduct_when=lambda r: r.status_code == 404,
                                   on_breach=lambda _limit: problem_page("too_many"))


def patient_view(*, allow_completed: bool = False):
    """Resolve `<token>` into a PatientAccess passed to the view as `access`, or answer a problem page."""
    def decorator(view):
        @wraps(view)
        def wrapped(token: str, **kwargs):
            found = lookup(token)
            if found.link is None or found.link.administration.instrument != INSTRUMENT:
                return problem_page("unknown")
            access = PatientAccess(token, found.link, found.link.administration)
            _use_language(access.patient.language)
            set_actor(Actor("patient_link", access.administration.id))
            usable = found.state == "ok" or (allow_completed and found.state == "completed")
            if not usable:
                _use_language(_chosen_language() or access.patient.language)
                return problem_page(found.state, found.link)
            if request.method == "GET" and _chosen_language():
                return _switch_language(access)
            return view(access=access, **kwargs)
        return wrapped
    return decorator


def _chosen_language() -> str | None:
    chosen = request.args.get("lang")
    return chosen if chosen in SUPPORTED_LOCALES else None


def _use_language(language: str) -> None:
    g.patient_language = language
    refresh()


def _switch_language(access: PatientAccess):
    """`?lang=` on a patient page stores the choice, then shows the same page without the parameter."""
    if change_language(access.patient, _chosen_language(), access.administration):
        db.session.commit()
    return redirect(request.path, code=303)
