"""Logs carry ids, never phone numbers or link tokens."""
from __future__ import annotations

import logging
import re

from flask import Flask

TOKEN_PATH = re.compile(r"/q/[A-Za-z0-9_\-]{8,}")
PHONE = re.compile(r"\+\d{8,15}\b|\b0\d(?:[ .\-]?\d{2}){4}\b")


class RedactingFilter(logging.Filter):
    """Last line of defence: scrub link tokens and phone-like numbers from every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = PHONE.sub("<redacted-number>", TOKEN_PATH.sub("/q/<redacted>", message))
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def configure(app: Flask) -> None:
    redactor = RedactingFilter()
    for name in ("werkzeug", "pro_app", "gunicorn.access", "gunicorn.error"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactingFilter) for f in logger.filters):
            logger.addFilter(redactor)
    logging.getLogger("pro_app").setLevel(logging.INFO)
    # Their debug lines carry full request URLs (phone numbers in Twilio list queries).
    for chatty in ("urllib3", "twilio", "twilio.http_client"):
        logging.getLogger(chatty).setLevel(logging.WARNING)
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
