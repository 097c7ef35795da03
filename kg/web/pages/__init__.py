"""HTML entity pages (issue 6): person, organisation, event, article, post, place, home, search, query.

``Pages(store, base)`` is the whole feature: ``.router()`` is a FastAPI ``APIRouter`` for ``/``,
``/search``, ``/query`` and the stylesheet and script; ``.html_for(kind, id)`` renders the page of one
entity (None when the store does not know it). :func:`install` wires both into the service's app:
the router, and ``text/html`` as one more representation of entity IRIs, so browsers (which ask for
text/html) get pages while RDF clients keep getting Turtle by default. Views never import
``kg.extract``; they read the store only through ``Store.query``.
"""

from __future__ import annotations

from typing import Any

from kg.web.pages.routes import Pages, list_pages

__all__ = ["Pages", "install"]


def install(app: Any, store: Any, base: str) -> Pages:
    """Add the pages to the service's FastAPI ``app`` (see ``kg.web.app.create_app``)."""
    from fastapi import Request, Response
    from fastapi.concurrency import run_in_threadpool

    from kg.web.context import context
    from kg.web.negotiation import Format

    pages = Pages(store, base)
    app.include_router(pages.router())
    html = Format("html", "text/html", ("application/xhtml+xml",), ("html",))

    async def render(request: Request, desc: Any) -> Response | None:
        """The entity's page; None (the route falls back to RDF) for kinds without pages (ontology terms)."""
        if desc.kind not in pages.kinds:
            return None
        try:
            page = max(1, min(int(request.query_params.get("page", "1")), 100000))
        except ValueError:
            page = 1
        resp = await run_in_threadpool(pages.respond, desc.kind, desc.ident, page, list_pages(request.query_params),
                                       dict(request.query_params))
        return resp if resp is not None else pages.not_found(desc.kind, desc.ident)

    context(app).representations.register(html, render, describe=False)

    from kg.web.errors import set_browser_404

    set_browser_404(app, pages.no_route)  # an address nothing serves: a page for browsers (kg.web.errors)
    return pages
