"""HTML entity pages (issue 6): person, organisation, event, article, post, place, home, search, query.

``Pages(store, base)`` is the whole feature: ``.router()`` is a FastAPI ``APIRouter`` for ``/``,
``/search``, ``/query`` and the stylesheet and script; ``.html_for(kind, id)`` renders the page of one
entity for the service's content negotiation (None when the store does not know it). Views never
import ``kg.extract``; they read the store only through ``Store.query``.
"""

from kg.web.pages.routes import Pages

__all__ = ["Pages"]
