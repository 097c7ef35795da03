"""Search by name (``/search?q=``): people, organisations and events, ranked."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import URIRef

from kg.script import has_traditional, to_simplified
from kg.store.base import Store
from kg.web.pages import labels as L
from kg.web.pages.common import (
    Link,
    Linker,
    n,
    s,
)
from kg.web.pages.queries import run


@dataclass
class Hit:
    link: Link
    kind: str
    matched: str
    score: tuple[int, int, int]


SEARCH_KINDS = {"person": 0, "organization": 1, "event": 2}


def normalise_query(q: str) -> str:
    return "".join(q.lower().split())


def search(store: Store, lk: Linker, q: str, limit: int = 50) -> list[Hit]:
    """People, organisations and events matching ``q`` by name, part of a name or pinyin, ranked:
    exact matches, then prefixes, then contained; ties go to the entity mentioned in more articles."""
    key = normalise_query(q)[:100]
    if not key:
        return []
    keys = [key]
    if has_traditional(key):  # 裴漢舟 also finds a person only ever printed 裴汉舟 (issue 22)
        keys = list(dict.fromkeys([key, normalise_query(to_simplified(key))[:100]]))
    best: dict[str, tuple[tuple[int, int], str, str]] = {}
    for k in keys:
        for r in run(store, "search", q=k):
            iri = s(r["s"])
            kind = L.KIND_OF_CLASS.get(s(r["type"]))
            if kind not in SEARCH_KINDS:
                continue
            label = s(r["label"])
            flat = normalise_query(label)
            grade = (0 if flat == k else 1 if flat.startswith(k) else 2,
                     0 if s(r["prop"]) == L.SCHEMA + "name" else 1)
            if iri not in best or grade < best[iri][0]:
                best[iri] = (grade, label, kind)
    if not best:
        return []
    top = sorted(best.items(), key=lambda kv: (kv[1][0], len(kv[1][1])))[:200]
    extra = {s(r["s"]): (s(r["name"]), n(r["n"]) or 0)
             for r in run(store, "search_weights", candidates=[URIRef(i) for i, _ in top])}
    hits = []
    for iri, ((grade, prop), label, kind) in top:
        name, weight = extra.get(iri, ("", 0))
        hits.append(Hit(lk.link(URIRef(iri), name or label), kind, label,  # type: ignore[arg-type]
                        (grade, -weight, SEARCH_KINDS[kind] * 10 + prop)))
    hits.sort(key=lambda h: (h.score, len(h.link.text), h.link.text))
    return hits[:limit]


