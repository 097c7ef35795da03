"""The pages' FastAPI router and the ``html_for`` hook of content negotiation."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, PlainTextResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from kg.errors import KgError
from kg.store.base import Store
from kg.web.pages import labels as L
from kg.web.pages import views as V
from kg.web.pages.queries import examples

WEB_DIR = Path(__file__).resolve().parents[1]
TEMPLATES = WEB_DIR / "templates"
STATIC = WEB_DIR / "static" / "pages"
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

    def view(self, kind: str, ident: str, page: int = 1) -> Any | None:
        """The view model of one entity page, or None when the id or the entity is unknown."""
        fn = V.VIEWS.get(kind)
        if fn is None or not ID_RE.match(ident):
            return None
        return fn(self.store, self.linker, f"{self.base}/{kind}/{ident}", page)

    def html_for(self, kind: str, ident: str, page: int = 1) -> HTMLResponse | None:
        """The HTML page of ``{base}/{kind}/{ident}`` for a client that prefers text/html; None if unknown."""
        model = self.view(kind, ident, page)
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

        @r.get("/search", response_class=HTMLResponse)
        def search(q: str = Query("", max_length=200)) -> HTMLResponse:
            hits = V.search(self.store, self.linker, q) if q.strip() else []
            return self.render("search.html", q=q, hits=hits, title=f"搜索 {q}" if q else "搜索 Search")

        @r.get("/name", response_class=HTMLResponse)
        def name(q: str = Query("", max_length=50)) -> HTMLResponse:
            """The disambiguation page of a written name: every person of that name, told apart."""
            page = V.namesakes(self.store, self.linker, q.strip()) if q.strip() else V.NamePage("", [])
            return self.render("name.html", page=page, title=f"{q} · 同名 namesakes" if q else "同名 Namesakes")

        @r.get("/query", response_class=HTMLResponse)
        def query(query: str = Query("", max_length=20000), example: str = "") -> HTMLResponse:
            return self.query_page(query, example)

        @r.get("/static/pages/{name}")
        def static(name: str) -> Response:
            path = STATIC / name
            if not re.match(r"^[a-z0-9_-]+\.(css|js|svg)$", name) or not path.is_file():
                return PlainTextResponse("not found", status_code=404)
            return Response(path.read_bytes(), media_type=STATIC_TYPES[path.suffix],
                            headers={"Cache-Control": "public, max-age=3600"})

        if entity_routes:
            @r.get("/{kind}/{ident}", response_class=HTMLResponse)
            def entity(kind: str, ident: str, page: int = Query(1, ge=1, le=100000)) -> HTMLResponse:
                return self.html_for(kind, ident, page) or self.not_found(kind, ident)

        return r

    # ------------------------------------------------------------ the query editor

    def query_page(self, text: str, example: str = "") -> HTMLResponse:
        exs = examples()
        if not text.strip() and example:
            text = next((t for stem, _, t in exs if stem == example), "")
        if not text.strip():
            return self.render("query.html", text=exs[0][2] if exs else "", examples=exs, result=None,
                               error=None, title="SPARQL 查询 Query")
        error = None
        result: dict[str, Any] | None = None
        started = time.perf_counter()
        try:
            res = self.store.query(text, timeout=30)
            if res.kind == "solutions":
                rows = []
                for i, row in enumerate(res.rows()):
                    if i >= MAX_ROWS:
                        break
                    rows.append([self.cell(row.get(v)) for v in res.variables])
                result = {"kind": "solutions", "columns": res.variables, "rows": rows, "formats": SELECT_FORMATS}
            elif res.kind == "boolean":
                result = {"kind": "boolean", "value": res.boolean(), "formats": SELECT_FORMATS}
            else:
                rows = []
                for i, t in enumerate(res.triples()):
                    if i >= MAX_ROWS:
                        break
                    rows.append([self.cell(x) for x in t])
                result = {"kind": "graph", "columns": ["subject", "predicate", "object"], "rows": rows,
                          "formats": GRAPH_FORMATS}
            result["truncated"] = len(result.get("rows", [])) >= MAX_ROWS
            result["ms"] = round((time.perf_counter() - started) * 1000, 1)
        except KgError as exc:
            error = str(exc)
        status = 400 if error else 200
        return self.render("query.html", status=status, text=text, examples=exs, result=result, error=error,
                           title="SPARQL 查询 Query")

    def cell(self, term: Any) -> dict[str, Any] | None:
        """One result cell: an IRI (with its local page path), a literal (value, language, datatype)."""
        if term is None:
            return None
        from rdflib import BNode, Literal, URIRef

        if isinstance(term, URIRef):
            return {"iri": str(term), "href": self.linker.path(str(term)), "kind": self.linker.kind(str(term))}
        if isinstance(term, BNode):
            return {"text": f"_:{term}"}
        if isinstance(term, Literal):
            dt = L.local_name(str(term.datatype)) if term.datatype else None
            return {"text": str(term), "lang": term.language, "datatype": dt}
        return {"text": str(term)}


def _title(model: Any) -> str:
    for attr in ("name", "headline", "label"):
        v = getattr(model, attr, None)
        if v:
            return str(v)
    return "newskg"
