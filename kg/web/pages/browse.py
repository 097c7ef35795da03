"""Index pages (``/browse/{kind}``): every person, organisation, event, post, place or article, paged to
its end, sortable and filterable without writing SPARQL.

Why: the home page's counts used to open a 500-row query in the editor with no pager, so most entities
of a large store could not be reached by browsing. Each index lists one kind with its name, latest date
and number of articles; sorts by name, by number of articles or by date; filters by a part of the name,
a year (dated kinds), an organisation (people holding a post in it, its posts, the events it organised)
and a role (people who had it at some event). Dated lists jump to the page where a year starts.

The queries are built here (not read from ``kg/queries/pages``): their patterns depend on the kind, the
filters and the sort. Every value from the URL goes through ``queries.term`` (checked IRIs, escaped
literals), every class, property and sort is one of the constants below.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rdflib import URIRef

from kg.store.base import Store
from kg.web.pages import labels as L
from kg.web.pages.cache import cached_rows
from kg.web.pages.common import Link, Linker, fmt_date, n, s
from kg.web.pages.paging import Paging, YearJump, make_paging
from kg.web.pages.queries import Row, term

PAGE_SIZE = 50
SLUG = re.compile(r"[A-Za-z0-9_-]{1,200}")  # an entity id, as kg.web.resources accepts it
KINDS = ("person", "organization", "event", "post", "place", "article")
KIND_LABELS = {"person": L.Label("人物", "people"), "organization": L.Label("机构", "organisations"),
               "event": L.Label("事件", "events"), "post": L.Label("职务", "posts"),
               "place": L.Label("地点", "places"), "article": L.Label("文章", "articles")}
DATE_PROP = {"event": L.SCHEMA + "startDate", "article": L.SCHEMA + "datePublished"}
NAME_PATH = "<https://schema.org/name>|<http://www.w3.org/2000/01/rdf-schema#label>|<https://schema.org/headline>"
SORTS = {"name": ("?name ?s", L.Label("名称", "name")),
         "articles": ("DESC(?articles) ?name ?s", L.Label("文章数", "articles")),
         "date": ("DESC(?date) ?s", L.Label("日期", "date, newest first"))}
DEFAULT_SORT = {"person": "articles", "organization": "articles", "event": "date", "post": "name",
                "place": "articles", "article": "date"}
ORG_FILTER = {  # how an organisation filters each kind (people: holding a post in it)
    "person": "GRAPH ?h {{ ?s <" + L.ORG + "holds> ?post . ?post <" + L.ORG + "postIn> {org} }}",
    "post": "GRAPH ?h {{ ?s <" + L.ORG + "postIn> {org} }}",
    "event": "GRAPH ?h {{ ?s <https://schema.org/organizer> {org} }}",
}
ROLE_FILTER = "GRAPH ?r {{ ?part <{kg}agent> ?s ; <{kg}role> {role} }}"


def sorts_of(kind: str) -> list[str]:
    """The sorts a kind offers (articles have one article each; only dated kinds sort by date)."""
    out = ["name"] if kind != "article" else []
    if kind != "article":
        out.append("articles")
    if kind in DATE_PROP:
        out.append("date")
    return out


@dataclass
class Filters:
    """What the reader asked for: ``q`` a part of the name, ``year`` (four digits), ``org`` and ``role``
    IRIs (checked against the base and the role vocabulary), ``sort`` one of ``sorts_of(kind)``."""

    sort: str
    q: str = ""
    year: str = ""
    org: str = ""
    role: str = ""

    def args(self) -> dict[str, str]:
        """The filters as query parameters (empty ones left out), carried by every pager link."""
        return {k: v for k, v in (("sort", self.sort), ("q", self.q), ("year", self.year), ("org", self.org),
                                  ("role", self.role)) if v}


def filters(kind: str, params: dict[str, str], base: str) -> Filters:
    """The filters from a request's parameters; what does not fit this kind is dropped, not an error."""
    sort = params.get("sort", "")
    f = Filters(sort if sort in sorts_of(kind) else DEFAULT_SORT[kind], " ".join(params.get("q", "").split())[:50])
    year = params.get("year", "")
    if kind in DATE_PROP and len(year) == 4 and year.isdigit():
        f.year = year
    org = params.get("org", "")
    if org.startswith("/organization/"):  # the organisation's page path, as the pages link it
        org = base.rstrip("/") + org
    prefix = base.rstrip("/") + "/organization/"
    if kind in ORG_FILTER and org.startswith(prefix) and SLUG.fullmatch(org[len(prefix):]):
        f.org = org
    role = params.get("role", "")
    if kind == "person" and role in role_iris():
        f.role = role
    return f


def role_iris() -> list[str]:
    return [L.KG + r for r in L.ROLE_ORDER]


def _where(kind: str, f: Filters, for_rows: bool) -> str:
    classes = [c for c, k in L.KIND_OF_CLASS.items() if k == kind]
    types = " UNION ".join(f"{{ ?s a <{c}> }}" for c in classes)
    parts = [types]
    if f.q:
        parts.append(f"?s {NAME_PATH} ?nm . FILTER(CONTAINS(LCASE(STR(?nm)), LCASE({term(f.q)})))")
    elif for_rows:
        parts.append(f"OPTIONAL {{ ?s {NAME_PATH} ?nm }}")
    if kind in DATE_PROP:
        if f.year:
            parts.append(f"?s <{DATE_PROP[kind]}> ?d . FILTER(STRSTARTS(STR(?d), {term(f.year)}))")
        elif for_rows:
            parts.append(f"OPTIONAL {{ ?s <{DATE_PROP[kind]}> ?d }}")
    outside = []
    if f.org:
        outside.append(ORG_FILTER[kind].format(org=term(URIRef(f.org))))
    if f.role:
        outside.append(ROLE_FILTER.format(kg=L.KG, role=term(URIRef(f.role))))
    return "GRAPH ?g {\n    " + " .\n    ".join(parts) + "\n  }\n  " + "\n  ".join(outside)


def rows_query(kind: str, f: Filters) -> str:
    """Every entity of ``kind`` that passes ``f``: name, latest date, number of graphs (articles) naming it."""
    return (f"SELECT ?s (MIN(?nm) AS ?name) (MAX(?d) AS ?date) (COUNT(DISTINCT ?g) AS ?articles)\n"
            f"WHERE {{\n  {_where(kind, f, True)}\n}}\nGROUP BY ?s\nORDER BY {SORTS[f.sort][0]}\n")


def count_query(kind: str, f: Filters) -> str:
    return f"SELECT (COUNT(DISTINCT ?s) AS ?n)\nWHERE {{\n  {_where(kind, f, False)}\n}}\n"


def years_query(kind: str, f: Filters) -> str:
    """Entities per year of their latest date (the year an entity is listed under when sorted by date)."""
    inner = Filters(f.sort, f.q, "", f.org, f.role)
    return (f"SELECT ?y (COUNT(?s) AS ?n)\nWHERE {{\n  {{ SELECT ?s (MAX(?d) AS ?m) WHERE {{\n  "
            f"{_where(kind, inner, True)}\n  }} GROUP BY ?s }}\n  BIND(SUBSTR(STR(?m), 1, 4) AS ?y)\n"
            f"  FILTER(REGEX(?y, \"^[0-9]{{4}}$\"))\n}}\nGROUP BY ?y\nORDER BY DESC(?y)\n")


def _run(store: Store, text: str) -> list[Row]:
    return cached_rows(store, text, lambda: list(store.query(text).rows()))


@dataclass
class BrowseRow:
    link: Link
    date: str
    articles: int


@dataclass
class BrowsePage:
    what: str
    label: L.Label
    rows: list[BrowseRow]
    paging: Paging
    filters: Filters
    sorts: list[tuple[str, L.Label]]
    years: list[YearJump] = field(default_factory=list)
    org: Link | None = None
    roles: list[tuple[str, L.Label]] = field(default_factory=list)
    kinds: list[tuple[str, L.Label]] = field(default_factory=list)
    kind: str = "browse"

    @property
    def dated(self) -> bool:
        return self.what in DATE_PROP

    @property
    def counted(self) -> bool:
        return self.what != "article"


def browse(store: Store, lk: Linker, kind: str, f: Filters, page: int = 1) -> BrowsePage | None:
    """One page of the index of ``kind`` (None for a kind without an index)."""
    if kind not in KINDS:
        return None
    total = n(_run(store, count_query(kind, f))[0]["n"]) or 0
    paging = make_paging(total, page, PAGE_SIZE, "page")
    paging.extra = {k: v for k, v in f.args().items() if (k, v) != ("sort", DEFAULT_SORT[kind])}
    text = rows_query(kind, f) + f"LIMIT {paging.size} OFFSET {paging.offset}\n"
    rows = _run(store, text) if total else []
    out = [BrowseRow(lk.link(r["s"], r.get("name")), fmt_date(r.get("date")), n(r.get("articles")) or 0)  # type: ignore[arg-type]
           for r in rows if r.get("s") is not None]
    years: list[YearJump] = []
    if kind in DATE_PROP and total:
        before = 0
        for r in _run(store, years_query(kind, f)):
            c = n(r["n"]) or 0
            years.append(YearJump(s(r["y"]), c, before // PAGE_SIZE + 1))
            before += c
    org = None
    if f.org:
        found = _run(store, f"SELECT (SAMPLE(?nm) AS ?name) WHERE {{ GRAPH ?g {{ {term(URIRef(f.org))} "
                            f"<https://schema.org/name> ?nm }} }}")
        org = lk.link(URIRef(f.org), found[0].get("name") if found else None)
    roles = [(r, L.label(r)) for r in role_iris()] if kind == "person" else []
    return BrowsePage(kind, KIND_LABELS[kind], out, paging, f, [(k, SORTS[k][1]) for k in sorts_of(kind)], years,
                      org, roles, [(k, KIND_LABELS[k]) for k in KINDS])
