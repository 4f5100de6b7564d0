"""The embedded default as a real server, `flask serve` (what `make run` starts: the app and its
scheduler in one process), the real `flask` commands next to it, and a client that keeps cookies."""
from __future__ import annotations

import http.client
import subprocess
import sys
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from tests.support.live_server import REPO, REQUEST_SECONDS, STARTUP_SECONDS, LiveServer, Response, wait_for

COMMAND_SECONDS = 300


class EmbeddedServer(LiveServer):
    def start(self) -> EmbeddedServer:
        """Start `flask serve` on the same port every time and wait until it answers /healthz."""
        self.listener.close()  # `flask serve` binds the port itself (with SO_REUSEADDR, as on a restart)
        command = [sys.executable, "-m", "flask", "--app", "wsgi", "serve", "--host", "127.0.0.1",
                   "--port", str(self.port)]
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(command, cwd=REPO, env=self.env, stdin=subprocess.DEVNULL, stdout=log,
                                            stderr=subprocess.STDOUT, start_new_session=True)
        wait_for(self._healthy, STARTUP_SECONDS, "`flask serve` to answer /healthz")
        return self

    def command(self, *args: str) -> subprocess.Popen:
        """A `flask` command on the server's database, as a process of its own (output captured)."""
        return subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=REPO, env=self.env,
                                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finished(process: subprocess.Popen) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=COMMAND_SECONDS)
    return process.returncode, out, err


class Browser:
    """Requests to one server through http.client, cookies kept, redirects not followed."""

    def __init__(self, port: int):
        self.port, self.cookies = port, SimpleCookie()

    def request(self, method: str, path: str, data=None, headers=None) -> Response:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=REQUEST_SECONDS)
        try:
            sent = dict(headers or {})
            body = urlencode(data, doseq=True) if data is not None else None
            if body is not None:
                sent["Content-Type"] = "application/x-www-form-urlencoded"
            if self.cookies:
                sent["Cookie"] = "; ".join(f"{name}={morsel.value}" for name, morsel in self.cookies.items())
            connection.request(method, path, body=body, headers=sent)
            answer = connection.getresponse()
            for name, value in answer.getheaders():
                if name.lower() == "set-cookie":
                    self.cookies.load(value)
            return Response(answer.status, dict(answer.getheaders()), answer.read().decode("latin-1"))
        finally:
            connection.close()

    def get(self, path: str, **kwargs) -> Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, data, **kwargs) -> Response:
        return self.request("POST", path, data=data, **kwargs)
