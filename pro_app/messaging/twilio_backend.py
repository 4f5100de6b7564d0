"""Twilio Programmable Messaging through the official library, with outcomes classified for the outbox."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime

import requests
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.request_validator import RequestValidator
from twilio.rest import Client
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError

from .backends import FAILED, RETRY, SENT, UNKNOWN, OutgoingSms, ReconcileError, SendOutcome, scrub_phone_numbers
from .twilio_http import RoutedHttpClient

try:  # Added in twilio 9.10 for RFC 9457 error bodies.
    from twilio.base.exceptions import TwilioServiceException
except ImportError:  # pragma: no cover - older library
    TwilioServiceException = TwilioRestException

RETRY_CODES = frozenset({20429, 21611, 30001, 30003, 63017})
OPTED_OUT_CODE = 21610
ERROR_MESSAGE_MAX_LENGTH = 500  # outbound_message.last_error


class TwilioBackend:
    def __init__(self, account_sid: str, auth_token: str, from_: str | None = None,
                 messaging_service_sid: str | None = None, api_base_url: str | None = None,
                 timeout_seconds: float = 10, validity_period_seconds: int = 14400):
        self._sender = {key: value for key, value in
                        (("from_", from_), ("messaging_service_sid", messaging_service_sid)) if value}
        if not self._sender:
            raise ValueError("TwilioBackend needs from_ or messaging_service_sid")
        self._http = RoutedHttpClient(timeout_seconds, api_base_url)
        self._client = Client(account_sid, auth_token, http_client=self._http)
        self._validity_period = validity_period_seconds

    def send(self, sms: OutgoingSms) -> SendOutcome:
        extra = {"status_callback": sms.status_callback} if sms.status_callback else {}
        try:
            message = self._client.messages.create(to=sms.to, body=sms.body, validity_period=self._validity_period,
                                                   **self._sender, **extra)
        except (TwilioRestException, TwilioServiceException) as exc:
            return classify_api_error(exc)
        except requests.RequestException as exc:
            return SendOutcome(RETRY if _certainly_not_sent(exc) else UNKNOWN, error_message=_describe(exc))
        except (TwilioException, ValueError) as exc:
            # Raised after the HTTP exchange (e.g. an unreadable 2xx body): it may have been accepted.
            return SendOutcome(UNKNOWN, error_message=_describe(exc))
        return SendOutcome(SENT, provider_sid=message.sid)

    def find_sent(self, to: str, sent_after_utc: datetime, body: str) -> str | None:
        """Match by body; a trial account prefixes the text, hence ``endswith``."""
        return self.find_sent_matching(to, sent_after_utc, lambda text: text == body or text.endswith(body))

    def find_sent_matching(self, to: str, sent_after_utc: datetime, matches: Callable[[str], bool]) -> str | None:
        """Among the newest 20 messages to ``to`` sent since ``sent_after_utc``."""
        try:
            messages = self._client.messages.list(to=to, date_sent_after=sent_after_utc, limit=20)
        except (TwilioException, requests.RequestException, ValueError) as exc:
            raise ReconcileError(_describe(exc)) from None
        return next((m.sid for m in messages if m.body and matches(m.body)), None)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> TwilioBackend:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


def classify_api_error(exc: TwilioRestException | TwilioServiceException) -> SendOutcome:
    code, status = _as_int(getattr(exc, "code", None)), _as_int(getattr(exc, "status", None)) or 0
    error = {"error_code": str(code) if code else str(status), "error_message": _api_message(exc)}
    if code in RETRY_CODES or status == 429:
        return SendOutcome(RETRY, **error)
    if status >= 500:
        return SendOutcome(UNKNOWN, **error)
    return SendOutcome(FAILED, opted_out=code == OPTED_OUT_CODE, **error)


def validate_twilio_signature(auth_token: str, url: str, form: Mapping[str, str], signature: str | None) -> bool:
    """``url`` must be the public URL Twilio called (behind a TLS proxy, not ``request.url``)."""
    if not signature:
        return False
    return RequestValidator(auth_token).validate(url, form, signature)


def _certainly_not_sent(exc: requests.RequestException) -> bool:
    """Only a failure to connect proves nothing reached Twilio; a dropped connection may follow acceptance."""
    if isinstance(exc, requests.ConnectTimeout):
        return True
    if not isinstance(exc, requests.ConnectionError) or isinstance(exc, requests.Timeout):
        return False
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return isinstance(reason, (NewConnectionError, ConnectTimeoutError))


def _api_message(exc: TwilioException) -> str:
    text = getattr(exc, "msg", None) or " - ".join(filter(None, [getattr(exc, "title", None),
                                                                  getattr(exc, "detail", None)]))
    return _storable(text or type(exc).__name__)


def _describe(exc: Exception) -> str:
    return _storable(f"{type(exc).__name__}: {exc}")


def _storable(text: str) -> str:
    return scrub_phone_numbers(text)[:ERROR_MESSAGE_MAX_LENGTH]


def _as_int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
