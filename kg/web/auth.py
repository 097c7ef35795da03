"""Bearer-token authentication for the write operations (SPARQL Update, Graph Store writes, /ingest).

The service is read-only unless a token is configured (``kg serve --token-file FILE`` or ``$KG_TOKEN``).
Why a single shared token: the writers are the project's own tools and operators, not end users; a
token is enough to keep anonymous clients from changing the graph, and it needs no user database.
Tokens are compared with ``hmac.compare_digest`` (no timing oracle) and never logged or echoed.
"""

from __future__ import annotations

import hmac
import os
import stat
from pathlib import Path

from fastapi import Request

from kg.errors import KgError

MIN_TOKEN_CHARS = 16
ENV = "KG_TOKEN"


def load_token(token_file: Path | None, env: dict[str, str] | None = None) -> str | None:
    """The write token from ``token_file`` (first line) or ``$KG_TOKEN``; None means read-only.

    A short token is refused: a guessable token would make the write endpoints public in effect.
    """
    env = os.environ if env is None else env
    token: str | None
    if token_file is not None:
        try:
            lines = token_file.read_text(encoding="utf-8").strip().splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise KgError(f"{token_file}: cannot read the token file ({exc})") from None
        token = lines[0].strip() if lines else ""
        where = str(token_file)
    else:
        token = env.get(ENV)
        if token is None:
            return None
        token = token.strip()
        where = f"${ENV}"
    if len(token) < MIN_TOKEN_CHARS or any(c.isspace() for c in token):
        raise KgError(
            f"{where}: the token must be at least {MIN_TOKEN_CHARS} characters without spaces "
            "(e.g. python -c 'import secrets; print(secrets.token_urlsafe(32))')"
        )
    return token


def token_file_warning(token_file: Path | None) -> str | None:
    """A warning if the token file is readable by other users (a leaked token means open writes)."""
    if token_file is None:
        return None
    try:
        mode = token_file.stat().st_mode
    except OSError:
        return None
    if mode & (stat.S_IRGRP | stat.S_IROTH):
        return f"{token_file} is readable by other users; chmod 600 it"
    return None


class Auth:
    """Decides whether a request may write: ``require`` passes, or raises the refusal (``HttpError``)."""

    def __init__(self, token: str | None) -> None:
        self._token = token.encode("utf-8") if token else None

    @property
    def writes_enabled(self) -> bool:
        return self._token is not None

    def require(self, request: Request, what: str) -> None:
        """Nothing if the request carries the token; else 403 (writes off, or a wrong token) or 401."""
        from kg.web.errors import HttpError

        if self._token is None:
            raise HttpError(
                f"{what} is not enabled on this endpoint (read-only: start kg serve with --token-file or "
                f"${ENV} to allow writes)",
                403,
            )
        header = request.headers.get("authorization")
        if not header:
            raise HttpError(f"{what} needs authentication: send Authorization: Bearer <token>", 401,
                            {"WWW-Authenticate": 'Bearer realm="newskg"'})
        scheme, _, given = header.partition(" ")
        if scheme.lower() != "bearer" or not given.strip():
            raise HttpError("use Authorization: Bearer <token>", 401,
                            {"WWW-Authenticate": 'Bearer realm="newskg", error="invalid_request"'})
        if not hmac.compare_digest(given.strip().encode("utf-8"), self._token):
            raise HttpError("the token is not valid", 403)
