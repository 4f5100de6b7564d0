"""A fake Twilio REST API (Messages only) on 127.0.0.1 for the real ``twilio`` library to talk to.

    with FakeTwilio() as fake:
        backend = TwilioBackend(fake.account_sid, fake.auth_token, from_="STEP",
                                api_base_url=fake.base_url)

``fail_next`` applies to message creations only; a failed creation records nothing. With
``delay_seconds`` the message is recorded first and answered late, like a slow API that
accepted it anyway.
"""
from __future__ import annotations

import base64
from collections import deque
import json
import re
import secrets
import socket
import sys
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

from pro_app.messaging.encoding import analyse_sms

API = "/2010-04-01"
_MESSAGES = re.compile(r"^/2010-04-01/Accounts/(?P<account>AC\w+)/Messages(?:/(?P<sid>SM\w+))?\.json$")
_E164 = re.compile(r"^\+[1-9]\d{6,14}$")
_ERROR_TEXT = {
    20003: "Authenticate", 20404: "The requested resource {path} was not found",
    20429: "Too Many Requests", 20500: "An internal server error has occurred",
    20503: "Service is unavailable. Please try again", 21211: "The 'To' number {to} is not a valid phone number.",
    21602: "Message body is required.", 21603: "A 'From' phone number is required.",
    21604: "A 'To' phone number is required.", 21608: "The number {to} is unverified. Trial accounts cannot "
    "send messages to unverified numbers; verify {to} at twilio.com/user/account/phone-numbers/verified.",
    21610: "Attempt to send to unsubscribed recipient", 21611: "This 'From' number has exceeded the maximum "
    "number of queued messages", 21614: "'To' number {to} is not a valid mobile number",
    21617: "The concatenated message body exceeds the 1600 character limit",
    21635: "'To' number {to} cannot be a landline", 30001: "Queue overflow",
    30003: "Unreachable destination handset", 30006: "Landline or unreachable carrier",
    63017: "Rate limit exceeded",
}
_CODE_FOR_STATUS = {401: 20003, 404: 20404, 429: 20429, 500: 20500, 503: 20503}


@dataclass(frozen=True)
class AcceptedMessage:
    sid: str
    to: str
    from_: str | None
    messaging_service_sid: str | None
    body: str
    status_callback: str | None
    validity_period: int | None
    created: datetime  # aware UTC; the fake "sends" at once, so also the date sent


class FakeTwilio:
    def __init__(self, account_sid: str | None = None, auth_token: str | None = None):
        self.account_sid = account_sid or "AC" + secrets.token_hex(16)
        self.auth_token = auth_token or secrets.token_hex(16)
        self.delay_seconds = 0.0
        self.reject_numbers: dict[str, int] = {}
        self._lock = threading.Lock()
        self._messages: list[AcceptedMessage] = []
        self._by_sid: dict[str, AcceptedMessage] = {}
        self._failures: deque[tuple[int, int | None]] = deque()
        self._requests_count = 0
        self._server: _Server | None = None

    # -- control ---------------------------------------------------------------------------
    def start(self) -> FakeTwilio:
        self._server = _Server(("127.0.0.1", 0), _Handler, fake=self)
        threading.Thread(target=self._server.serve_forever, args=(0.05,), name="fake-twilio", daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.close_connections()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeTwilio:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def fail_next(self, count: int = 1, status: int = 500, code: int | None = None) -> None:
        with self._lock:
            self._failures.extend([(status, code)] * count)

    @property
    def messages(self) -> list[AcceptedMessage]:
        with self._lock:
            return list(self._messages)

    @property
    def requests_count(self) -> int:
        return self._requests_count

    # -- behaviour, called from handler threads --------------------------------------------
    def _count_request(self) -> None:
        with self._lock:
            self._requests_count += 1

    def _next_failure(self) -> tuple[int, int | None] | None:
        with self._lock:
            return self._failures.popleft() if self._failures else None

    def _accept(self, form: dict[str, str]) -> AcceptedMessage:
        validity = form.get("ValidityPeriod")
        message = AcceptedMessage(
            sid="SM" + secrets.token_hex(16), to=form["To"], from_=form.get("From"),
            messaging_service_sid=form.get("MessagingServiceSid"), body=form["Body"],
            status_callback=form.get("StatusCallback"), validity_period=int(validity) if validity else None,
            created=datetime.now(timezone.utc).replace(microsecond=0))
        with self._lock:
            self._messages.append(message)
            self._by_sid[message.sid] = message
        return message

    def _find(self, sid: str) -> AcceptedMessage | None:
        with self._lock:
            return self._by_sid.get(sid)

    def _matching(self, query: dict[str, str]) -> list[AcceptedMessage]:
        after = _parse_when(query.get("DateSent>"))
        before = _parse_when(query.get("DateSent<"), day_inclusive=True)
        with self._lock:
            found = [m for m in self._messages if query.get("To", m.to) == m.to
                     and query.get("From", m.from_) == m.from_
                     and (after is None or m.created >= after) and (before is None or m.created < before)]
        return found[::-1]  # newest first, as Twilio lists them

    def resource(self, message: AcceptedMessage, status: str = "sent") -> dict:
        uri = f"{API}/Accounts/{self.account_sid}/Messages/{message.sid}"
        created = format_datetime(message.created)
        encoding = analyse_sms(message.body)
        return {
            "account_sid": self.account_sid, "api_version": "2010-04-01", "body": message.body,
            "date_created": created, "date_updated": created,
            "date_sent": created if status == "sent" else None, "direction": "outbound-api",
            "error_code": None, "error_message": None, "from": message.from_,
            "messaging_service_sid": message.messaging_service_sid, "num_media": "0",
            "num_segments": str(encoding.segments), "price": None, "price_unit": "USD",
            "sid": message.sid, "status": status, "to": message.to, "uri": uri + ".json",
            "subresource_uris": {"media": uri + "/Media.json", "feedback": uri + "/Feedback.json"},
        }

    def error_body(self, status: int, code: int | None, **fields) -> dict:
        code = code or _CODE_FOR_STATUS.get(status, 20001)
        message = _ERROR_TEXT.get(code, "Error {code}").format(code=code, **fields)
        body = {"code": code, "message": message, "more_info": f"https://www.twilio.com/docs/errors/{code}",
                "status": status}
        if code == 20003:
            body["detail"] = "Your AccountSid or AuthToken was incorrect."
        return body


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address, handler, fake: FakeTwilio):
        super().__init__(address, handler)
        self.fake = fake
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()

    def process_request(self, request, client_address):
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request):
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """Kept-alive connections would otherwise leave handler threads blocked on a read."""
        with self._connections_lock:
            for connection in list(self._connections):
                try:
                    connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def handle_error(self, request, client_address):
        # A client that timed out has gone away: expected, not worth a traceback.
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: the benchmark sends thousands of messages
    disable_nagle_algorithm = True  # else each kept-alive reply waits ~40 ms for a delayed ACK
    server: _Server

    def log_message(self, format, *args):
        """Quiet: tests read the fake's state, not its access log."""

    def parse_request(self) -> bool:
        """HTTP/1.1 requests only, with headers read into a plain dict: the standard parser runs the
        email package over every header block, which was half of this fake's CPU in the benchmark."""
        self.command, self.request_version, self.close_connection = None, "HTTP/1.1", True
        self.requestline = self.raw_requestline.decode("iso-8859-1").rstrip("\r\n")
        words = self.requestline.split()
        if len(words) != 3 or words[2] != "HTTP/1.1":
            self.send_error(400, "Bad request line")
            return False
        self.command, self.path, _ = words
        self.headers = _read_headers(self.rfile)
        if self.headers is None:
            self.send_error(431, "Too many or too long headers")
            return False
        self.close_connection = self.headers.get("connection", "").lower() == "close"
        return True

    def do_POST(self):
        # Read the body even when refusing, or it would be parsed as the next kept-alive request.
        length = int(self.headers.get("content-length") or 0)
        form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode(), keep_blank_values=True).items()}
        if self._refused():
            return
        failure = self.server.fake._next_failure()
        if failure:
            status, code = failure
            return self._error(status, code, to=form.get("To", ""))
        invalid = _invalid(form, self.server.fake.reject_numbers)
        if invalid:
            return self._error(400, invalid, to=form.get("To", ""))
        message = self.server.fake._accept(form)
        time.sleep(self.server.fake.delay_seconds)
        queued = "accepted" if message.messaging_service_sid else "queued"
        self._json(201, self.server.fake.resource(message, status=queued))

    def do_GET(self):
        if self._refused():
            return
        match, query = self._route()
        if match.group("sid"):
            message = self.server.fake._find(match.group("sid"))
            if message is None:
                return self._error(404, None, path=self.path.split("?")[0])
            return self._json(200, self.server.fake.resource(message))
        self._json(200, self._page(query))

    # -- helpers -------------------------------------------------------------------------
    def _refused(self) -> bool:
        self.server.fake._count_request()
        match, _ = self._route()
        if match is None:
            self._error(404, None, path=self.path.split("?")[0])
            return True
        if match.group("account") != self.server.fake.account_sid or not self._authorised():
            self._error(401, 20003)
            return True
        return False

    def _route(self):
        parts = urlsplit(self.path)
        return _MESSAGES.match(parts.path), {k: v[0] for k, v in parse_qs(parts.query).items()}

    def _authorised(self) -> bool:
        fake = self.server.fake
        expected = base64.b64encode(f"{fake.account_sid}:{fake.auth_token}".encode()).decode()
        return secrets.compare_digest(self.headers.get("authorization", ""), f"Basic {expected}")

    def _page(self, query: dict[str, str]) -> dict:
        fake = self.server.fake
        size, number = int(query.get("PageSize", 50)), int(query.get("Page", 0))
        found = fake._matching(query)
        chunk = found[number * size:(number + 1) * size]
        base = f"{API}/Accounts/{fake.account_sid}/Messages.json"
        filters = {k: v for k, v in query.items() if k not in ("Page", "PageSize", "PageToken")}

        def page_uri(n: int) -> str:
            return f"{base}?{urlencode({**filters, 'PageSize': size, 'Page': n})}"

        has_next = (number + 1) * size < len(found)
        return {"messages": [fake.resource(m) for m in chunk], "page": number, "page_size": size,
                "start": number * size, "end": number * size + max(len(chunk) - 1, 0),
                "uri": page_uri(number), "first_page_uri": page_uri(0),
                "next_page_uri": page_uri(number + 1) if has_next else None,
                "previous_page_uri": page_uri(number - 1) if number else None}

    def _error(self, status: int, code: int | None, **fields) -> None:
        fields.setdefault("to", "")
        fields.setdefault("path", self.path)
        self._json(status, self.server.fake.error_body(status, code, **fields))

    def _json(self, status: int, payload: dict) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def _read_headers(stream, max_count: int = 100, max_length: int = 65536) -> dict[str, str] | None:
    """Header names lower-cased; None if there are too many or one is too long."""
    headers = {}
    for _ in range(max_count):
        line = stream.readline(max_length + 1)
        if len(line) > max_length:
            return None
        if line in (b"\r\n", b"\n", b""):
            return headers
        name, _, value = line.decode("iso-8859-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    return None


def _invalid(form: dict[str, str], reject_numbers: dict[str, int]) -> int | None:
    if not form.get("To"):
        return 21604
    if not form.get("Body"):
        return 21602
    if not (form.get("From") or form.get("MessagingServiceSid")):
        return 21603
    if len(form["Body"]) > 1600:
        return 21617
    if form["To"] in reject_numbers:
        return reject_numbers[form["To"]]
    return None if _E164.match(form["To"]) else 21211


def _parse_when(text: str | None, day_inclusive: bool = False) -> datetime | None:
    """Twilio takes a day (YYYY-MM-DD) or, as the library sends it, a UTC time; bounds are inclusive."""
    if not text:
        return None
    parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if day_inclusive:
        parsed += timedelta(days=1) if len(text) == 10 else timedelta(seconds=1)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)
