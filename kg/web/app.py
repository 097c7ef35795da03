"""The HTTP application: SPARQL endpoint, dereferenceable IRIs, service metadata and exports.

``create_app`` takes an open store so tests, ``kg serve`` and later deployments decide how it is
opened (read-only, remote…), and a ``ServeConfig`` (``kg.web.context``). CORS is open so browser SPARQL
clients (YASGUI and the like) on other origins can query, and, with a token their user gives them,
write (never with credentials).
"""

from __future__ import annotations

from fastapi import FastAPI, Request, Response
from fastapi.middleware.cors import CORSMiddleware

from kg.rdf.iris import normalise_base
from kg.store.base import Store
from kg.web import errors, exports, hardening, resources, update
from kg.web.auth import Auth
from kg.web.caching import Freshness
from kg.web.context import AppContext, ServeConfig
from kg.web.limits import QueryRunner
from kg.web.meta import VoidCache, void_description
from kg.web.ontology import Ontology
from kg.web.pages import install as install_pages
from kg.web.representations import Representations
from kg.web.sparql import SparqlRouter


def build_context(store: Store, config: ServeConfig) -> AppContext:
    """The shared objects: the query runner, and with a token the write side (which renews the query
    workers and the HTTP validators after each write)."""
    base = normalise_base(config.base)
    runner = QueryRunner(store, config.limits, base_iri=f"{base}/sparql")
    auth = Auth(config.token)
    # validators only where this server sees every write: a store folder it has open (not a remote server)
    freshness = Freshness() if store.path is not None else None
    writes = None
    if auth.writes_enabled:
        def after_write() -> None:
            runner.renew()
            if freshness is not None:
                freshness.bump()

        writes = update.Writes(store, auth, after_write)
    return AppContext(store=store, config=config, base=base, runner=runner, auth=auth, writes=writes,
                      freshness=freshness, ontology=Ontology(config.ontology_dir),
                      representations=Representations(), void_cache=VoidCache())


def create_app(store: Store, config: ServeConfig | str) -> FastAPI:
    """A FastAPI app serving ``store``, whose instance IRIs are ``{base}/{kind}/{id}``; ``config`` may be
    just the base (queries on threads with the default limits, read-only)."""
    if isinstance(config, str):
        config = ServeConfig(config)
    app = FastAPI(
        title="newskg",
        description="Chinese local newspaper articles as an RDF knowledge graph: SPARQL 1.1 endpoint at /sparql.",
        docs_url=None,  # Swagger UI would load its scripts from a CDN; the schema stays at /api/openapi.json
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    ctx = build_context(store, config)
    app.state.context = ctx  # the one object routes read (kg.web.context.context)
    if config.cors:
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
    app.include_router(SparqlRouter(ctx.runner, ctx.writes))
    app.include_router(exports.router)
    app.include_router(resources.router)
    install_pages(app, store, ctx.base)  # "/", /search, /query, and text/html for entity IRIs
    app.include_router(update.router)
    hardening.install(app, limits=config.limits, runner=ctx.runner, freshness=ctx.freshness, log=config.access_log)
    errors.install(app)  # every API error answers through one handler

    @app.api_route("/.well-known/void", methods=["GET", "HEAD"])
    async def void(request: Request) -> Response:
        """VoID: the dataset's size per class and per property, its endpoint and dumps."""
        return await void_description(request)

    return app
