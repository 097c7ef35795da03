"""A stand-alone app of the pages alone (entity pages as HTML at their paths), for tests, benchmarks
and trying the pages on a store without the full service; ``kg serve`` mounts the same router."""

from __future__ import annotations

from fastapi import FastAPI

from kg.store.base import Store
from kg.web.pages.routes import Pages


def create_pages_app(store: Store, base: str) -> FastAPI:
    """FastAPI app: ``/``, ``/search``, ``/query`` and ``/{kind}/{id}`` as HTML."""
    from kg.web.limits import Limits, QueryRunner

    app = FastAPI(title="newskg pages", docs_url=None, redoc_url=None, openapi_url=None)
    app.include_router(Pages(store, base).router(entity_routes=True))
    # the editor's queries take the service's guarded path (here on threads, with the same checks)
    app.state.query_runner = QueryRunner(store, Limits(isolate=False))
    return app
