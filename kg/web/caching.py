"""Caching validators: ``ETag``, ``Last-Modified`` and ``Cache-Control: no-cache`` on what the service
reads out of the store, and 304 for a conditional GET that still matches, answered before any work.

Why: crawlers and linked-data clients revisit every IRI; without validators each visit downloads the
whole description again (issue 16). What a GET answers depends only on the URL, the ``Accept`` header and
the store's state, and the store changes only through this server's writes (``kg.web.update``, which
calls :meth:`Freshness.bump`), so the validator is the write counter: an entity tag of the server
instance, the write count and a digest of ``Accept`` (each negotiated representation its own tag).
The instance part changes at every start, since a store may have been re-ingested while the server was
down. Not validated: ``/sparql`` and ``/query`` with a query (a query may use ``NOW()`` or ``RAND()``),
the write endpoints, and the pages' static files (they carry their own ``Cache-Control``). A server over
a remote store (which others may write) gets no validators at all.
"""

from __future__ import annotations

import hashlib
import math
import secrets
import threading
import time
from collections.abc import Awaitable, Callable, MutableMapping
from email.utils import formatdate, parsedate_to_datetime
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

UNVALIDATED_PREFIXES = ("/static/", "/ingest")


class Freshness:
    """The store's state as this server knows it: a random instance id, a write count, a modification time
    (whole seconds, strictly increasing per write so ``If-Modified-Since`` never hides one)."""

    def __init__(self) -> None:
        self.instance = secrets.token_hex(4)
        self.generation = 0
        self.modified = math.ceil(time.time())
        self._lock = threading.Lock()

    def bump(self) -> None:
        """Called after every write."""
        with self._lock:
            self.generation += 1
            self.modified = max(math.ceil(time.time()), self.modified + 1)

    def etag(self, accept: str) -> str:
        digest = hashlib.blake2s(accept.encode("latin-1", "replace"), digest_size=4).hexdigest()
        return f'W/"{self.instance}-{self.generation}-{digest}"'

    def last_modified(self) -> str:
        return formatdate(self.modified, usegmt=True)


def validated(scope: Scope) -> bool:
    """Whether a request's answer gets validators (see the module's docstring)."""
    if scope.get("method") not in ("GET", "HEAD"):
        return False
    path: str = scope.get("path", "")
    if path.startswith(UNVALIDATED_PREFIXES):
        return False
    query = scope.get("query_string", b"")
    if path in ("/sparql", "/query") and (b"query=" in query or b"update=" in query):
        return False
    return True


def _header(scope: Scope, name: bytes) -> str | None:
    for k, v in scope.get("headers", []):
        if k == name:
            return v.decode("latin-1")
    return None


def not_modified(scope: Scope, etag: str, modified: int) -> bool:
    """RFC 9110 13.1: If-None-Match (weak comparison) wins over If-Modified-Since."""
    inm = _header(scope, b"if-none-match")
    if inm is not None:
        tags = {t.strip().removeprefix("W/") for t in inm.split(",")}
        return "*" in tags or etag.removeprefix("W/") in tags
    ims = _header(scope, b"if-modified-since")
    if ims is None:
        return False
    try:
        return parsedate_to_datetime(ims).timestamp() >= modified
    except (TypeError, ValueError):
        return False


class Validators:
    """ASGI middleware: validators on 200 answers to GET/HEAD, and 304 at once when the client's copy is
    current (the route does not run)."""

    def __init__(self, app: ASGIApp, freshness: Freshness) -> None:
        self.app = app
        self.freshness = freshness

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not validated(scope):
            await self.app(scope, receive, send)
            return
        f = self.freshness
        etag, modified, last_modified = f.etag(_header(scope, b"accept") or ""), f.modified, f.last_modified()
        headers = [(b"etag", etag.encode()), (b"last-modified", last_modified.encode()),
                   (b"cache-control", b"no-cache"), (b"vary", b"Accept")]
        if not_modified(scope, etag, modified):
            await send({"type": "http.response.start", "status": 304, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
            return

        async def send_validated(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 200:
                have = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []),
                                      *(h for h in headers if h[0] not in have)]
            await send(message)

        await self.app(scope, receive, send_validated)
