"""Twilio webhooks: delivery status callbacks and inbound SMS, both signed by Twilio.

The signature covers the URL Twilio called, which is the public one: behind a TLS proxy the
app sees http://internal-host/..., so the URL is rebuilt from PUBLIC_BASE_URL, never read
from the request. An invalid signature gets 403 and changes nothing.
"""
from __future__ import annotations

import logging

from flask import Blueprint, Response, abort, current_app, request

from ..extensions import csrf, db
from .callbacks import apply_inbound, apply_status
from .twilio_backend import validate_twilio_signature

bp = Blueprint("twilio_webhooks", __name__, url_prefix="/webhooks/twilio")
csrf.exempt(bp)  # Twilio cannot send our CSRF token; the signature authenticates instead
log = logging.getLogger("pro_app.sms")
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
    changed = apply_status(form.get("MessageSid", ""), form.get("MessageStatus", ""), form.get("ErrorCode"))
    db.session.commit()
    log.info("status callback sid=%s status=%s applied=%s", form.get("MessageSid"), form.get("MessageStatus"),
             changed)
    return Response(status=204)


@bp.post("/inbound")
def inbound():
    found = apply_inbound(request.form.get("From"), request.form.get("Body"))
    db.session.commit()
    log.info("inbound SMS sid=%s matched %d patient(s)", request.form.get("MessageSid"), found)
    return Response(EMPTY_TWIML, mimetype="text/xml")
