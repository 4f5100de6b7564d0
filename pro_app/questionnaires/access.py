"""Every patient page starts here: the link token in the URL is checked on each request.

A known link sets the page language to the patient's stored language (`g.patient_language`,
read first by the locale selector) and the audit actor to the link's administration; an
unknown one falls back to the browser's language. A link that cannot be used gets a kind page
that says what to do, and never whether another link exists.

Guessing is limited per address with Flask-Limiter's own strategy and storage, but only
unknown tokens are counted and checked: a patient with a real link never waits for the limit
store, and patients behind one carrier NAT are not locked out by a guesser sharing their address.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cached_property, wraps

from flask import g, make_response, redirect, render_template, request, url_for
from flask_babel import format_date, refresh
from flask_limiter.util import get_remote_address
from limits import parse_many

from ..audit.services import Actor, set_actor
from ..config import SUPPORTED_LOCALES
from ..extensions import db, limiter
from ..patients.models import Patient
from .answers import Saved
from .links import LinkRecord, lookup
from .models import Administration
from .services import INSTRUMENT, change_language
from .unavailable import is_patient_request

PROBLEM_STATUS = {"unknown": 404, "expired": 410, "revoked": 410, "completed": 410, "not_yet_open": 403,
                  "too_many": 429}
GUESS_LIMIT = "20 per minute;200 per day"


@dataclass(frozen=True)
class PatientAccess:
    """A usable link, as read at the start of the request. Most pages need only `link` (one row);
    the ORM objects are loaded on first use by the few views that change them."""

    token: str
    link: LinkRecord
    saved: dict[str, Saved] | None = None  # read with the link for views that ask `with_answers`

    @property
    def administration_id(self) -> int:
        return self.link.administration_id

    @property
    def patient_id(self) -> int:
        return self.link.patient_id

    @cached_property
    def administration(self) -> Administration:
        return db.session.get(Administration, self.link.administration_id)

    @property
    def patient(self) -> Patient:
        return self.administration.visit.patient


def problem_page(state: str, link: LinkRecord | None = None):
    opens_on = format_date(link.window_opens, "long") if state == "not_yet_open" else None
    body = render_template("questionnaires/link_problem.html", state=state, opens_on=opens_on)
    return make_response(body, PROBLEM_STATUS[state])


GUESS_LIMITS = parse_many(GUESS_LIMIT)
log = logging.getLogger("pro_app.questionnaires")


def guess_allowed() -> bool:
    """Count one unknown token against the caller's address; False once over a limit."""
    if not (limiter.enabled and limiter.initialized):
        return True
    address = get_remote_address()
    try:
        return all(limiter.limiter.hit(limit, "patient-link-guess", address) for limit in GUESS_LIMITS)
    except Exception as error:  # noqa: BLE001  a store that is down must not block patients
        log.error("rate limit store unavailable: %s", type(error).__name__)
        return True


@limiter.request_filter
def _no_route_limit_on_link_pages() -> bool:
    """Link pages have no route limit (guessing is counted above), so the limiter's per-route
    resolution is skipped on every patient request."""
    return is_patient_request()


def patient_view(*, started: bool = False, allow_completed: bool = False, with_answers: bool = False):
    """Resolve `<token>` into a PatientAccess passed to the view as `access`, or answer a problem page.

    `started`: the view needs a started questionnaire; before Start, it leads to the welcome page.
    `allow_completed`: the view also serves a submitted questionnaire (submit again, thank-you).
    `with_answers`: the saved answers are read in the same query as the link (`access.saved`).
    """
    def decorator(view):
        @wraps(view)
        def wrapped(token: str, **kwargs):
            if request.method == "GET" and not _chosen_language():
                _read_without_transaction()
            found = lookup(token, with_answers=with_answers)
            if found.link is None or found.link.instrument != INSTRUMENT:
                return problem_page("unknown" if guess_allowed() else "too_many")
            access = PatientAccess(token, found.link, found.saved)
            _use_language(access.link.patient_language)
            set_actor(Actor("patient_link", access.administration_id))
            usable = found.state == "ok" or (allow_completed and found.state == "completed")
            if not usable:
                _use_language(_chosen_language() or access.link.patient_language)
                return problem_page(found.state, found.link)
            if request.method == "GET" and _chosen_language():
                return _switch_language(access)
            if started and access.link.status == "created":
                return redirect(url_for("questionnaires.welcome", token=token), code=303)
            return view(access=access, **kwargs)
        return wrapped
    return decorator


def _read_without_transaction() -> None:
    """A patient page shown by GET only reads (a `?lang=` switch writes, and is excluded): its
    statements run in autocommit, which spares the BEGIN and ROLLBACK round trips, two of the
    four that such a page costs on PostgreSQL. The pool resets the connection when it returns.
    When a hook has already read in a transaction (a staff user signed in on this browser), the
    page simply stays in it."""
    if not db.session().in_transaction():
        db.session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})


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
