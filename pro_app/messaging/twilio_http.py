"""The HTTP client the twilio library sends through: requests' connection pool, without its per-call overhead.

``TwilioHttpClient`` goes through ``requests.Session.request``, which merges session settings,
re-reads the proxy and CA bundle environment and re-encodes every header on each call: about
half of a dispatcher's CPU per message. The library's REST calls need only what this client does:
a form or JSON body, basic auth, a timeout, no redirects and no cookies. The environment
(``HTTPS_PROXY``, ``NO_PROXY``, ``REQUESTS_CA_BUNDLE``...) is read once per API origin, and
errors are still requests' exceptions, raised by its transport adapter.
"""
from __future__ import annotations

import json
import logging
import re
from base64 import b64encode
from functools import cache
from urllib.parse import urlencode, urlsplit

import requests
from requests.structures import CaseInsensitiveDict
from requests.utils import default_headers
from twilio.http import HttpClient
from twilio.http.response import Response

_LOOPBACK = ("127.0.0.1", "localhost", "::1")
_TWILIO_BASE = re.compile(r"^https://(?:[A-Za-z0-9-]+\.)*twilio\.com(?=[/?]|$)")
_NO_BODY_METHODS = ("GET", "HEAD")

logger = logging.getLogger("twilio.http_client")


class RoutedHttpClient(HttpClient):
    """Sets a timeout (the library waits forever by default) and can point at a fake API in tests."""

    def __init__(self, timeout_seconds: float, api_base_url: str | None = None):
        super().__init__(logger, is_async=False, timeout=timeout_seconds)
        self._api_base_url = api_base_url.rstrip("/") if api_base_url else None
        self.session = requests.Session()
        if self._api_base_url and urlsplit(self._api_base_url).hostname in _LOOPBACK:
            # A loopback API (the test double) must never go through the environment's HTTP proxy.
            self.session.trust_env = False
        self._settings_by_origin: dict[tuple[str, str], dict] = {}

    def request(self, method: str, url: str, params: dict | None = None, data: dict | None = None,
                headers: dict | None = None, auth: tuple[str, str] | None = None, timeout: float | None = None,
                allow_redirects: bool = False) -> Response:
        if allow_redirects:
            raise ValueError("RoutedHttpClient does not follow redirects")  # no REST call of the library asks to
        prepared = prepare_request(method.upper(), self._route(url), params, data, headers or {}, auth)
        # The path only: a list request's query carries the phone number.
        self.logger.debug("%s %s", prepared.method, prepared.url.split("?", 1)[0])
        adapter = self.session.get_adapter(prepared.url)
        response = adapter.send(prepared, timeout=self._timeout(timeout), **self._settings(prepared.url))
        self.logger.debug("answered %s", response.status_code)
        return Response(response.status_code, response.text, response.headers)

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> RoutedHttpClient:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def _route(self, url: str) -> str:
        return _TWILIO_BASE.sub(self._api_base_url, url, count=1) if self._api_base_url else url

    def _timeout(self, timeout: float | None) -> float:
        if timeout is None:
            return self.timeout
        if timeout <= 0:
            raise ValueError(timeout)
        return timeout

    def _settings(self, url: str) -> dict:
        """Proxies, CA bundle and client certificate for this origin, as requests would find them."""
        parts = urlsplit(url)
        origin = (parts.scheme, parts.netloc)
        if origin not in self._settings_by_origin:
            self._settings_by_origin[origin] = self.session.merge_environment_settings(url, {}, False, None, None)
        return self._settings_by_origin[origin]


def prepare_request(method: str, url: str, params: dict | None, data: dict | None, headers: dict,
                    auth: tuple[str, str] | None) -> requests.PreparedRequest:
    """What ``requests.Session.prepare_request`` builds for the library's calls, minus what they never use."""
    prepared = requests.PreparedRequest()
    query = _form(params)
    prepared.method = method
    prepared.url = f"{url}{'&' if '?' in url else '?'}{query}" if query else url
    prepared.body = _body(data, headers)
    prepared.headers = CaseInsensitiveDict(_session_headers())
    prepared.headers.update(headers)
    if auth is not None:
        prepared.headers["Authorization"] = _basic_auth(*auth)
    if prepared.body is not None:
        prepared.headers["Content-Length"] = str(len(prepared.body))
    elif method not in _NO_BODY_METHODS:
        prepared.headers["Content-Length"] = "0"
    return prepared


def _body(data: dict | None, headers: dict) -> bytes | None:
    if headers.get("Content-Type", "").endswith("json"):
        return None if data is None else json.dumps(data, allow_nan=False).encode()
    form = _form(data)
    return form.encode() if form else None


def _form(fields: dict | None) -> str:
    return urlencode({key: value for key, value in (fields or {}).items() if value is not None}, doseq=True)


@cache
def _session_headers() -> dict:
    return dict(default_headers())


@cache
def _basic_auth(username: str, password: str) -> str:
    return "Basic " + b64encode(f"{username}:{password}".encode("latin1")).decode()
