"""Typed settings read once from the environment; a mistake stops start-up with one clear line."""
from __future__ import annotations

import base64
import math
import os
import string
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from .audit.keys import DEV_AUDIT_KEY, AuditKeyError, parse_keyring

SUPPORTED_LOCALES = ("fr", "en")
DEV_SECRET_KEY = "dev-only-secret-key-change-me"  # nosec B105  # refused outside development by validate()
# A fixed key so that the embedded demo works out of the box; refused outside development.
DEV_PHONE_KEY = base64.urlsafe_b64encode(b"pro_app-development-phone-key-32").decode()
REPO_ROOT = Path(__file__).resolve().parent.parent
SECRET_BITS = 256  # 32 random bytes
GENERATE_SECRET = "python -c 'import secrets; print(secrets.token_urlsafe(32))'"  # nosec B105  # a command


class ConfigError(Exception):
    """A setting is wrong; the message names it."""


@dataclass(frozen=True)
class Settings:
    environment: str
    database_url: str
    secret_key: str
    phone_key: str
    public_base_url: str
    sms_backend: str
    twilio_account_sid: str
    twilio_auth_token: str
    twilio_from: str
    twilio_messaging_service_sid: str
    twilio_api_base_url: str
    twilio_timeout_seconds: float
    default_locale: str
    study_timezone: str
    protocol_file: Path
    instance_path: Path
    rate_limit_storage_uri: str
    idle_logout_minutes: int
    audit_anchor_file: Path
    audit_key: str = DEV_AUDIT_KEY
    audit_previous_keys: str = ""
    trusted_proxy_count: int = 0
    database_pool_size: int = 5
    database_max_overflow: int = 5
    database_pool_timeout_seconds: float = 10.0
    mail_backend: str = "console"
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_security: str = "starttls"
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_timeout_seconds: float = 10.0
    mail_from: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def is_development(self) -> bool:
        return self.environment in ("development", "test")

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def _env(environ, name: str, default: str = "") -> str:
    return environ.get(name, default).strip()


def load_settings(environ=None, overrides: dict | None = None) -> Settings:
    """Read settings from the environment (or a given mapping), then validate them."""
    environ = dict(os.environ if environ is None else environ)
    environ.update({k: str(v) for k, v in (overrides or {}).items()})
    instance_path = Path(_env(environ, "INSTANCE_PATH", str(REPO_ROOT / "instance")))
    settings = Settings(
        environment=_env(environ, "PRO_APP_ENV", "development"),
        database_url=_env(environ, "DATABASE_URL", f"sqlite:///{instance_path / 'pro_app.sqlite3'}"),
        secret_key=_env(environ, "SECRET_KEY", DEV_SECRET_KEY),
        phone_key=_env(environ, "PHONE_ENCRYPTION_KEY", DEV_PHONE_KEY),
        public_base_url=_env(environ, "PUBLIC_BASE_URL", "http://127.0.0.1:5000").rstrip("/"),
        sms_backend=_env(environ, "SMS_BACKEND", "console"),
        twilio_account_sid=_env(environ, "TWILIO_ACCOUNT_SID"),
        twilio_auth_token=_env(environ, "TWILIO_AUTH_TOKEN"),
        twilio_from=_env(environ, "TWILIO_FROM"),
        twilio_messaging_service_sid=_env(environ, "TWILIO_MESSAGING_SERVICE_SID"),
        twilio_api_base_url=_env(environ, "TWILIO_API_BASE_URL"),
        twilio_timeout_seconds=_number(environ, "TWILIO_TIMEOUT_SECONDS", "10"),
        default_locale=_env(environ, "DEFAULT_LOCALE", "fr"),
        study_timezone=_env(environ, "STUDY_TIMEZONE", "Europe/Paris"),
        protocol_file=Path(_env(environ, "STUDY_PROTOCOL_FILE", str(REPO_ROOT / "pro_app/protocol/step.yaml"))),
        instance_path=instance_path,
        rate_limit_storage_uri=_env(environ, "RATE_LIMIT_STORAGE_URI", "memory://"),
        idle_logout_minutes=_integer(environ, "IDLE_LOGOUT_MINUTES", "30"),
        audit_anchor_file=Path(_env(environ, "AUDIT_ANCHOR_FILE", str(instance_path / "audit-anchors.jsonl"))),
        audit_key=_env(environ, "AUDIT_KEY", DEV_AUDIT_KEY),
        audit_previous_keys=_env(environ, "AUDIT_PREVIOUS_KEYS"),
        trusted_proxy_count=_integer(environ, "TRUSTED_PROXY_COUNT", "0"),
        database_pool_size=_integer(environ, "DATABASE_POOL_SIZE", "5"),
        database_max_overflow=_integer(environ, "DATABASE_MAX_OVERFLOW", "5"),
        database_pool_timeout_seconds=_number(environ, "DATABASE_POOL_TIMEOUT_SECONDS", "10"),
        mail_backend=_env(environ, "MAIL_BACKEND", "console"),
        smtp_host=_env(environ, "SMTP_HOST"),
        smtp_port=_integer(environ, "SMTP_PORT", "587"),
        smtp_security=_env(environ, "SMTP_SECURITY", "starttls"),
        smtp_username=_env(environ, "SMTP_USERNAME"),
        smtp_password=_env(environ, "SMTP_PASSWORD"),
        smtp_timeout_seconds=_number(environ, "SMTP_TIMEOUT_SECONDS", "10"),
        mail_from=_env(environ, "MAIL_FROM"),
    )
    validate(settings)
    return settings


def _number(environ, name: str, default: str) -> float:
    return _converted(environ, name, default, float, "a number")


def _integer(environ, name: str, default: str) -> int:
    return _converted(environ, name, default, int, "a whole number")


def _converted(environ, name: str, default: str, convert, expected: str):
    raw = _env(environ, name, default)
    try:
        return convert(raw)
    except ValueError:
        raise ConfigError(f"{name}: expected {expected}, got {raw!r}") from None


def validate(s: Settings) -> None:
    if s.environment not in ("development", "test", "production"):
        raise ConfigError(f"PRO_APP_ENV: must be development, test or production, got {s.environment!r}")
    _validate_database_url(s.database_url)
    if not s.is_development and s.secret_key in ("", DEV_SECRET_KEY):
        raise ConfigError("SECRET_KEY: set a long random value; the development default is refused in production")
    if not s.is_development and s.phone_key in ("", DEV_PHONE_KEY):
        raise ConfigError("PHONE_ENCRYPTION_KEY: set a Fernet key; the development default is refused in production")
    _validate_fernet_key(s.phone_key)
    _validate_audit_keys(s)
    if not s.public_base_url.startswith(("http://", "https://")):
        raise ConfigError(f"PUBLIC_BASE_URL: must start with http:// or https://, got {s.public_base_url!r}")
    if not s.is_development:
        _validate_production(s)
    if s.sms_backend not in ("console", "twilio"):
        raise ConfigError(f"SMS_BACKEND: must be console or twilio, got {s.sms_backend!r}")
    if s.sms_backend == "twilio":
        _validate_twilio(s)
    _validate_mail(s)
    if s.default_locale not in SUPPORTED_LOCALES:
        raise ConfigError(f"DEFAULT_LOCALE: must be one of {', '.join(SUPPORTED_LOCALES)}, got {s.default_locale!r}")
    _validate_timezone(s.study_timezone)
    if not s.protocol_file.is_file():
        raise ConfigError(f"STUDY_PROTOCOL_FILE: no such file: {s.protocol_file}")
    if not 0 <= s.trusted_proxy_count <= 5:
        raise ConfigError("TRUSTED_PROXY_COUNT: the number of reverse proxies in front of the app, 0 to 5")
    if s.idle_logout_minutes < 1:
        raise ConfigError("IDLE_LOGOUT_MINUTES: must be at least 1")
    _validate_pool(s)


def _validate_production(s: Settings) -> None:
    _validate_secret("SECRET_KEY", s.secret_key)
    if not _looks_random(base64.urlsafe_b64decode(s.phone_key.encode())):
        raise ConfigError("PHONE_ENCRYPTION_KEY: not random (a repeated or sequential pattern); generate one with "
                          "python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'")
    if not s.public_base_url.startswith("https://"):
        raise ConfigError(f"PUBLIC_BASE_URL: must start with https:// in production (the patients' links and the "
                          f"session cookie travel over it), got {s.public_base_url!r}")


def _validate_secret(name: str, value: str) -> None:
    """At least 32 random bytes (256 bits) in any text form: 43 url-safe base64 characters, 64 hex
    digits, 52 base32 characters... The bits are estimated as length × log2 of the smallest usual
    alphabet holding every character used, and an obvious pattern is refused (`_looks_random`).
    """
    bits = len(value) * math.log2(_alphabet_size(value)) if value else 0
    if bits < SECRET_BITS:
        raise ConfigError(f"{name}: must hold at least 32 random bytes (256 bits; this value has about {bits:.0f}): "
                          f"use 43 url-safe base64 characters or 64 hex digits, e.g. from {GENERATE_SECRET}")
    if not _looks_random(value):
        raise ConfigError(f"{name}: not random (a repeated or sequential pattern, or few distinct characters); "
                          f"generate one with {GENERATE_SECRET}")


_ALPHABETS = [string.digits, "0123456789abcdef", "0123456789ABCDEF", string.ascii_uppercase + "234567",
              string.digits + string.ascii_lowercase, string.digits + string.ascii_uppercase,
              string.digits + string.ascii_letters, string.digits + string.ascii_letters + "-_",
              string.digits + string.ascii_letters + "+/="]


def _alphabet_size(value: str) -> int:
    used = set(value)
    return next((len(alphabet) for alphabet in _ALPHABETS if used <= set(alphabet)), 95)  # 95: printable ASCII


def _looks_random(value: str | bytes) -> bool:
    """False for what no random generator gives in practice: few distinct symbols, one symbol
    in more than a quarter of the places, a repeated block, or a run of 10 consecutive symbols (abcdefghij)."""
    codes = list(value.encode() if isinstance(value, str) else value)
    periodic = len(codes) > 1 and bytes(codes) in (bytes(codes) * 2)[1:-1]
    dominant = max(codes.count(code) for code in set(codes)) * 4 > len(codes)
    return len(set(codes)) >= 10 and not periodic and not dominant and not _has_sequence(codes, 10)


def _has_sequence(codes: list[int], length: int) -> bool:
    steps = [b - a for a, b in zip(codes, codes[1:])]
    return any(len(set(steps[i:i + length - 1])) == 1 and abs(steps[i]) == 1 for i in range(len(steps) - length + 2))


def _validate_pool(s: Settings) -> None:
    if s.database_pool_size < 1:
        raise ConfigError("DATABASE_POOL_SIZE: must be at least 1")
    if s.database_max_overflow < 0:
        raise ConfigError("DATABASE_MAX_OVERFLOW: must be 0 or more")
    if s.database_pool_timeout_seconds <= 0:
        raise ConfigError("DATABASE_POOL_TIMEOUT_SECONDS: must be more than 0")


def _validate_database_url(url: str) -> None:
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ConfigError(f"DATABASE_URL: not a database URL: {url!r}") from None
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise ConfigError(f"DATABASE_URL: only sqlite and postgresql are supported, got {parsed.drivername!r}")


def _validate_fernet_key(key: str) -> None:
    try:
        raw = base64.urlsafe_b64decode(key.encode())
    except ValueError:
        raw = b""
    if len(raw) != 32:
        raise ConfigError("PHONE_ENCRYPTION_KEY: must be a Fernet key (32 bytes, url-safe base64)")


def _validate_audit_keys(s: Settings) -> None:
    try:
        keys = parse_keyring(s.audit_key, s.audit_previous_keys)
    except AuditKeyError as exc:
        raise ConfigError(str(exc)) from None
    if not s.is_development and keys.has_dev_key:
        raise ConfigError("AUDIT_KEY: required in production, as <id>:<base64 of 32 random bytes>; the "
                          "development key is refused there (in AUDIT_PREVIOUS_KEYS too)")
    folder = s.audit_anchor_file.parent
    if folder != s.instance_path and not folder.is_dir():
        raise ConfigError(f"AUDIT_ANCHOR_FILE: no such folder: {folder}")


def _validate_twilio(s: Settings) -> None:
    for name, value in (("TWILIO_ACCOUNT_SID", s.twilio_account_sid), ("TWILIO_AUTH_TOKEN", s.twilio_auth_token)):
        if not value:
            raise ConfigError(f"{name}: required when SMS_BACKEND=twilio")
    if not (s.twilio_from or s.twilio_messaging_service_sid):
        raise ConfigError("TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID: one is required when SMS_BACKEND=twilio")


def _validate_timezone(name: str) -> None:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"STUDY_TIMEZONE: unknown time zone {name!r}") from None


def _validate_mail(s: Settings) -> None:
    """The review e-mails: console (logged) by default, or SMTP with a host and a sender."""
    if s.mail_backend not in ("console", "smtp"):
        raise ConfigError(f"MAIL_BACKEND: must be console or smtp, got {s.mail_backend!r}")
    if s.smtp_security not in ("starttls", "ssl", "none"):
        raise ConfigError(f"SMTP_SECURITY: must be starttls, ssl or none, got {s.smtp_security!r}")
    if not 1 <= s.smtp_port <= 65535:
        raise ConfigError(f"SMTP_PORT: must be 1 to 65535, got {s.smtp_port}")
    if s.smtp_timeout_seconds <= 0:
        raise ConfigError("SMTP_TIMEOUT_SECONDS: must be more than 0")
    if bool(s.smtp_username) != bool(s.smtp_password):
        raise ConfigError("SMTP_USERNAME, SMTP_PASSWORD: set both (to sign in to the SMTP server) or neither")
    if s.mail_backend != "smtp":
        return
    if not s.smtp_host:
        raise ConfigError("SMTP_HOST: required when MAIL_BACKEND is smtp")
    if "@" not in s.mail_from or any(c.isspace() for c in s.mail_from):
        raise ConfigError(f"MAIL_FROM: the sender's address (name@domain) is required when MAIL_BACKEND is smtp, "
                          f"got {s.mail_from!r}")
    if s.smtp_password and s.smtp_security == "none":
        raise ConfigError("SMTP_SECURITY: none would send SMTP_PASSWORD in clear; use starttls or ssl")
