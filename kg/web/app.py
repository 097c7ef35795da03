"""The HTTP application: SPARQL endpoint, dereferenceable IRIs, service metadata and exports.

``create_app`` takes an open store so tests, ``kg serve`` and later deployments decide how it is
opened (read-only, remote…). CORS is open so browser SPARQL clients (YASGUI and the like) on other
origins can query, and, with a token their user gives them, write (never with credentials).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.middleware.cors import CORSMiddleware

from kg.rdf.iris import normalise_base
from kg.store.base import Store
from kg.web import errors, exports, hardening, resources, update
from kg.web.auth import Auth
from kg.web.caching import Freshness
from kg.web.limits import Limits, QueryRunner
from kg.web.meta import VoidCache, void_description
from kg.web.ontology import Ontology
from kg.web.pages import install as install_pages
from kg.web.representations import Representations
from kg.web.sparql import SparqlRouter


def create_app(
    store: Store,
    base: str,
    *,
    query_timeout: float | None = None,
    allow_service: bool = False,
    ontology_dir: Path | None = None,
    cors: bool = True,
    limits: Limits | None = None,
    token: str | None = None,
) -> FastAPI:
    """A FastAPI app serving ``store``, whose instance IRIs are ``{base}/{kind}/{id}``.

    ``limits`` (``kg.web.limits``): query timeout, result size, concurrency; without it queries run on
    threads with the defaults (``kg serve`` passes worker processes). ``token`` enables the writes."""
    app = FastAPI(
        title="newskg",
        description="Chinese local newspaper articles as an RDF knowledge graph: SPARQL 1.1 endpoint at /sparql.",
        docs_url=None,  # Swagger UI would load its scripts from a CDN; the schema stays at /api/openapi.json
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.store = store
    app.state.base = normalise_base(base)
    app.state.query_timeout = query_timeout
    app.state.allow_service = allow_service
    app.state.ontology = Ontology(ontology_dir)
    app.state.representations = Representations()
    app.state.void_cache = VoidCache()
    if cors:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=["*"],
            # writes too (issue 16: browser tools send the token): a bearer token is never ambient (no cookie,
            # and allow_credentials stays off), so a page on another origin can write only with a token its
            # user gave it; without one the write is 401 like any other
            allow_methods=["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS"],
            allow_headers=["Accept", "Content-Type", "Authorization"],
            max_age=3600,
        )
    limits = limits or Limits(isolate=False, query_timeout=query_timeout or Limits.query_timeout)
    if allow_service and not limits.allow_service:
        limits = replace(limits, allow_service=True)
    app.state.allow_service = limits.allow_service
    app.state.limits = limits
    app.state.query_timeout = limits.query_timeout
    runner = QueryRunner(store, limits, base_iri=f"{app.state.base}/sparql")
    app.state.query_runner = runner
    auth = Auth(token)
    app.state.auth = auth
    # validators only where this server sees every write: a store folder it has open (not a remote server)
    freshness = Freshness() if isinstance(getattr(store, "path", None), Path) else None
    app.state.freshness = freshness
    writes = None
    if auth.writes_enabled:
        def after_write() -> None:
            runner.renew()
            if freshness is not None:
                freshness.bump()

        writes = update.Writes(store, auth, after_write)
    app.state.writes = writes
    app.include_router(SparqlRouter(runner, writes))
    app.include_router(exports.router)
    app.include_router(resources.router)
    install_pages(app, store, app.state.base)  # "/", /search, /query, and text/html for entity IRIs
    app.include_router(update.router)
    hardening.install(app, limits=limits, runner=runner, freshness=freshness)
    errors.install(app)  # every API error answers through one handler

    @app.api_route("/.well-known/void", methods=["GET", "HEAD"])
    async def void(request: Request) -> Response:
        """VoID: the dataset's size per class and per property, its endpoint and dumps."""
        return await void_description(request)

    return app
