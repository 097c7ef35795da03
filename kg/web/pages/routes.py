"""The pages' FastAPI router and the ``html_for`` hook of content negotiation."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from rdflib import URIRef
from starlette.concurrency import run_in_threadpool

from kg.errors import KgError
from kg.resources import STATIC_DIR, TEMPLATE_DIR
from kg.store.base import Store
from kg.web.pages import browse as B
from kg.web.pages import home as H
from kg.web.pages import labels as L
from kg.web.pages import twin as T
from kg.web.pages import views as V
from kg.web.pages.common import Linker, event_names, lookup, name_in, with_event_context
from kg.web.pages.home import StoreCounts
from kg.web.pages.names import NamePage, namesakes
from kg.web.pages.paging import whole
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
    env.globals["org_kind"] = L.org_kind
    env.globals["urlencode"] = urlencode
    return env


class Pages:
    """The HTML pages over one store whose IRIs live under ``base``."""

    def __init__(self, store: Store, base: str) -> None:
        self.store = store
        self.base = base.rstrip("/")
        self.linker = Linker(self.base)
        self.counts = StoreCounts(store)  # the home page's slow figures, kept as long as this store is served
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
        if kind in V.MANY_LISTS:  # the pages with more than one paged list
            model = fn(self.store, self.linker, f"{self.base}/{kind}/{ident}", page, lists)
        else:
            model = fn(self.store, self.linker, f"{self.base}/{kind}/{ident}", page)
        return with_event_context(self.store, model)  # every 选举 it links to, with its context

    def html_for(self, kind: str, ident: str, page: int = 1,
                 lists: dict[str, int] | None = None) -> HTMLResponse | None:
        """The HTML page of ``{base}/{kind}/{ident}`` for a client that prefers text/html; None if unknown."""
        model = self.view(kind, ident, page, lists)
        if model is None:
            return None
        return self.render(f"{kind}.html", page=model, rdf_path=f"/{kind}/{ident}", title=_title(model))

    def respond(self, kind: str, ident: str, page: int = 1, lists: dict[str, int] | None = None,
                params: dict[str, str] | None = None) -> Response | None:
        """The entity's page, or with ``?_format=json`` its JSON twin, or with ``?_format=csv|json&_list=NAME``
        one of its lists whole (kg.web.pages.twin); None if the entity is unknown."""
        params = params or {}
        fmt, name = params.get("_format", ""), params.get("_list", "")
        if not fmt:
            return self.html_for(kind, ident, page, lists)
        if fmt not in T.FORMATS or (fmt == "csv" and not name):
            return self.bad_format(T.LISTS.get(kind, {}))
        if not name:
            model = self.view(kind, ident, page, lists)
            return None if model is None else self.twin(model)
        spec = T.LISTS.get(kind, {}).get(name)
        if spec is None:
            return self.bad_format(T.LISTS.get(kind, {}))
        with whole(spec[0] or ""):
            model = self.view(kind, ident, 1, {})
        return None if model is None else self.download(T.list_items(kind, model, name) or [], fmt,
                                                        f"{kind}-{ident}-{name}")

    def twin(self, model: Any) -> Response:
        """The page's view model as JSON: what the HTML shows, as data."""
        return Response(T.dumps(model), media_type=T.JSON_TYPE)

    def download(self, items: list[Any], fmt: str, stem: str) -> Response:
        """One list, all its rows, as CSV or JSON (a file name the browser saves it under)."""
        if fmt == "csv":
            return Response(T.to_csv(items), media_type=T.CSV_TYPE,
                            headers={"Content-Disposition": f'attachment; filename="{stem}.csv"'})
        return Response(T.dumps(items), media_type=T.JSON_TYPE)

    def bad_format(self, lists: dict[str, Any]) -> Response:
        names = ", ".join(lists) or "none"
        return PlainTextResponse("?_format= takes json (the page, or one list with _list=NAME) or csv with "
                                 f"_list=NAME; this page's lists: {names}\n", status_code=400)

    def browse(self, kind: str, params: dict[str, str]) -> Response:
        """The index page of one kind (``/browse/{kind}``), its JSON twin, or its rows whole."""
        f = B.filters(kind, params, self.base)
        try:
            page = max(1, min(int(params.get("page", "1")), 100000))
        except ValueError:
            page = 1
        fmt = params.get("_format", "")
        if fmt and (fmt not in T.FORMATS or (fmt == "csv" and params.get("_list") != "rows")):
            return self.bad_format({"rows": None})
        if fmt and params.get("_list") == "rows":
            with whole("page"):
                model = with_event_context(self.store, B.browse(self.store, self.linker, kind, f, 1))
            return self.download(model.rows if model else [], fmt, f"{kind}-index")
        model = with_event_context(self.store, B.browse(self.store, self.linker, kind, f, page))
        if model is None:
            return self.not_found("browse", kind)
        if fmt:
            return self.twin(model)
        where = f" · {f.q}" if f.q else ""
        where += f" · {f.year}" if f.year else ""
        return self.render("browse.html", page=model, title=f"{model.label.zh} {model.label.en}{where}")

    def not_found(self, kind: str, ident: str) -> HTMLResponse:
        return self.render("not_found.html", status=404, kind=kind, ident=ident, title="未找到 Not found")

    def no_route(self, path: str) -> HTMLResponse:
        """The 404 page of an address nothing serves, for a browser (other clients keep the plain answer)."""
        return self.render("not_found.html", status=404, path=path, title="未找到 Not found")

    # ------------------------------------------------------------ the router

    def router(self) -> APIRouter:
        """``/``, ``/search``, ``/query``, ``/static/pages/…``; entity IRIs reach ``respond`` through the
        service's content negotiation (``kg.web.pages.install``)."""
        r = APIRouter()

        @r.get("/", response_class=HTMLResponse)
        def home(_format: str = "") -> Response:
            model = with_event_context(self.store, H.home(self.store, self.linker, self.counts))
            if _format == "json":
                return self.twin(model)
            return self.render("home.html", page=model, title="newskg")

        @r.get("/browse/{kind}", response_class=HTMLResponse)
        def browse(request: Request, kind: str) -> Response:
            """The index of one kind: every entity, paged, sortable, filterable (kg.web.pages.browse)."""
            return self.browse(kind, dict(request.query_params))

        search_routes(r, self)  # /search and /search.json (kg.web.pages.search)

        @r.get("/name", response_class=HTMLResponse)
        def name(q: str = Query("", max_length=50), _format: str = "") -> Response:
            """The disambiguation page of a written name: every person of that name, told apart."""
            page = namesakes(self.store, self.linker, q.strip()) if q.strip() else NamePage("", [])
            if _format == "json":
                return self.twin(page)
            return self.render("name.html", page=page, title=f"{q} · 同名 namesakes" if q else "同名 Namesakes")

        @r.get("/query", response_class=HTMLResponse)
        async def query(request: Request, query: str = "", example: str = "") -> Response:
            return await self.query_page(request, query, example)

        @r.get("/favicon.ico", include_in_schema=False)
        def favicon() -> Response:
            """The site's icon (browsers ask for /favicon.ico on every page; pages also link the SVG)."""
            return Response((STATIC / "favicon.svg").read_bytes(), media_type="image/svg+xml",
                            headers={"Cache-Control": "public, max-age=86400"})

        @r.get("/static/pages/{name}")
        def static(name: str) -> Response:
            path = STATIC / name
            if not re.match(r"^[a-z0-9_-]+\.(css|js|svg)$", name) or not path.is_file():
                return PlainTextResponse("not found", status_code=404)
            return Response(path.read_bytes(), media_type=STATIC_TYPES[path.suffix],
                            headers={"Cache-Control": "public, max-age=3600"})

        return r

    # ------------------------------------------------------------ the query editor

    async def query_page(self, request: Request, text: str, example: str = "") -> Response:
        """The editor and, for a query, its first rows: run by the app's query runner (``kg.web.limits``),
        the same guarded path as ``/sparql`` (worker process, deadline, size and per-client limits, no
        SERVICE or LOAD), never in the server process."""
        from kg.web.context import context
        from kg.web.limits import LimitError, while_connected
        from kg.web.policy import Forbidden

        exs = examples()
        if not text.strip() and example:
            text = next((t for stem, _, t in exs if stem == example), "")
        if not text.strip():
            return self.render("query.html", text=exs[0][2] if exs else "", examples=exs, result=None,
                               error=None, title="SPARQL 查询 Query")
        runner = context(request).runner
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
            names = await run_in_threadpool(self.result_names, table["rows"])  # store reads: off the loop
            result["rows"] = [[self.cell(c, names) for c in row] for row in table["rows"]]
            result["formats"] = GRAPH_FORMATS if table["kind"] == "graph" else SELECT_FORMATS
            result["ms"] = round(table["seconds"] * 1000, 1)
        page = self.render("query.html", status=status, text=text, examples=exs, result=result, error=error,
                           title="SPARQL 查询 Query")
        page.headers.update(headers)
        return page

    def result_names(self, rows: list[list[tuple | None]]) -> dict[str, str]:
        """Names of the store's own entities in a result (person, organisation, event, article…), so the
        table shows 市委书记 rather than a path. Read with the pages' label lookup (bounded VALUES queries
        whose answers are kept until the store is written), for at most MAX_ROWS rows."""
        iris = [URIRef(c[1]) for row in rows for c in row
                if c is not None and c[0] == "iri" and self.linker.path(c[1])]
        if not iris:
            return {}
        facts = lookup(self.store, list(dict.fromkeys(iris)))
        names = {str(i): name for i in iris if (name := name_in(facts, i)) and str(i) in facts}
        events = {i: n for i, n in names.items() if self.linker.kind(i) == "event"}
        return names | event_names(self.store, events)  # a 选举 with its context, as on the pages

    def cell(self, term: tuple | None, names: dict[str, str] | None = None) -> dict[str, Any] | None:
        """One result cell from the runner's plain data: an IRI (with its local page path and the entity's
        name), a blank node, a literal (value, language, datatype)."""
        if term is None:
            return None
        if term[0] == "iri":
            return {"iri": term[1], "href": self.linker.path(term[1]), "kind": self.linker.kind(term[1]),
                    "name": (names or {}).get(term[1])}
        if term[0] == "bnode":
            return {"text": f"_:{term[1]}"}
        dt = L.local_name(term[3]) if term[3] else None
        return {"text": term[1], "lang": term[2], "datatype": dt}


# page parameters of lists besides ?page=
LIST_PARAMS = ("posts_page", "summary_page", "articles_page", "events_page", "grants_page", "holders_page")


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
    """The page's title, told apart from its namesakes in tabs and history: an event with its date, place
    and the event it is part of ("选举 · 2022-01-12 · 示例市 · 示例市人代会"), an article with its date and
    paper, a post with its organisation, a person with their latest post."""
    kind = getattr(model, "kind", "")
    parts: list[str] = []
    for attr in ("name", "headline", "label"):
        v = getattr(model, attr, None)
        if v:
            parts.append(str(v))
            break
    if kind == "event":
        parts += [model.date, *(x.text for x in model.places[:1]), *(x.text for x in model.super_events[:1])]
    elif kind == "article":
        parts += [model.date, model.publisher.text if model.publisher else ""]
    elif kind == "post" and model.org is not None:
        parts.append(model.org.text)
    elif kind == "person" and model.post_summary and model.post_summary[0].post is not None:
        parts.append(model.post_summary[0].post.text)
    return " · ".join(p for p in parts if p) or "newskg"
