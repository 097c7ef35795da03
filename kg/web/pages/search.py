"""The search page (``/search``) and its JSON twin (``/search.json``): a view over ``kg.search``.

The page only queries: the index (``kg.search.index_for``) finds and describes hits; links are made
by the pages' ``Linker``. Every hit of every kind is reachable: one list with its total, tabs per
kind with their counts, and a pager (links and a GET form, no script).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, Response

from kg import search as S
from kg.search.query import KINDS, Result
from kg.search.query import search as run_search
from kg.store.base import Store
from kg.web.pages.common import Link, Linker, with_event_context
from kg.web.pages.paging import Paging

KIND_LABELS = {"person": "人物 people", "organization": "机构 organisations", "event": "事件 events",
               "post": "职务 posts", "place": "地点 places", "article": "文章 articles"}
KIND_TAGS = {"person": "人物 person", "organization": "机构 organisation", "event": "事件 event",
             "post": "职务 post", "place": "地点 place", "article": "文章 article"}


@dataclass
class SearchHit:
    link: Link
    kind: str
    matched: str
    description: str
    snippet: tuple[str, str, str] | None
    namesakes: bool = False  # another person of the same name is on this page: link the namesakes page


@dataclass
class Tab:
    kind: str | None
    label: str
    count: int
    href: str
    current: bool


@dataclass
class SearchPage:
    q: str
    result: Result
    hits: list[SearchHit]
    tabs: list[Tab]
    suggestions: list[tuple[str, str, str, int]]  # (text, href, reason, hits)
    updating: bool = False
    kind: str = "search"
    json_href: str = ""
    pages: list[tuple[int | None, str]] = field(default_factory=list)  # (page or None for a gap, href)

    def href(self, page: int) -> str:
        return _href(self.q, self.result.kind, page)


def _href(q: str, kind: str | None, page: int = 1, path: str = "/search") -> str:
    args: dict[str, Any] = {"q": q}
    if kind:
        args["kind"] = kind
    if page > 1:
        args["page"] = page
    return f"{path}?{urlencode(args)}"


def search_page(store: Store, lk: Linker, q: str, kind: str | None = None, page: int = 1) -> SearchPage:
    """The view model of one page of search results."""
    res = run_search(S.index_for(store), q, kind, page)
    hits = [SearchHit(lk.link(h.iri, h.name), h.kind, h.matched, h.description, h.snippet)  # type: ignore[arg-type]
            for h in res.hits]
    people = [h.link.text for h in hits if h.kind == "person"]
    for h in hits:
        h.namesakes = h.kind == "person" and people.count(h.link.text) > 1
    everything = sum(res.counts.values())
    tabs = [Tab(None, "全部 all", everything, _href(res.q, None), res.kind is None)]
    tabs += [Tab(k, KIND_LABELS[k], res.counts[k], _href(res.q, k), res.kind == k) for k in KINDS if res.counts[k]]
    sugg = [(s.query, _href(s.query, None), s.reason, s.hits) for s in res.suggestions]
    paging = Paging(res.page, res.total, res.per_page)
    pages = [(p, _href(res.q, res.kind, p) if p else "") for p in paging.window()]
    found = SearchPage(res.q, res, hits, tabs, sugg, S.updating(store),
                       json_href=_href(res.q, res.kind, res.page, "/search.json"), pages=pages)
    return with_event_context(store, found)  # a hit named 选举 says which 选举


def as_json(page: SearchPage) -> dict[str, Any]:
    """The page's own data: what the HTML shows, for scripts and tests."""
    r = page.result
    return {
        "q": r.q, "kind": r.kind, "page": r.page, "pages": r.pages, "per_page": r.per_page, "total": r.total,
        "first": r.first, "last": r.last, "counts": r.counts, "updating": page.updating,
        "hits": [{"iri": h.link.iri, "path": h.link.href, "kind": h.kind, "name": h.link.text,
                  "matched": h.matched, "description": h.description,
                  "snippet": "".join(h.snippet) if h.snippet else None} for h in page.hits],
        "suggestions": [{"q": t, "path": href, "reason": why, "hits": n} for t, href, why, n in page.suggestions],
        "next": _href(r.q, r.kind, r.page + 1, "/search.json") if r.page < r.pages else None,
        "prev": _href(r.q, r.kind, r.page - 1, "/search.json") if r.page > 1 else None,
    }


def add_routes(r: APIRouter, pages: Any) -> None:
    """``/search`` (HTML) and ``/search.json`` on the pages' router; ``pages`` is ``routes.Pages``."""

    def model(q: str, kind: str, page: int) -> SearchPage | None:
        return search_page(pages.store, pages.linker, q, kind or None, page) if q.strip() else None

    @r.get("/search", response_class=HTMLResponse)
    async def search(q: str = Query("", max_length=200), kind: str = Query("", max_length=20),
                     page: int = Query(1, ge=1, le=1_000_000), _format: str = "") -> Response:
        if _format == "json":  # the pages' JSON twin convention (?_format=json), as /search.json
            return await search_json(q, kind, page)
        found = await run_in_threadpool(model, q, kind, page)
        return pages.render("search.html", q=q, page=found, title=f"搜索 {q}" if q.strip() else "搜索 Search")

    @r.get("/search.json")
    async def search_json(q: str = Query("", max_length=200), kind: str = Query("", max_length=20),
                          page: int = Query(1, ge=1, le=1_000_000)) -> JSONResponse:
        found = await run_in_threadpool(model, q, kind, page)
        if found is None:
            return JSONResponse({"q": q, "total": 0, "hits": [], "suggestions": [], "counts": {}})
        return JSONResponse(as_json(found))
