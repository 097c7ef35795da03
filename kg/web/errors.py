"""Errors become HTTP answers here, in one place: the ``KgError`` family and the limits' errors
(``kg.web.query_errors``) each have a status, and one exception handler writes them as the plain-text
answer every API route gives (like Datasette's ``DatasetteError(status=)``).

A route raises; it does not build error responses. ``HttpError`` is for a refusal that belongs to the
request itself (a missing parameter, a wrong media type): its message and status as given.

What the framework itself refuses (an address no route serves, a method a route does not take, a query
parameter that fails its declared type) answers the same way, plain text, instead of FastAPI's JSON
``{"detail": …}`` (an outside probe found clients getting two error formats from one service). A browser
asking for an unknown address gets an HTML page when one is registered (``set_browser_404``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException

from kg.errors import KgError, QueryError
from kg.web.query_errors import LimitError

TEXT = "text/plain; charset=utf-8"


class HttpError(KgError):
    """A refusal of this request with its status and headers (400 unless said)."""

    def __init__(self, message: str, status: int = 400, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.headers = dict(headers or {})


def plain(status: int, message: str, headers: Mapping[str, str] | None = None) -> Response:
    """The plain-text answer every API error is: the message on one line, ending in a newline."""
    return Response(message.rstrip("\n") + "\n", status_code=status, media_type=TEXT, headers=headers)


def public_message(exc: object) -> str:
    """An error's message without the server's file system paths (the store's folder, temporary files)."""
    return re.sub(r"(?:/[^\s:'\"]+)+/?", "…", str(exc))


def status_of(exc: Exception) -> tuple[int, dict[str, str]]:
    """The status and headers for an error: its own (HttpError, LimitError, Forbidden's 403), a client's
    malformed query 400, anything else of ours 500."""
    if isinstance(exc, (HttpError, LimitError)):
        return exc.status, dict(exc.headers)
    if isinstance(exc, QueryError):
        status = getattr(exc, "status", 400)  # Forbidden: 403
        return (status if isinstance(status, int) else 400), {}
    return 500, {}


async def handle(request: Request, exc: Exception) -> Response:
    """The answer for a raised error; a 500's message loses the server's paths (``public_message``)."""
    status, headers = status_of(exc)
    return plain(status, public_message(exc) if status == 500 else str(exc), headers)


def framework_message(request: Request, exc: HTTPException) -> str:
    """A one-line message for what the framework refused before any route of ours ran."""
    if exc.status_code == 404:
        return f"not found: {request.url.path} (nothing is served at this address; the SPARQL endpoint is /sparql)"
    if exc.status_code == 405:
        allowed = (exc.headers or {}).get("allow") or (exc.headers or {}).get("Allow")
        tail = f"; use {allowed}" if allowed else ""
        return f"method {request.method} is not allowed on {request.url.path}{tail}"
    return str(exc.detail)


async def handle_http(request: Request, exc: Exception) -> Response:
    """Starlette's 404 / 405 …: a browser's HTML 404 page where one is registered, else plain text."""
    assert isinstance(exc, HTTPException)
    page: Callable[[str], Response] | None = getattr(request.app.state, "browser_404", None)
    if exc.status_code == 404 and page is not None and wants_html(request):
        return page(request.url.path)
    return plain(exc.status_code, framework_message(request, exc), exc.headers)


async def handle_validation(request: Request, exc: Exception) -> Response:
    """A query parameter that fails its declared type or bounds: 400 naming it (FastAPI's default is a 422
    JSON list, a status meant for a body that parsed but made no sense)."""
    assert isinstance(exc, RequestValidationError)
    parts = []
    for err in exc.errors()[:5]:
        where = ".".join(str(x) for x in err.get("loc", ()) if x not in ("query", "path", "body"))
        parts.append(f"{where}: {err.get('msg', 'invalid')}")
    return plain(400, "bad parameter " + "; ".join(parts))


def wants_html(request: Request) -> bool:
    """A browser: its Accept header lists text/html first."""
    return "text/html" in request.headers.get("accept", "").split(",")[0]


def set_browser_404(app: FastAPI, page: Callable[[str], Response]) -> None:
    """Register the HTML page a browser gets for an address nothing serves (``kg.web.pages`` does)."""
    app.state.browser_404 = page


def install(app: FastAPI) -> None:
    """One handler for the family and for the framework's own refusals: routes raise, this answers."""
    app.add_exception_handler(KgError, handle)
    app.add_exception_handler(LimitError, handle)
    app.add_exception_handler(HTTPException, handle_http)
    app.add_exception_handler(RequestValidationError, handle_validation)
