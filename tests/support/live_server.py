"""The app as a real server: gunicorn with one sync worker on 127.0.0.1, in its own process group.

The test binds the listening socket itself and hands it over (`--bind fd://N`): no free-port race,
and the address stays the same across restarts. Requests go through http.client, redirects are
not followed. Every wait polls against a generous deadline, since the machine may be loaded.
"""
from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 120
REQUEST_SECONDS = 120


def wait_for(condition, seconds: float, what: str):
    """Poll `condition` until it returns something truthy; fail with `what` after `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        result = condition()
        if result:
            return result
        assert time.monotonic() < deadline, f"timed out after {seconds:g} s waiting for {what}"
        time.sleep(0.1)


class Response:
    def __init__(self, status: int, headers: dict[str, str], text: str):
        self.status, self.headers, self.text = status, headers, text


class LiveServer:
    def __init__(self, database_url: str, tmp_path: Path):
        self.listener = socket.create_server(("127.0.0.1", 0), backlog=64)
        self.port = self.listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = tmp_path / "server.log"
        self.env = {**os.environ, "PRO_APP_ENV": "test", "DATABASE_URL": database_url,
                    "INSTANCE_PATH": str(tmp_path / "server-instance"), "SMS_BACKEND": "console",
                    "PUBLIC_BASE_URL": self.url}
        self.process: subprocess.Popen | None = None

    def __enter__(self):
        try:
            return self.start()
        except BaseException:
            self.__exit__(*sys.exc_info())
            raise

    def __exit__(self, exc_type=None, *exc_info):
        self.stop()
        self.listener.close()
        if exc_type is not None:  # shown by pytest with the failure
            print(f"--- server log ({self.log_path}) ---\n{self.log_text()[-6000:]}")

    def start(self) -> LiveServer:
        """Start gunicorn and wait until it answers /healthz (which reads the database)."""
        fd = self.listener.fileno()
        # A worker blocked on purpose must not be killed by gunicorn's own timeout before the test does.
        command = [sys.executable, "-m", "gunicorn", "--workers", "1", "--worker-class", "sync",
                   "--timeout", "900", "--graceful-timeout", "5", "--no-control-socket", "--bind", f"fd://{fd}",
                   "wsgi:app"]
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(command, cwd=REPO, env=self.env, pass_fds=(fd,), stdin=subprocess.DEVNULL,
                                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        wait_for(self._healthy, STARTUP_SECONDS, "the server to answer /healthz")
        return self

    def stop(self) -> None:
        """SIGTERM the whole process group, SIGKILL it if it lingers."""
        if self.process is None or self.process.poll() is not None:
            return
        for sig, patience in ((signal.SIGTERM, 30), (signal.SIGKILL, 30)):
            try:
                os.killpg(self.process.pid, sig)
            except ProcessLookupError:
                break
            try:
                self.process.wait(timeout=patience)
                break
            except subprocess.TimeoutExpired:
                continue
        self._reap_group()

    def kill(self) -> None:
        """SIGKILL the master and its worker at once, as a host losing the process would."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=STARTUP_SECONDS)

    def _reap_group(self) -> None:
        # A worker outliving its master would keep the socket: make sure the group is gone.
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def _healthy(self) -> bool:
        assert self.process.poll() is None, f"the server exited; see {self.log_path}"
        try:
            return self.request("GET", "/healthz", timeout=10).status == 200
        except OSError:
            return False

    def worker_pids(self) -> list[int]:
        """The master's children, read from /proc (Linux)."""
        pids = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # pid (comm) state ppid ...: comm may hold spaces, so split after its closing parenthesis.
            if int(stat.rsplit(")", 1)[1].split()[1]) == self.process.pid:
                pids.append(int(entry.name))
        return pids

    def the_worker(self) -> int:
        def single():
            pids = self.worker_pids()
            return pids[0] if len(pids) == 1 else None
        return wait_for(single, STARTUP_SECONDS, "exactly one gunicorn worker")

    def request(self, method: str, path: str, data=None, headers=None, timeout: float = REQUEST_SECONDS) -> Response:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            body = urlencode(data) if data is not None else None
            sent = dict(headers or {})
            if body is not None:
                sent["Content-Type"] = "application/x-www-form-urlencoded"
            connection.request(method, path, body=body, headers=sent)
            answer = connection.getresponse()
            return Response(answer.status, dict(answer.getheaders()), answer.read().decode())
        finally:
            connection.close()

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
