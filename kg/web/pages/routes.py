"""The pages' FastAPI router and the ``html_for`` hook of content negotiation."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from kg.errors import KgError
from kg.resources import STATIC_DIR, TEMPLATE_DIR
from kg.store.base import Store
from kg.web.pages import labels as L
from kg.web.pages import views as V
from kg.web.pages.queries import examples
from kg.web.pages.search import add_routes as search_routes

TEMPLATES = TEMPLATE_DIR
STATIC = STATIC_DIR / "pages"
ID_RE = re.compile(r"^[A-Za-z0-9._~%-]{1,300}$")
STATIC_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
                ".svg": "image/svg+xml"}
MAX_ROWS = 1000
SELECT_FORMATS = ["json", "csv", "tsv", "xml"]
GRAPH_FORMATS = ["turtle", "jsonld", "ntriples", "rdfxml"]


def environment() -> Environment:
    """The Jinja2 environment: autoescape everywhere (names and headlines are data, never HTML)."""
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(default=True,
                      default_for_string=True), trim_blocks=True, lstrip_blocks=True)
    env.globals["label"] = L.label
    env.globals["urlencode"] = urlencode
    return env


class Pages:
    """The HTML pages over one store whose IRIs live under ``base``."""

    def __init__(self, store: Store, base: str) -> None:
        self.store = store
        self.base = base.rstrip("/")
        self.linker = V.Linker(self.base)
        self.env = environment()
        self.kinds = frozenset(V.VIEWS)

    # ------------------------------------------------------------ rendering

    def render(self, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        html = self.env.get_template(f"pages/{template}").render(base=self.base, **context)
        return HTMLResponse(html, status_code=status)

    def view(self, kind: str, ident: str, page: int = 1, lists: dict[str, int] | None = None) -> Any | None:
        """The view model of one entity page, or None when the id or the entity is unknown. ``lists``:
        the pages of the page's other lists by their own parameters (the person page's; see list_pages)."""
        fn = V.VIEWS.get(kind)
        if fn is None or not ID_RE.match(ident):
            return None
        if kind == "person":  # the pages with more than one paged list
            return V.person(self.store, self.linker, f"{self.base}/{kind}/{ident}", page, lists)
        if kind == "organization":
            return V.organization(self.store, self.linker, f"{self.base}/{kind}/{ident}", page, lists)
        if kind == "event":
            return V.event(self.store, self.linker, f"{self.base}/{kind}/{ident}", page, lists)
        return fn(self.store, self.linker, f"{self.base}/{kind}/{ident}", page)

    def html_for(self, kind: str, ident: str, page: int = 1,
                 lists: dict[str, int] | None = None) -> HTMLResponse | None:
        """The HTML page of ``{base}/{kind}/{ident}`` for a client that prefers text/html; None if unknown."""
        model = self.view(kind, ident, page, lists)
        if model is None:
            return None
        return self.render(f"{kind}.html", page=model, rdf_path=f"/{kind}/{ident}", title=_title(model))

    def not_found(self, kind: str, ident: str) -> HTMLResponse:
        return self.render("not_found.html", status=404, kind=kind, ident=ident, title="未找到 Not found")

    # ------------------------------------------------------------ the router

    def router(self, entity_routes: bool = False) -> APIRouter:
        """``/``, ``/search``, ``/query``, ``/static/pages/…``; with ``entity_routes`` also
        ``/{kind}/{id}`` as HTML (for running the pages without the service's content negotiation)."""
        r = APIRouter()

        @r.get("/", response_class=HTMLResponse)
        def home() -> HTMLResponse:
            return self.render("home.html", page=V.home(self.store, self.linker), title="newskg")

        search_routes(r, self)  # /search and /search.json (kg.web.pages.search)

        @r.get("/name", response_class=HTMLResponse)
        def name(q: str = Query("", max_length=50)) -> HTMLResponse:
            """The disambiguation page of a written name: every person of that name, told apart."""
            page = V.namesakes(self.store, self.linker, q.strip()) if q.strip() else V.NamePage("", [])
            return self.render("name.html", page=page, title=f"{q} · 同名 namesakes" if q else "同名 Namesakes")

        @r.get("/query", response_class=HTMLResponse)
        async def query(request: Request, query: str = "", example: str = "") -> Response:
            return await self.query_page(request, query, example)

        @r.get("/static/pages/{name}")
        def static(name: str) -> Response:
            path = STATIC / name
            if not re.match(r"^[a-z0-9_-]+\.(css|js|svg)$", name) or not path.is_file():
                return PlainTextResponse("not found", status_code=404)
            return Response(path.read_bytes(), media_type=STATIC_TYPES[path.suffix],
                            headers={"Cache-Control": "public, max-age=3600"})

        if entity_routes:
            @r.get("/{kind}/{ident}", response_class=HTMLResponse)
            def entity(request: Request, kind: str, ident: str,
                       page: int = Query(1, ge=1, le=100000)) -> HTMLResponse:
                lists = list_pages(request.query_params)
                return self.html_for(kind, ident, page, lists) or self.not_found(kind, ident)

        return r

    # ------------------------------------------------------------ the query editor

    async def query_page(self, request: Request, text: str, example: str = "") -> Response:
        """The editor and, for a query, its first rows: run by the app's query runner (``kg.web.limits``),
        the same guarded path as ``/sparql`` (worker process, deadline, size and per-client limits, no
        SERVICE or LOAD), never in the server process."""
        from kg.web.limits import LimitError, while_connected
        from kg.web.policy import Forbidden

        exs = examples()
        if not text.strip() and example:
            text = next((t for stem, _, t in exs if stem == example), "")
        if not text.strip():
            return self.render("query.html", text=exs[0][2] if exs else "", examples=exs, result=None,
                               error=None, title="SPARQL 查询 Query")
        runner = request.app.state.query_runner
        client = request.client.host if request.client else "-"
        error, status, headers = None, 200, {}
        result: dict[str, Any] | None = None
        try:
            with runner.per_client.slot(client):
                table = await while_connected(request, runner.table(text, MAX_ROWS))
        except Forbidden as exc:
            error, status = str(exc), 403
        except KgError as exc:
            error, status = str(exc), 400
        except LimitError as exc:
            error, status, headers = str(exc), exc.status, exc.headers
        except TimeoutError:
            error, status = f"query timed out after {runner.limits.query_timeout:g} s", 504
        else:
            result = dict(table)
            result["rows"] = [[self.cell(c) for c in row] for row in table["rows"]]
            result["formats"] = GRAPH_FORMATS if table["kind"] == "graph" else SELECT_FORMATS
            result["ms"] = round(table["seconds"] * 1000, 1)
        page = self.render("query.html", status=status, text=text, examples=exs, result=result, error=error,
                           title="SPARQL 查询 Query")
        page.headers.update(headers)
        return page

    def cell(self, term: tuple | None) -> dict[str, Any] | None:
        """One result cell from the runner's plain data: an IRI (with its local page path), a blank node, a
        literal (value, language, datatype)."""
        if term is None:
            return None
        if term[0] == "iri":
            return {"iri": term[1], "href": self.linker.path(term[1]), "kind": self.linker.kind(term[1])}
        if term[0] == "bnode":
            return {"text": f"_:{term[1]}"}
        dt = L.local_name(term[3]) if term[3] else None
        return {"text": term[1], "lang": term[2], "datatype": dt}


# page parameters of lists besides ?page=
LIST_PARAMS = ("posts_page", "summary_page", "articles_page", "events_page", "grants_page")


def list_pages(params: Any) -> dict[str, int]:
    """The lists' own page parameters from a request's query (bad or missing values: page 1), so each
    list of a page pages on its own and a link of one pager keeps the others where they are."""
    out = {}
    for name in LIST_PARAMS:
        try:
            out[name] = max(1, min(int(params.get(name, "1")), 100000))
        except ValueError:
            out[name] = 1
    return out


def _title(model: Any) -> str:
    for attr in ("name", "headline", "label"):
        v = getattr(model, attr, None)
        if v:
            return str(v)
    return "newskg"
