"""Twilio webhooks: delivery status callbacks and inbound SMS, both signed by Twilio.

The signature covers the URL Twilio called, which is the public one: behind a TLS proxy the
app sees http://internal-host/..., so the URL is rebuilt from PUBLIC_BASE_URL, never read
from the request. An invalid signature gets 403 and changes nothing. Both webhooks apply a
message once: a repeated delivery (Twilio retrying, or a captured request replayed) gets the
same answer and changes nothing.
"""
from __future__ import annotations

import logging
import re

from flask import Blueprint, Response, abort, current_app, request

from ..extensions import csrf, db
from .callbacks import apply_status
from .inbound import apply_inbound
from .twilio_backend import validate_twilio_signature

bp = Blueprint("twilio_webhooks", __name__, url_prefix="/webhooks/twilio")
csrf.exempt(bp)  # Twilio cannot send our CSRF token; the signature authenticates instead
log = logging.getLogger("pro_app.sms")
_SID = re.compile(r"[A-Za-z0-9]{2,64}")
_ERROR_CODE = re.compile(r"[0-9]{1,20}")
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


def _public_url() -> str:
    query = request.query_string.decode()
    return current_app.extensions["pro_app.settings"].public_base_url + request.path + (f"?{query}" if query else "")


@bp.before_request
def _require_twilio_signature():
    token = current_app.extensions["pro_app.settings"].twilio_auth_token
    if not token or not validate_twilio_signature(token, _public_url(), request.form,
                                                  request.headers.get("X-Twilio-Signature")):
        log.warning("rejected a Twilio webhook with an invalid signature on %s", request.path)
        abort(403)


@bp.post("/status")
def status():
    form = request.form
    sid, error_code = _message_sid(), form.get("ErrorCode") or None
    if error_code is not None and not _ERROR_CODE.fullmatch(error_code):
        abort(400, description="ErrorCode must be a number of at most 20 digits")
    result = apply_status(sid, form.get("MessageStatus", ""), error_code)
    db.session.commit()
    log.info("status callback sid=%s status=%s %s", sid, form.get("MessageStatus"), result)
    return Response(status=204)


@bp.post("/inbound")
def inbound():
    sid, form = _message_sid(), request.form
    result = apply_inbound(sid, form.get("From"), form.get("Body"), form.get("OptOutType"))
    db.session.commit()
    if result.duplicate:
        log.warning("inbound SMS sid=%s was applied before; this delivery changed nothing", sid)
    else:
        log.info("inbound SMS sid=%s keyword=%s matched %d patient(s)", sid, result.action, result.patients)
    return Response(EMPTY_TWIML, mimetype="text/xml")


def _message_sid() -> str:
    """Twilio's id of the message, which makes a repeated delivery recognisable; required."""
    sid = request.form.get("MessageSid", "")
    if not _SID.fullmatch(sid):
        abort(400, description="MessageSid is missing or is not a Twilio message id (letters and digits, "
                               "at most 64)")
    return sid
