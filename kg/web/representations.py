"""The representations an IRI can be served as, pluggable: the pages (``kg.web.pages``) add HTML.

Each representation pairs a :class:`Format` with a renderer ``(request, description) -> Response``
(a plain function is run in the threadpool, a coroutine function on the loop).
The RDF ones are built in, Turtle first (so browsers and clients without Accept get Turtle today).
The pages issue registers ``text/html`` with :meth:`Representations.register`; browsers, which ask for
``text/html`` explicitly, then get pages while RDF clients keep getting RDF::

    html = Format("html", "text/html", ("application/xhtml+xml",), ("html",))
    context(app).representations.register(html, lambda request, desc: HTMLResponse(pages.html_for(...)))
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import Request, Response

from kg.web.describe import Description
from kg.web.negotiation import DESCRIPTION_FORMATS, Format
from kg.web.rdfio import serialize_triples

# A renderer may return None when it has no view for that kind of thing; the route then sends Turtle.
Renderer = Callable[[Request, Description], Response | None | Awaitable[Response | None]]


def rdf_renderer(fmt: Format) -> Renderer:
    """A renderer writing the description's triples in ``fmt``."""

    def render(request: Request, desc: Description) -> Response:
        return Response(serialize_triples(desc.triples, fmt.key), media_type=fmt.content_type)

    return render


class Representations:
    """The ordered offers for dereferenced IRIs; the first one is the default."""

    def __init__(self) -> None:
        self._items: list[tuple[Format, Renderer]] = [(f, rdf_renderer(f)) for f in DESCRIPTION_FORMATS]
        self._undescribed: set[str] = set()

    def register(self, fmt: Format, renderer: Renderer, *, default: bool = False, describe: bool = True) -> None:
        """Add (or replace) a representation; ``default`` puts it first (served for ``*/*``).

        ``describe=False``: the renderer reads the store itself (the HTML pages do, page by page), so the
        route hands it a Description without triples instead of computing the bounded description.
        """
        self._items = [(f, r) for f, r in self._items if f.key != fmt.key]
        self._undescribed.discard(fmt.key)
        if not describe:
            self._undescribed.add(fmt.key)
        if default:
            self._items.insert(0, (fmt, renderer))
        else:
            self._items.append((fmt, renderer))

    def describes(self, fmt: Format) -> bool:
        """Whether the renderer of ``fmt`` needs the bounded description's triples."""
        return fmt.key not in self._undescribed

    def formats(self) -> list[Format]:
        return [f for f, _ in self._items]

    def renderer(self, fmt: Format) -> Renderer:
        for f, r in self._items:
            if f.key == fmt.key:
                return r
        raise KeyError(fmt.key)
