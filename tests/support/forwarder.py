"""A TCP forwarder on 127.0.0.1 that a test can switch off: the database "goes away" for real.

While up, each connection is piped to the target (PostgreSQL at 127.0.0.1:5432). `cut()` closes
every open connection on both sides and answers new ones by closing them at once, as a server
that has gone away would; `restore()` lets connections through again.
"""
from __future__ import annotations

import socket
import threading

CHUNK = 65536


def _close(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)  # wakes a thread blocked in recv() on it
    except OSError:
        pass
    sock.close()


class Forwarder:
    def __init__(self, target: tuple[str, int] = ("127.0.0.1", 5432)):
        self.target = target
        self.listener = socket.create_server(("127.0.0.1", 0), backlog=64)
        self.port = self.listener.getsockname()[1]
        self.refused = 0  # connections closed at once while cut
        self._up = True
        self._lock = threading.Lock()
        self._open: set[tuple[socket.socket, socket.socket]] = set()
        self._thread = threading.Thread(target=self._accept, name="forwarder", daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc_info):
        self.cut()
        _close(self.listener)
        self._thread.join(timeout=30)

    def url_for(self, database_url: str) -> str:
        """The same database URL, through this forwarder."""
        return database_url.replace(f"{self.target[0]}:{self.target[1]}", f"127.0.0.1:{self.port}", 1)

    def cut(self) -> None:
        with self._lock:
            self._up = False
            pairs = list(self._open)
        for pair in pairs:
            self._drop(pair)

    def restore(self) -> None:
        with self._lock:
            self._up = True

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return  # the listener was closed
            self._connect(client)

    def _connect(self, client: socket.socket) -> None:
        try:
            upstream = socket.create_connection(self.target, timeout=30)
            upstream.settimeout(None)
        except OSError:
            _close(client)
            return
        pair = (client, upstream)
        with self._lock:
            up = self._up
            if up:
                self._open.add(pair)
            else:
                self.refused += 1
        if not up:
            self._drop(pair)
            return
        for source, sink in ((client, upstream), (upstream, client)):
            threading.Thread(target=self._pipe, args=(source, sink, pair), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket, pair) -> None:
        try:
            while chunk := source.recv(CHUNK):
                sink.sendall(chunk)
        except OSError:
            pass
        finally:
            self._drop(pair)

    def _drop(self, pair) -> None:
        with self._lock:
            self._open.discard(pair)
        for sock in pair:
            _close(sock)
