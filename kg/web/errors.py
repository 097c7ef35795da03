"""Errors become HTTP answers here, in one place: the ``KgError`` family and the limits' errors
(``kg.web.query_errors``) each have a status, and one exception handler writes them as the plain-text
answer every API route gives (like Datasette's ``DatasetteError(status=)``).

A route raises; it does not build error responses. ``HttpError`` is for a refusal that belongs to the
request itself (a missing parameter, a wrong media type): its message and status as given.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from fastapi import FastAPI, Request, Response

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


def install(app: FastAPI) -> None:
    """One handler for the family: routes raise, this answers."""
    app.add_exception_handler(KgError, handle)
    app.add_exception_handler(LimitError, handle)
