"""The patient's page when the database cannot be reached: a kind 503 that keeps what was sent.

A page of answers posted while the database is down is not lost: the 503 page carries the
posted fields back in a form that posts them again to the same address, with a "Try again"
button (plain HTML, no script). Only the fields a page form can hold are carried (the page's
items, `page_key`, `action`, `lang`, `page_lang`), escaped by the template; the page's own
checks run again when it is re-posted. The form has no `action` and the link no address other
than the current one, so the token never appears in the body.

Without the database the patient's stored language is unknown until the link has been read;
the language the page was shown in (`page_lang`, posted with every page) stands in for it,
else the usual locale order applies (`?lang=`, session, browser).
"""
from __future__ import annotations

from flask import g, make_response, render_template, request
from flask_babel import refresh

from ..config import SUPPORTED_LOCALES
from .forms import CONTROL_FIELDS
from .services import PAGE_COUNT, page_items

MAX_VALUE_CHARS = 64
RETRY_AFTER_SECONDS = 10


def is_patient_request() -> bool:
    """A request to one of the link's pages (/q/<token>...), not the staff tablet views."""
    return request.blueprint == "questionnaires" and "token" in (request.view_args or {})


def retry_page():
    _use_posted_language()
    response = make_response(render_template("questionnaires/unavailable.html", kept=kept_fields()), 503)
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def kept_fields() -> list[tuple[str, str]]:
    """(name, value) of the posted page fields worth posting again, in the order they came."""
    if request.endpoint != "questionnaires.save":
        return []
    number = (request.view_args or {}).get("number", 0)
    known = set(CONTROL_FIELDS)
    if 1 <= number <= PAGE_COUNT:
        known.update(item.id for item in page_items(number))
    return [(name, request.form[name]) for name in request.form
            if name in known and len(request.form[name]) <= MAX_VALUE_CHARS]


def _use_posted_language() -> None:
    if g.get("patient_language") in SUPPORTED_LOCALES or request.method != "POST":
        return
    shown_in = request.form.get("page_lang")
    if shown_in in SUPPORTED_LOCALES:
        g.patient_language = shown_in
        refresh()
