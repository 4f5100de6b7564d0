"""HTTP hardening: headers on every response, cookies, CSRF and rate limits."""
from __future__ import annotations

from flask import Flask, request
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from . import escaping
from .config import ConfigError, Settings
from .extensions import csrf, limiter

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
HSTS = "max-age=31536000; includeSubDomains"
# Counters kept in one worker's memory let every extra worker multiply the allowed attempts.
PER_PROCESS_STORES = ("memory://",)


def configure(app: Flask, settings: Settings) -> None:
    _refuse_unsafe_production(app, settings)
    app.url_map.converters["int"] = DatabaseInteger
    https = settings.public_base_url.startswith("https://")
    app.config.update(_cookie_settings(https))
    app.config.update(
        WTF_CSRF_TIME_LIMIT=None,  # a paused form must never fail on an expired token
        RATELIMIT_STORAGE_URI=settings.rate_limit_storage_uri,
        RATELIMIT_HEADERS_ENABLED=True,
        # A store that is briefly down must not turn every page into an error; it is logged.
        RATELIMIT_SWALLOW_ERRORS=not settings.is_development,
        RATELIMIT_ENABLED=settings.environment != "test" or bool(settings.extra.get("rate_limits")),
    )
    from .ratelimit import storage  # noqa: F401  registers the database:// store with `limits`
    csrf.init_app(app)
    limiter.init_app(app)
    app.after_request(lambda response: _harden(response, https))
    _trust_proxies(app, settings.trusted_proxy_count)
    escaping.configure(app)


def _trust_proxies(app: Flask, count: int) -> None:
    """Read the client address and scheme from the headers of exactly `count` reverse proxies.

    Without this, behind a proxy every request comes from the proxy's address, so one client
    reaching a rate limit would block everybody; with it, a header sent by the client itself
    is never believed beyond what the last proxies added.
    """
    if count:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)


class DatabaseInteger(IntegerConverter):
    """`<int:…>` up to the largest integer column value: a longer number is a 404, not a driver overflow."""

    def __init__(self, map, fixed_digits=0, min=None, max=2**31 - 1, signed=False):  # noqa: A002  Werkzeug's names
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def _cookie_settings(https: bool) -> dict:
    settings = dict(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",  # Strict would drop the session when a patient opens the SMS link
        SESSION_COOKIE_SECURE=https,
        REMEMBER_COOKIE_SECURE=https,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
    )
    if https:
        # The __Host- prefix makes browsers refuse the cookie unless Secure, Path=/ and host-only.
        settings["SESSION_COOKIE_NAME"] = "__Host-session"
    return settings


def _refuse_unsafe_production(app: Flask, settings: Settings) -> None:
    if settings.environment != "production":
        return
    if app.debug:
        raise ConfigError("FLASK_DEBUG: the debugger runs code sent by the browser; never enable it in production")
    if settings.rate_limit_storage_uri.startswith(PER_PROCESS_STORES):
        raise ConfigError("RATE_LIMIT_STORAGE_URI: memory:// counts per worker; use database:// (this app's "
                          "database) or redis://host:6379/0 in production")


def _harden(response, https: bool):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers["Referrer-Policy"] = "no-referrer"
    headers["X-Content-Type-Options"] = "nosniff"
    headers["X-Frame-Options"] = "DENY"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["Cross-Origin-Resource-Policy"] = "same-origin"
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if https or request.is_secure:
        headers["Strict-Transport-Security"] = HSTS
    if not (request.endpoint or "").startswith("static"):
        # Every page, download and API answer may carry personal or study data: no cache keeps
        # a copy, not even send_file's revalidated one (no-cache). Only static assets are cached.
        headers["Cache-Control"] = "no-store"
    return response
