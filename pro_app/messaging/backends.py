"""What the dispatcher sends through, without knowing which provider is behind it."""
from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

SENT, RETRY, FAILED, UNKNOWN = "sent", "retry", "failed", "unknown"

_PHONE_NUMBER = re.compile(r"\+?\(?\d(?:[\s.()-]{0,2}\d){5,}")
_LINK_TOKEN = re.compile(r"/q/[^\s/?#]+")

logger = logging.getLogger("pro_app.sms")


@dataclass(frozen=True)
class OutgoingSms:
    message_id: int
    to: str  # E.164
    body: str
    status_callback: str | None = None


@dataclass(frozen=True)
class SendOutcome:
    """``status`` is one of:

    - ``sent``: accepted by the provider, ``provider_sid`` set;
    - ``retry``: transient and certainly not sent (connection refused, rate or queue limit);
    - ``failed``: permanent (invalid or landline number, unsubscribed recipient, bad credentials);
    - ``unknown``: may have been sent (timeout, 5xx); reconcile with ``find_sent``, never resend blindly.
    """
    status: str
    provider_sid: str | None = None
    error_code: str | None = None
    error_message: str | None = None
    opted_out: bool = False


class ReconcileError(RuntimeError):
    """The provider could not be asked; not the same as "not found", so the row stays unknown."""


class SmsBackend(Protocol):
    def send(self, sms: OutgoingSms) -> SendOutcome: ...

    def find_sent(self, to: str, sent_after_utc: datetime, body: str) -> str | None:
        """The provider sid of a message already accepted, or None; raises ReconcileError."""
        ...

    def find_sent_matching(self, to: str, sent_after_utc: datetime, matches: Callable[[str], bool]) -> str | None:
        """Like ``find_sent``, recognising the message by a test on its text (e.g. its link)."""
        ...


def scrub_phone_numbers(text: str | None) -> str | None:
    """Provider error messages often quote the number; they are stored and logged, the number must not be."""
    return None if text is None else _PHONE_NUMBER.sub("<number>", text)


def redact_link_tokens(text: str) -> str:
    return _LINK_TOKEN.sub("/q/<redacted>", text)


class ConsoleBackend:
    """Development backend: logs the text (token redacted, never the number) and reports it sent."""

    def send(self, sms: OutgoingSms) -> SendOutcome:
        logger.info("console SMS message_id=%s body=%s", sms.message_id, redact_link_tokens(sms.body))
        return SendOutcome(SENT, provider_sid=f"console-{sms.message_id}-{uuid.uuid4().hex}")

    def find_sent(self, to: str, sent_after_utc: datetime, body: str) -> str | None:
        return None

    def find_sent_matching(self, to: str, sent_after_utc: datetime, matches: Callable[[str], bool]) -> str | None:
        return None
