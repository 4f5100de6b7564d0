"""The questionnaire's forms: a strict parser for a page of answers, and the tablet hand-over form.

Why patient POSTs are exempt from Flask-WTF's CSRF check
--------------------------------------------------------
CSRF abuses a credential the browser sends by itself (a session cookie). The patient pages
have none: the credential is the 128-bit token in the URL, and no cookie grants anything on
them. A page that could forge a POST would first need the token, and with the token it could
simply post itself. A CSRF token, on the other hand, lives in the session: a patient who
pauses, loses the cookie, switches device or resumes the next day would see their answers
refused. So the patient views are `csrf.exempt`, and each page form carries instead a
*page key*: an HMAC of the link and the page number under the app's secret key. It never
expires and needs no session, and it makes the server refuse (400, nothing saved) a form
that it did not render for this very link and page: a form kept from another link, a page
posted to the wrong address, or a hand-made request. Staff forms keep their CSRF tokens.
"""
from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField

from ..config import SUPPORTED_LOCALES
from .services import page_items

ACTIONS = ("next", "back", "skip", "stay")
# `page_lang` is the language the page was shown in: when the database is down, it is the only
# way to know the patient's language (see `unavailable.py`); the save itself ignores it.
CONTROL_FIELDS = ("page_key", "action", "lang", "page_lang")
_SHOWN_CHARS = 12


class AnswerError(ValueError):
    """A page of answers that is refused as a whole; the message says which field and why."""


@dataclass(frozen=True)
class PagePost:
    answers: dict[int, int]
    action: str
    language: str | None


def page_key(token_hash: str, number: int) -> str:
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, f"questionnaire-page:{token_hash}:{number}".encode(), hashlib.sha256).hexdigest()[:32]


def parse_page(form, token_hash: str, number: int) -> PagePost:
    """Validate every field of a page POST before anything is saved; raise AnswerError otherwise."""
    if not hmac.compare_digest(form.get("page_key", ""), page_key(token_hash, number)):
        raise AnswerError(_("This form does not belong to this page of the questionnaire. "
                            "Please go back to the page and answer again."))
    items = {item.id: item for item in page_items(number)}
    for name in form:
        if name not in items and name not in CONTROL_FIELDS:
            raise AnswerError(_("The form contains “%(field)s”, which is not a question of this page.",
                                field=_shown(name)))
        if len(form.getlist(name)) > 1:
            raise AnswerError(_("The form contains “%(field)s” more than once.", field=_shown(name)))
    answers = {item.number: _value(item, form[item.id]) for code, item in items.items() if code in form}
    _language(form.get("page_lang"))
    return PagePost(answers, _action(form.get("action", "next")), _language(form.get("lang")))


def _value(item, raw: str) -> int:
    scale = item.response_scale
    if raw.isascii() and raw.isdigit() and scale.low <= int(raw) <= scale.high:
        return int(raw)
    raise AnswerError(_("Question %(number)d: “%(value)s” is not one of its answers (%(low)d to %(high)d).",
                        number=item.number, value=_shown(raw), low=scale.low, high=scale.high))


def _action(raw: str) -> str:
    if raw not in ACTIONS:
        raise AnswerError(_("Unknown button “%(action)s”.", action=_shown(raw)))
    return raw


def _language(raw: str | None) -> str | None:
    if raw is not None and raw not in SUPPORTED_LOCALES:
        raise AnswerError(_("Unknown language “%(language)s”.", language=_shown(raw)))
    return raw


def _shown(raw: str) -> str:
    return raw if len(raw) <= _SHOWN_CHARS else raw[:_SHOWN_CHARS] + "…"


class TabletStartForm(FlaskForm):
    """Staff hand the tablet over; CSRF-protected like every staff form."""

    submit = SubmitField(_l("Hand the tablet to the patient"))
