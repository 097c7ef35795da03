"""What a public service needs around the routes: body limits, security headers, an access log.

``install(app, …)`` is the one call ``create_app`` makes, so the routes stay unaware of it. Middleware
here is plain ASGI (not ``BaseHTTPMiddleware``) so streamed responses stay streamed.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from collections.abc import Awaitable, Callable, MutableMapping
from datetime import UTC, datetime
from typing import Any

from fastapi import FastAPI

from kg.web.caching import Freshness, Validators
from kg.web.limits import Limits, QueryRunner

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

INGEST_MAX_BYTES = 8 * 1024 * 1024  # the reader's limit for one page (kg.read.source.MAX_BYTES)

# Pages use only their own stylesheet and scripts; nothing may frame them (clickjacking).
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]

access_log = logging.getLogger("kg.access")


async def _plain(send: Send, status: int, message: str, headers: list[tuple[bytes, bytes]] | None = None) -> None:
    body = (message.rstrip("\n") + "\n").encode("utf-8")
    await send({
        "type": "http.response.start",
        "status": status,
        "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"), *(headers or [])],
    })
    await send({"type": "http.response.body", "body": body})


class _TooLarge(Exception):
    pass


class BodyLimit:
    """413 for a request body over the limit, from Content-Length before reading, or while reading."""

    def __init__(self, app: ASGIApp, default: int, per_path: dict[str, int] | None = None) -> None:
        self.app = app
        self.default = default
        self.per_path = per_path or {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        limit = self.per_path.get(path) or self.per_path.get("/" + path.split("/")[1] if path.count("/") > 1 else "",
                                                             self.default)  # /rdf-graphs/… as /rdf-graphs
        for k, v in scope.get("headers", []):
            if k == b"content-length":
                if not v.isdigit():
                    await _plain(send, 400, "Content-Length is not a number")
                    return
                if int(v) > limit:
                    await _plain(send, 413, f"the request body is larger than the limit of {limit} bytes")
                    return
        seen = 0
        started = False

        async def limited() -> Message:
            nonlocal seen
            msg = await receive()
            if msg.get("type") == "http.request":
                seen += len(msg.get("body", b""))
                if seen > limit:
                    raise _TooLarge()
            return msg

        async def watch(msg: Message) -> None:
            nonlocal started
            if msg["type"] == "http.response.start":
                started = True
            await send(msg)

        try:
            await self.app(scope, limited, watch)
        except _TooLarge:
            if not started:
                await _plain(send, 413, f"the request body is larger than the limit of {limit} bytes")


class SecurityHeaders:
    """nosniff, a strict Content-Security-Policy with frame-ancestors 'none', Referrer-Policy."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        csp = CSP.encode()

        async def add(msg: Message) -> None:
            if msg["type"] == "http.response.start":
                headers = list(msg.get("headers", []))
                present = {k.lower() for k, _ in headers}
                for k, v in [*SECURITY_HEADERS, (b"content-security-policy", csp)]:
                    if k not in present:
                        headers.append((k, v))
                msg["headers"] = headers
            await send(msg)

        await self.app(scope, receive, add)


class AccessLog:
    """One JSON line per request: time, client, method, path (never the query string, which can carry
    queries and secrets; never headers, so never the token), status, bytes, duration, and for SPARQL
    the query's own time (``query_ms``, set by ``kg.web.limits``)."""

    def __init__(self, app: ASGIApp, logger: logging.Logger = access_log) -> None:
        self.app = app
        self.logger = logger

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        t0 = time.perf_counter()
        status = 0
        size = 0
        state = scope.setdefault("state", {})

        async def watch(msg: Message) -> None:
            nonlocal status, size
            if msg["type"] == "http.response.start":
                status = msg["status"]
            elif msg["type"] == "http.response.body":
                size += len(msg.get("body", b""))
            await send(msg)

        try:
            await self.app(scope, receive, watch)
        except BaseException:
            status = status or 500
            raise
        finally:
            client = scope.get("client")
            rec: dict[str, Any] = {
                "ts": datetime.now(UTC).isoformat(timespec="milliseconds"),
                "client": client[0] if client else None,
                "method": scope.get("method"),
                "path": scope.get("path"),
                "status": status or 499,  # 499: the client left before an answer
                "bytes": size,
                "ms": round((time.perf_counter() - t0) * 1000, 1),
            }
            q = state.get("query_seconds")
            if q is not None:
                rec["query_ms"] = round(q * 1000, 1)
            self.logger.info(json.dumps(rec, ensure_ascii=False))


def configure_access_log(target: str | None) -> None:
    """Send ``kg.access`` lines to a file, or to stderr (``-``/None); plain lines, no prefixes."""
    handler: logging.Handler = (
        logging.StreamHandler(sys.stderr) if target in (None, "-") else logging.FileHandler(target, encoding="utf-8")
    )
    handler.setFormatter(logging.Formatter("%(message)s"))
    access_log.handlers[:] = [handler]
    access_log.setLevel(logging.INFO)
    access_log.propagate = False


def install(app: FastAPI, *, limits: Limits, runner: QueryRunner, freshness: Freshness | None,
            ingest_max_bytes: int = INGEST_MAX_BYTES, log: bool = True) -> None:
    """The middleware (validators, body limits, security headers, access log) and the query workers' end,
    on an app ``create_app`` has built."""
    if freshness is not None:
        app.add_middleware(Validators, freshness=freshness)
    app.add_middleware(BodyLimit, default=limits.max_body_bytes, per_path={"/ingest": ingest_max_bytes,
                                                                          "/rdf-graphs": ingest_max_bytes})
    app.add_middleware(SecurityHeaders)
    if log:
        app.add_middleware(AccessLog)
    app.router.on_shutdown.append(runner.close)  # the query worker processes end with the server
