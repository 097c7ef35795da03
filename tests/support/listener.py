"""A TCP listener on 127.0.0.1 that records every connection made to it: the target of the SSRF tests.

The security tests point SERVICE, LOAD and every other outbound trick at it; nothing of the suite may
ever reach it (``conftest.py`` fails the run at its end if anything did)."""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass, field


@dataclass
class Listener:
    port: int
    hits: list[bytes] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def iri(self, path: str = "sparql") -> str:
        return f"<{self.url}/{path}>"


def start() -> Listener:
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(64)
    listener = Listener(srv.getsockname()[1])

    def accept() -> None:
        while True:
            try:
                conn, _ = srv.accept()
            except OSError:
                return
            conn.settimeout(2)
            try:
                data = conn.recv(300)
            except OSError:
                data = b""
            listener.hits.append(data or b"<connected>")
            conn.close()

    threading.Thread(target=accept, name="outbound-listener", daemon=True).start()
    return listener
