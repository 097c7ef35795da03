"""What every page view shares: links to entity pages, formatting of terms, dates and amounts, and
the names and details of the entities a page shows, looked up once per page (``Lookup``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields, is_dataclass, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from rdflib import Literal, URIRef
from rdflib.term import Node

from kg.store.base import Store
from kg.web.pages import labels as L
from kg.web.pages.cache import cache_for
from kg.web.pages.queries import Row, run
from kg.web.pages.text import Highlight, highlight

PAGE_SIZE = 50  # rows of a paged list
XSD_GMONTHDAY = "http://www.w3.org/2001/XMLSchema#gMonthDay"


@dataclass(frozen=True)
class Link:
    """A link to an entity page: ``href`` is a local path, or None for IRIs outside the base."""

    iri: str
    text: str
    href: str | None
    kind: str | None = None


class Linker:
    """Turns IRIs under the store's base into local page paths."""

    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/")

    def path(self, iri: str) -> str | None:
        if iri.startswith(self.base + "/"):
            return iri[len(self.base):]
        return None

    def kind(self, iri: str) -> str | None:
        p = self.path(iri)
        if p is None:
            return None
        seg = p.split("/")[1] if p.count("/") >= 1 else ""
        return seg if seg in ("person", "organization", "event", "article", "place", "post") else None

    def link(self, iri: Node | None, text: Node | str | None = None) -> Link | None:
        if iri is None:
            return None
        s = str(iri)
        shown = str(text) if text is not None and str(text) else L.local_name(s)
        return Link(s, shown, self.path(s), self.kind(s))


def s(v: Node | None) -> str:
    """A term's lexical form, '' for None."""
    return "" if v is None else str(v)


def n(v: Node | None) -> int | None:
    try:
        return int(str(v)) if v is not None else None
    except ValueError:
        return None


def fmt_date(v: Node | None) -> str:
    """A date as shown: ``2022-01-12``; a gMonthDay as ``1月12日（年份不详）``."""
    if v is None:
        return ""
    text = str(v)
    if isinstance(v, Literal) and str(v.datatype) == XSD_GMONTHDAY and text.startswith("--"):
        try:
            m, d = int(text[2:4]), int(text[5:7])
            return f"{m}月{d}日（年份不详）"
        except ValueError:
            return text
    return text


def fmt_yuan(v: Node | None) -> str:
    """An amount in yuan with thousands separators and, from 10,000 up, in 万/亿 too."""
    if v is None:
        return ""
    try:
        d = Decimal(str(v))
    except InvalidOperation:
        return str(v)
    plain = f"{d:,.2f}".rstrip("0").rstrip(".")
    if d >= 100_000_000:
        return f"{plain} 元（{(d / 100_000_000).normalize():f}亿元）"
    if d >= 10_000:
        return f"{plain} 元（{(d / 10_000).normalize():f}万元）"
    return f"{plain} 元"


def roles_of(text: Node | None) -> list[L.Label]:
    """The labels of a space-separated list of role IRIs, in the page's role order."""
    iris = sorted(set(s(text).split()), key=L.role_rank)
    return [L.label(i) for i in iris]


def evidence(row: Row, names: tuple[str, ...] = ()) -> Highlight | None:
    if row.get("evidence") is None:
        return None
    return highlight(s(row["evidence"]), n(row.get("es")), n(row.get("ms")), n(row.get("me")), names)


RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
KG_ROLE, KG_POST, KG_AGENT = L.KG + "role", L.KG + "post", L.KG + "agent"
ORG_POST_IN = L.ORG + "postIn"
NAME_PROPS = (L.SCHEMA + "name", "http://www.w3.org/2000/01/rdf-schema#label", L.SCHEMA + "headline")
Facts = dict[str, dict[str, list[Node]]]
CHUNK = 400


def _fold(store: Store, query: str, iris: list[Node], keep: bool = True) -> Facts:
    out: Facts = {}
    uniq = list(dict.fromkeys(i for i in iris if isinstance(i, URIRef)))
    for k in range(0, len(uniq), CHUNK):
        for r in run(store, query, keep=keep, iris=uniq[k:k + CHUNK]):
            out.setdefault(s(r["s"]), {}).setdefault(s(r["p"]), []).append(r["o"])  # type: ignore[arg-type]
    return out


def lookup(store: Store, iris: list[Node]) -> Facts:
    """Types, names, labels, headlines and organisations of shared entities (labels.rq). Each IRI's
    facts are kept until the store is written (``kg.web.pages.cache``): a much-mentioned person or
    post, linked from many pages, has its name read from thousands of article graphs only once."""
    kept = cache_for(store)
    if kept is None:
        return _fold(store, "labels", iris)
    generation = store.generation  # type: ignore[attr-defined]  # read before the query, as cached_rows does
    out: Facts = {}
    missing: list[Node] = []
    for i in dict.fromkeys(i for i in iris if isinstance(i, URIRef)):
        got = kept.get(generation, f"labels {i}")
        if got is None:
            missing.append(i)
        elif got:
            out[str(i)] = {}
            for r in got:
                out[str(i)].setdefault(s(r["p"]), []).append(r["o"])  # type: ignore[arg-type]
    if missing:
        found = _fold(store, "labels", missing, keep=False)  # kept per IRI below, not per chunk
        out.update(found)
        for i in missing:
            rows = [{"p": URIRef(p), "o": o} for p, os in found.get(str(i), {}).items() for o in os]
            kept.put(generation, f"labels {i}", rows)
    return out


class Lookup:
    """lookup() for one page: each IRI is looked up once however many lists show it (a post or an
    organisation named in thousands of article graphs costs milliseconds each)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.facts: Facts = {}
        self.seen: set[str] = set()

    def __call__(self, iris: list[Node]) -> Facts:
        new = [i for i in dict.fromkeys(iris) if isinstance(i, URIRef) and str(i) not in self.seen]
        if new:
            self.facts.update(lookup(self.store, new))
            self.seen.update(str(i) for i in new)
        return self.facts


def local_nodes(store: Store, iris: list[Node]) -> Facts:
    """Every triple of article-local nodes: participations, holdings (local_nodes.rq)."""
    return _fold(store, "local_nodes", iris)


def first(facts: Facts, iri: Node | None, prop: str) -> Node | None:
    vals = facts.get(s(iri), {}).get(prop, []) if iri is not None else []
    return min(vals, key=str) if vals else None


def name_in(facts: Facts, iri: Node | None) -> str:
    """The name (schema:name, rdfs:label or headline) of ``iri``; its local name when it has none."""
    if iri is None:
        return ""
    for prop in NAME_PROPS:
        v = first(facts, iri, prop)
        if v is not None:
            return str(v)
    return L.local_name(str(iri))


def node_evidence(node: dict[str, list[Node]], names: tuple[str, ...]) -> Highlight | None:
    """The highlighted evidence of a participation or holding from its own triples."""
    def one(prop: str) -> Node | None:
        vals = node.get(L.KG + prop, [])
        return vals[0] if vals else None

    sentence = one("evidence")
    if sentence is None:
        return None
    return highlight(str(sentence), n(one("evidenceStart")), n(one("mentionStart")), n(one("mentionEnd")), names)


def to_decimal(v: Node | None) -> Decimal:
    try:
        return Decimal(str(v)) if v is not None else Decimal(0)
    except InvalidOperation:
        return Decimal(0)

def types_of(rows: list[Row]) -> list[str]:
    return list(dict.fromkeys(s(r["type"]) for r in rows if r.get("type") is not None))


def first_value(rows: list[Row], key: str) -> Node | None:
    return next((r[key] for r in rows if r.get(key) is not None), None)


def all_values(rows: list[Row], key: str) -> list[str]:
    return list(dict.fromkeys(s(r[key]) for r in rows if r.get(key) is not None))

def day_of(v: Node | None) -> date | None:
    """The calendar day of an xsd:date (or dateTime) value; None for other values (gMonthDay, text)."""
    try:
        return date.fromisoformat(s(v)[:10]) if v is not None else None
    except ValueError:
        return None

def links_of(lk: Linker, rows: list[Row], key: str, label: str) -> list[Link]:
    seen: dict[str, Link] = {}
    for r in rows:
        if r.get(key) is not None and s(r[key]) not in seen:
            seen[s(r[key])] = lk.link(r[key], r.get(label))  # type: ignore[assignment]
    return list(seen.values())



def event_contexts(store: Store, iris: Sequence[Node]) -> dict[str, L.EventContext]:
    """The context of each event of ``iris`` that has a generic name (event_context.rq, one query per
    ``CHUNK`` events); events of other names are left out (they are named as they are)."""
    found: dict[str, dict[str, set[str]]] = {}
    uniq = list(dict.fromkeys(i for i in iris if isinstance(i, URIRef)))
    for k in range(0, len(uniq), CHUNK):
        for r in run(store, "event_context", iris=uniq[k:k + CHUNK]):
            one = found.setdefault(s(r["s"]), {})
            for key in ("name", "superName", "organizerName", "placeName"):
                if r.get(key) is not None:
                    one.setdefault(key, set()).add(s(r[key]))
            if r.get("date") is not None:
                one.setdefault("date", set()).add(fmt_date(r["date"]))
    return {iri: L.EventContext(tuple(sorted(f.get("superName", ()))), tuple(sorted(f.get("organizerName", ()))),
                                tuple(sorted(f.get("placeName", ()))), min(f.get("date", {""})))
            for iri, f in found.items() if any(L.is_generic_event(x) for x in f.get("name", ()))}


def _event_links(model: object, out: list[Link]) -> None:
    """Every link to an event page in a view model (dataclasses, lists, tuples and dicts, walked)."""
    if isinstance(model, Link):
        if model.kind == "event":
            out.append(model)
    elif is_dataclass(model) and not isinstance(model, type):
        for f in fields(model):
            _event_links(getattr(model, f.name), out)
    elif isinstance(model, (list, tuple)):
        for x in model:
            _event_links(x, out)
    elif isinstance(model, dict):
        for x in model.values():
            _event_links(x, out)


def _relabel(model: Any, texts: dict[str, str]) -> Any:
    """The model with every event link's text replaced by ``texts[iri]`` where there is one (in place for
    mutable containers and dataclasses; frozen ones and tuples are rebuilt)."""
    if isinstance(model, Link):
        return replace(model, text=texts[model.iri]) if model.kind == "event" and model.iri in texts else model
    if is_dataclass(model) and not isinstance(model, type):
        changes = {f.name: _relabel(getattr(model, f.name), texts) for f in fields(model)}
        changed = {k: v for k, v in changes.items() if v is not getattr(model, k)}
        if not changed:
            return model
        if type(model).__dataclass_params__.frozen:  # type: ignore[attr-defined]
            return replace(model, **changed)
        for k, v in changed.items():
            setattr(model, k, v)
        return model
    if isinstance(model, list):
        model[:] = [_relabel(x, texts) for x in model]
        return model
    if isinstance(model, tuple):
        items = [_relabel(x, texts) for x in model]
        if all(a is b for a, b in zip(items, model, strict=True)):
            return model
        return type(model)(*items) if hasattr(model, "_fields") else tuple(items)  # a named tuple keeps its type
    if isinstance(model, dict):
        for k, v in list(model.items()):
            model[k] = _relabel(v, texts)
        return model
    return model


def with_event_context(store: Store, model: Any) -> Any:
    """The view model with every event of a generic name named with its context (``labels.event_label``):
    "选举 — 青禾市第十届人民代表大会第三次会议, 2023-01-05". Applied once to every page's model, its JSON
    twin and its list downloads (``kg.web.pages.routes``), so no list can show a bare 选举."""
    links: list[Link] = []
    _event_links(model, links)
    texts = event_names(store, {x.iri: x.text for x in links})
    return _relabel(model, texts) if texts else model


def event_names(store: Store, names: dict[str, str]) -> dict[str, str]:
    """Event IRI → the name to show, for the events of ``names`` (IRI → name as stated) whose name is
    generic and whose context is known (``labels.event_label``); others are left out."""
    generic = [URIRef(i) for i, name in names.items() if L.is_generic_event(name)]
    if not generic:
        return {}
    contexts = event_contexts(store, generic)
    return {i: L.event_label(names[i], contexts[i]) for i in names if i in contexts}
