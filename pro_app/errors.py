"""Kind error pages that show nothing internal."""
from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from werkzeug.exceptions import HTTPException

from .questionnaires.unavailable import is_patient_request, retry_page

log = logging.getLogger("pro_app.errors")
UNTRANSLATED = (429,)


def register(app: Flask) -> None:
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    for unavailable in (OperationalError, InterfaceError, PoolTimeoutError):
        app.register_error_handler(unavailable, _database_unavailable)
    app.register_error_handler(Exception, _unexpected)


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.path.startswith("/webhooks/")


def _render(status: int, description: str | None = None):
    if _wants_json():
        return jsonify(error=description or str(status)), status
    return render_template("errors/error.html", status=status, description=description), status


def _csrf_error(error: CSRFError):
    from flask_babel import gettext as _
    return _render(400, _("This form had expired or was sent twice. Please go back and try again."))


def _http_error(error: HTTPException):
    # Only a description our code wrote (already translated) is shown; Werkzeug's are English,
    # and Flask-Limiter's 429 description is the limit itself ("10 per 1 minute").
    custom = error.description if error.description != type(error).description else None
    code = error.code or 500
    return _render(code, custom if code < 500 and code not in UNTRANSLATED else None)


def _database_unavailable(error: OperationalError | InterfaceError | PoolTimeoutError):
    """503; a patient's page keeps what was posted and offers to send it again."""
    log.error("database unavailable: %s", type(error).__name__)
    return retry_page() if is_patient_request() else _render(503)


def _unexpected(error: Exception):
    log.exception("unhandled error on %s", request.endpoint)
    return _render(500)
