"""The lean HTTP client under the twilio library: what it sends, where, and how it fails."""
import socket
import threading

import pytest
import requests

from pro_app.messaging.backends import OutgoingSms
from pro_app.messaging.twilio_backend import TwilioBackend
from pro_app.messaging.twilio_http import RoutedHttpClient, prepare_request
from tests.fake_twilio import FakeTwilio

NUMBER = "+33612345678"


@pytest.fixture
def fake():
    with FakeTwilio() as server:
        yield server


class OneShotServer:
    """Accepts one connection, keeps the first line it receives, then hangs up without answering."""

    def __init__(self):
        self._socket = socket.create_server(("127.0.0.1", 0))
        self.first_line = None
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._socket.getsockname()[1]}"

    def _serve(self) -> None:
        connection, _ = self._socket.accept()
        with connection:
            self.first_line = connection.recv(65536).split(b"\r\n", 1)[0].decode()

    def close(self) -> None:
        self._thread.join(timeout=5)
        self._socket.close()


@pytest.fixture
def hang_up():
    server = OneShotServer()
    yield server
    server.close()


def messages_url(fake: FakeTwilio, host: str = "api.twilio.com") -> str:
    return f"https://{host}/2010-04-01/Accounts/{fake.account_sid}/Messages.json"


def form(body: str = "Bonjour") -> dict:
    return {"To": NUMBER, "From": "STEPSTUDY", "Body": body, "StatusCallback": None}


@pytest.mark.parametrize("host", ["api.twilio.com", "messaging.twilio.com", "api.dublin.ie1.twilio.com"])
def test_any_twilio_host_is_routed_to_the_configured_api(fake, host):
    with RoutedHttpClient(2, fake.base_url) as client:
        response = client.request("POST", messages_url(fake, host), data=form(), auth=(fake.account_sid,
                                                                                     fake.auth_token))
    assert response.status_code == 201
    assert [(m.to, m.body, m.status_callback) for m in fake.messages] == [(NUMBER, "Bonjour", None)]


def test_a_host_that_only_starts_like_twilios_is_not_rerouted():
    client = RoutedHttpClient(2, "http://127.0.0.1:9")
    assert client._route("https://api.twilio.com.example.org/x") == "https://api.twilio.com.example.org/x"
    assert RoutedHttpClient(2)._route("https://api.twilio.com/x") == "https://api.twilio.com/x"


def test_a_wrong_password_is_refused_by_the_api(fake):
    with RoutedHttpClient(2, fake.base_url) as client:
        response = client.request("POST", messages_url(fake), data=form(), auth=(fake.account_sid, "wrong"))
    assert response.status_code == 401 and fake.messages == []


def test_a_slow_answer_times_out_with_the_default_or_the_per_call_timeout(fake):
    fake.delay_seconds = 0.5
    with RoutedHttpClient(0.1, fake.base_url) as client:
        with pytest.raises(requests.ReadTimeout):
            client.request("POST", messages_url(fake), data=form(), auth=(fake.account_sid, fake.auth_token))
        assert client.request("POST", messages_url(fake), data=form(), auth=(fake.account_sid, fake.auth_token),
                              timeout=5).status_code == 201


@pytest.mark.parametrize("timeout", [0, -1])
def test_a_timeout_must_be_positive(timeout):
    with pytest.raises(ValueError):
        RoutedHttpClient(2).request("GET", "https://api.twilio.com/x", timeout=timeout)


def test_redirects_are_refused_rather_than_silently_not_followed():
    with pytest.raises(ValueError):
        RoutedHttpClient(2).request("GET", "https://api.twilio.com/x", allow_redirects=True)


def test_a_connection_dropped_after_the_request_may_have_been_sent(hang_up):
    with TwilioBackend("AC" + "0" * 32, "token", from_="STEPSTUDY", api_base_url=hang_up.url,
                       timeout_seconds=2) as backend:
        outcome = backend.send(OutgoingSms(1, NUMBER, "Bonjour"))
    assert outcome.status == "unknown"
    assert hang_up.first_line.startswith("POST /2010-04-01/Accounts/AC")
    assert "612345678" not in outcome.error_message


def test_the_environment_proxy_is_used_for_twilio(monkeypatch, hang_up):
    monkeypatch.setenv("HTTPS_PROXY", hang_up.url)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    with RoutedHttpClient(2) as client, pytest.raises(requests.ConnectionError):
        client.request("GET", "https://api.twilio.com/2010-04-01/Accounts.json")
    assert hang_up.first_line.startswith("CONNECT api.twilio.com:443 ")


def test_a_loopback_api_ignores_the_environment_proxy(fake, monkeypatch, hang_up):
    monkeypatch.setenv("HTTP_PROXY", hang_up.url)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    with RoutedHttpClient(2, fake.base_url) as client:
        response = client.request("POST", messages_url(fake), data=form(), auth=(fake.account_sid,
                                                                                 fake.auth_token))
    assert response.status_code == 201


def test_a_request_carries_the_library_headers_a_form_body_and_basic_auth():
    prepared = prepare_request("POST", "https://api.twilio.com/m.json", None,
                               {"To": NUMBER, "Body": "a b&c", "StatusCallback": None, "MediaUrl": ["u1", "u2"]},
                               {"User-Agent": "twilio-python/9", "Content-Type": "application/x-www-form-urlencoded"},
                               ("AC1", "secret"))
    assert prepared.body == b"To=%2B33612345678&Body=a+b%26c&MediaUrl=u1&MediaUrl=u2"
    assert prepared.headers["Content-Length"] == str(len(prepared.body))
    assert prepared.headers["user-agent"] == "twilio-python/9"
    assert prepared.headers["Authorization"] == "Basic QUMxOnNlY3JldA=="
    assert prepared.headers["Accept-Encoding"] == requests.utils.default_headers()["Accept-Encoding"]


def test_query_parameters_extend_a_next_page_url():
    prepared = prepare_request("GET", "https://api.twilio.com/m.json?Page=1", {"To": NUMBER, "PageSize": 20},
                               {}, {}, None)
    assert prepared.url == "https://api.twilio.com/m.json?Page=1&To=%2B33612345678&PageSize=20"
    assert prepared.body is None and "Content-Length" not in prepared.headers
    assert "Authorization" not in prepared.headers


def test_an_empty_post_says_so_and_a_json_body_is_json():
    assert prepare_request("POST", "https://x.twilio.com/a", None, {}, {}, None).headers["Content-Length"] == "0"
    prepared = prepare_request("POST", "https://x.twilio.com/a", None, {"n": 1},
                               {"Content-Type": "application/json"}, None)
    assert prepared.body == b'{"n": 1}'
