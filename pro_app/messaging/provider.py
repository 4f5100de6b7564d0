"""The backend named by the settings (SMS_BACKEND), built once per dispatcher."""
from __future__ import annotations

from ..config import Settings
from ..protocol import Protocol
from .backends import ConsoleBackend, SmsBackend
from .twilio_backend import TwilioBackend

STATUS_CALLBACK_PATH = "/webhooks/twilio/status"


def make_backend(settings: Settings, protocol: Protocol) -> SmsBackend:
    if settings.sms_backend != "twilio":
        return ConsoleBackend()
    return TwilioBackend(
        settings.twilio_account_sid, settings.twilio_auth_token,
        from_=settings.twilio_from or None,
        messaging_service_sid=settings.twilio_messaging_service_sid or None,
        api_base_url=settings.twilio_api_base_url or None,
        timeout_seconds=settings.twilio_timeout_seconds,
        validity_period_seconds=protocol.reminders.validity_period_minutes * 60)


def status_callback_url(settings: Settings) -> str:
    return settings.public_base_url + STATUS_CALLBACK_PATH


def close_backend(backend: SmsBackend) -> None:
    close = getattr(backend, "close", None)
    if close is not None:
        close()
