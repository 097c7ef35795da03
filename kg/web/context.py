"""What a served app is built with (``ServeConfig``) and what its routes share (``AppContext``).

Why: the settings used to arrive as an argparse ``Namespace`` read with ``getattr`` and the shared
objects were put on ``app.state`` in three modules; now the CLI (or a test) builds one frozen
``ServeConfig``, ``create_app(store, config)`` builds one ``AppContext`` from it, and a route reads that
with ``context(request)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.web.limits import Limits

if TYPE_CHECKING:
    from kg.store.base import Store
    from kg.web.auth import Auth
    from kg.web.caching import Freshness
    from kg.web.limits import QueryRunner
    from kg.web.meta import VoidCache
    from kg.web.ontology import Ontology
    from kg.web.representations import Representations
    from kg.web.update import Writes


def _threads() -> Limits:
    return Limits(isolate=False)


@dataclass(frozen=True)
class ServeConfig:
    """How to serve a store: the IRI base, the query limits, the write token, CORS, the ontology folder.

    ``limits`` defaults to queries on threads (tests, embedding); ``kg serve`` passes worker processes.
    ``token`` enables the writes (SPARQL Update, Graph Store writes, ``POST /ingest``)."""

    base: str
    limits: Limits = field(default_factory=_threads)
    token: str | None = None
    cors: bool = True
    ontology_dir: Path | None = None
    access_log: bool = True  # the ``kg.access`` JSON lines (the file they go to is kg serve's business)


@dataclass
class AppContext:
    """The objects one app's routes share, made once by ``create_app``."""

    store: Store
    config: ServeConfig
    base: str  # normalised: no trailing slash
    runner: QueryRunner
    auth: Auth
    writes: Writes | None
    freshness: Freshness | None
    ontology: Ontology
    representations: Representations
    void_cache: VoidCache


def context(where: Any) -> AppContext:
    """The context of a request's app (or of an app)."""
    from starlette.requests import HTTPConnection

    app = where.app if isinstance(where, HTTPConnection) else where
    return app.state.context
