"""Template helpers shared by every feature."""
from __future__ import annotations

from flask import Flask, request, url_for
from flask_babel import format_decimal, get_locale
from flask_babel import lazy_gettext as _l

ROLE_LABELS = {
    "nurse": _l("Research nurse / CRA"),
    "investigator": _l("Investigator"),
    "data_manager": _l("Data manager"),
    "admin": _l("Administrator"),
}
ERROR_TITLES = {
    400: _l("Something in the request was not right"),
    401: _l("Please sign in"),
    403: _l("You do not have access to this page"),
    404: _l("Page not found"),
    405: _l("This action is not allowed here"),
    409: _l("Someone else changed this record"),
    413: _l("What was sent is too large"),
    429: _l("Too many attempts"),
    503: _l("The service is briefly unavailable"),
}
ERROR_ADVICE = {
    429: _l("Please wait a minute, then try again."),
    503: _l("Nothing you entered is lost. Please try again in a moment."),
}


def page_locale() -> str:
    return str(get_locale() or "fr")


def language_switch_url(code: str) -> str:
    args = dict(request.view_args or {})
    args.update(request.args.to_dict())
    args["lang"] = code
    endpoint = request.endpoint or "main.index"
    return url_for(endpoint, **args) if request.method == "GET" else url_for("main.index", lang=code)


def error_title(status: int) -> str:
    return str(ERROR_TITLES.get(status, _l("Something went wrong on our side")))


def error_advice(status: int) -> str:
    default = _l("If this keeps happening, please contact your study site.")
    return str(ERROR_ADVICE.get(status, default))


def score_number(value: float | None) -> str:
    """A score or value for a person to read: at most one decimal, in the page's locale (26.9 / 26,9).

    Scores are stored at full precision and rounded only here."""
    return "" if value is None else format_decimal(round(value, 1), format="0.#")


def role_label(role: str) -> str:
    return str(ROLE_LABELS.get(role, role))


def configure(app: Flask) -> None:
    app.jinja_env.globals.update(page_locale=page_locale, language_switch_url=language_switch_url,
                                 error_title=error_title, error_advice=error_advice, role_label=role_label,
                                 score_number=score_number)
