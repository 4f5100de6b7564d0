"""The fake Twilio API's own HTTP handling, below what the twilio library exercises."""
import base64
import socket

import pytest

from tests.fake_twilio import FakeTwilio


@pytest.fixture
def fake():
    with FakeTwilio() as server:
        yield server


def exchange(fake: FakeTwilio, request: bytes) -> bytes:
    """Send raw bytes; return all the fake answers until it closes the connection."""
    host, port = fake.base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as connection:
        connection.sendall(request)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    return answer


def post(fake: FakeTwilio, header_case=str.title) -> bytes:
    body = b"To=%2B33612345678&From=STEP&Body=Bonjour"
    auth = base64.b64encode(f"{fake.account_sid}:{fake.auth_token}".encode()).decode()
    headers = {"host": "api.twilio.com", "authorization": f"Basic {auth}", "content-length": str(len(body)),
               "content-type": "application/x-www-form-urlencoded", "connection": "close"}
    lines = [f"POST /2010-04-01/Accounts/{fake.account_sid}/Messages.json HTTP/1.1"]
    lines += [f"{header_case(name)}: {value}" for name, value in headers.items()]
    return exchange(fake, ("\r\n".join(lines) + "\r\n\r\n").encode() + body)


@pytest.mark.parametrize("header_case", [str.title, str.lower, str.upper])
def test_header_names_are_case_insensitive_and_connection_close_is_honoured(fake, header_case):
    answer = post(fake, header_case)
    assert answer.startswith(b"HTTP/1.1 201 ")
    assert [m.body for m in fake.messages] == ["Bonjour"]


@pytest.mark.parametrize("request_line", [b"GARBAGE", b"GET /2010-04-01 HTTP/1.0", b"GET / HTTP/2.0"])
def test_a_request_line_other_than_http_1_1_is_refused(fake, request_line):
    assert exchange(fake, request_line + b"\r\n\r\n").startswith(b"HTTP/1.1 400 ")


def test_too_many_headers_are_refused(fake):
    headers = b"".join(b"X-%d: 1\r\n" % n for n in range(200))
    assert exchange(fake, b"GET / HTTP/1.1\r\n" + headers + b"\r\n").startswith(b"HTTP/1.1 431 ")
