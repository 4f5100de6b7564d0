"""The browser tests' live server leaves nothing open when a client drops its connection."""
from __future__ import annotations

import gc
import random
import socket
import struct
import sys
import time

import pytest

pytestmark = pytest.mark.browser


def _request_then_reset(port: int, path: str) -> None:
    """Ask for `path`, then reset the connection around the moment the answer is written."""
    with socket.create_connection(("127.0.0.1", port)) as connection:
        connection.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
        time.sleep(random.uniform(0, 0.006))  # noqa: S311 - timing jitter, not a secret
        connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def test_a_dropped_static_download_leaves_no_file_open(live_server, monkeypatch):
    """Without the live server's wrapper, about half of these resets left questionnaire.js open."""
    port = int(live_server.url.rsplit(":", 1)[1])
    unraisable = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    for _ in range(100):
        _request_then_reset(port, "/static/questionnaire.js")
    time.sleep(0.5)  # the server threads finish their drained requests
    gc.collect()
    assert [repr(event.exc_value) for event in unraisable] == []
