"""Answering a search from the index: ranked hits of every kind with totals and pages, a one-line
description per hit, and suggestions when nothing is found.

Ranking: entities (people, organisations, events, posts, places) whose name, other name or pinyin
contains the query, exact before prefix before contained, names before other names, then the entity
in more articles first; then articles whose headline or text hold the query's words (FTS5's bm25, the
headline weighing ten times the text). One list, paged; ``kind`` keeps one kind of it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from kg.script import has_traditional, to_simplified
from kg.search import segment
from kg.search.index import SearchIndex, normalise

KINDS = ("person", "organization", "event", "post", "place", "article")
KIND_ORDER = {k: i for i, k in enumerate(KINDS)}
PER_PAGE = 20
MAX_QUERY = 100
CJK = re.compile(r"[\u3400-\u9fff]")
SNIPPET = 40  # characters of text around a match
MAX_TRIES = 40  # parts of a query tried for suggestions (each is a search)


@dataclass
class Hit:
    iri: str
    kind: str
    name: str  # what the entity is called (its most stated name), or the headline
    matched: str  # the name, other name or pinyin that matched ("" for articles)
    description: str  # the one line under the hit
    snippet: tuple[str, str, str] | None = None  # text before, the match, after (articles found by text)


@dataclass
class Suggestion:
    query: str
    reason: str  # "pinyin": a name read the same way; "partial": a part of the query that finds something
    hits: int


@dataclass
class Result:
    q: str
    kind: str | None
    page: int
    per_page: int
    total: int  # hits of the kind asked (all kinds without one)
    counts: dict[str, int]  # hits per kind
    hits: list[Hit] = field(default_factory=list)
    suggestions: list[Suggestion] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def first(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.hits else 0

    @property
    def last(self) -> int:
        return self.first + len(self.hits) - 1 if self.hits else 0


def keys(q: str) -> list[str]:
    """The normalised forms a query is looked up by: as typed, and in simplified script (a name printed
    only in simplified characters is found from its traditional form, issue 22)."""
    key = normalise(q)[:MAX_QUERY]
    if not key:
        return []
    out = [key]
    if has_traditional(key):
        out.append(normalise(to_simplified(key))[:MAX_QUERY])
    return list(dict.fromkeys(out))


def _like(key: str) -> str:
    return "%" + key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def match_entities(idx: SearchIndex, q: str) -> list[tuple[str, str, str, tuple]]:
    """Every entity matching ``q``, ranked: (iri, kind, matched text, sort key)."""
    best: dict[str, tuple[tuple[int, int], str, str]] = {}
    with idx.lock:
        for k in keys(q):
            for entity, kind, rank, text, norm in idx.conn.execute(
                    "SELECT entity, kind, rank, text, norm FROM names WHERE norm LIKE ? ESCAPE '\\'", (_like(k),)):
                grade = (0 if norm == k else 1 if norm.startswith(k) else 2, rank)
                if entity not in best or grade < best[entity][0]:
                    best[entity] = (grade, text, kind)
        counts = _article_counts(idx, list(best))
    ranked = [(e, kind, text, (g[0], -counts.get(e, 0), KIND_ORDER[kind], g[1], len(text), text, e))
              for e, (g, text, kind) in best.items()]
    ranked.sort(key=lambda r: r[3])
    return ranked


def count_entities(idx: SearchIndex, q: str) -> int:
    """How many entities match ``q`` (no ranking: what a suggestion shows)."""
    with idx.lock:
        return len({e for k in keys(q) for (e,) in idx.conn.execute(
            "SELECT DISTINCT entity FROM names WHERE norm LIKE ? ESCAPE '\\'", (_like(k),))})


def _article_counts(idx: SearchIndex, entities: list[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for i in range(0, len(entities), 500):
        chunk = entities[i:i + 500]
        marks = ",".join("?" * len(chunk))
        out.update(idx.conn.execute(
            f"SELECT entity, articles FROM stats WHERE entity IN ({marks})", chunk))  # noqa: S608
    return out


def _text_query(q: str) -> str | None:
    qs = to_simplified(q) if has_traditional(q) else q
    return segment.match_expression(qs[:MAX_QUERY])


def count_articles(idx: SearchIndex, q: str) -> int:
    expr = _text_query(q)
    if expr is None:
        return 0
    with idx.lock:
        return idx.conn.execute("SELECT count(*) FROM docs WHERE docs MATCH ?", (expr,)).fetchone()[0]


def articles(idx: SearchIndex, q: str, offset: int, limit: int) -> list[Hit]:
    """Articles whose headline or text hold the query's words, best first (bm25, headline × 10)."""
    expr = _text_query(q)
    if expr is None or limit <= 0:
        return []
    with idx.lock:
        rows = idx.conn.execute(
            "SELECT a.article, a.headline, a.body, a.date, a.paper, a.locality FROM docs "
            "JOIN articles a ON a.id = docs.rowid WHERE docs MATCH ? "
            "ORDER BY bm25(docs, 10.0, 1.0), a.date DESC, a.id LIMIT ? OFFSET ?", (expr, limit, offset)).fetchall()
    words = sorted(set(segment.query_words(q)) | {q.strip()}, key=len, reverse=True)
    hits = []
    for iri, headline, body, date, paper, locality in rows:
        desc = " · ".join(x for x in (paper, date, locality) if x)
        in_headline = any(w and w in (headline or "") for w in words)
        hits.append(Hit(iri, "article", headline or iri.rsplit("/", 1)[-1], "" if in_headline else "text",
                        desc, None if in_headline else snippet(body or "", words)))
    return hits


def snippet(body: str, words: list[str]) -> tuple[str, str, str] | None:
    """The text around the first place one of ``words`` (longest first) occurs."""
    for w in words:
        i = body.find(w) if w else -1
        if i >= 0:
            start, end = max(0, i - SNIPPET), min(len(body), i + len(w) + SNIPPET)
            return (("…" if start else "") + body[start:i], w, body[i + len(w):end] + ("…" if end < len(body) else ""))
    return None


def search(idx: SearchIndex, q: str, kind: str | None = None, page: int = 1, per_page: int = PER_PAGE) -> Result:
    """One page of hits for ``q`` (of one ``kind`` if given), with totals per kind and, when nothing is
    found, suggestions."""
    q = q.strip()[:MAX_QUERY]
    kind = kind if kind in KINDS else None
    if not keys(q):
        return Result(q, kind, 1, per_page, 0, {k: 0 for k in KINDS})
    ents = match_entities(idx, q)
    n_articles = count_articles(idx, q)
    counts = Counter(k for _, k, _, _ in ents)
    counts["article"] = n_articles
    if kind is not None and kind != "article":
        ents = [e for e in ents if e[1] == kind]
    n_ents = 0 if kind == "article" else len(ents)
    total = n_ents + (n_articles if kind in (None, "article") else 0)
    pages = max(1, -(-total // per_page))
    page = max(1, min(page, pages))
    start = (page - 1) * per_page
    chosen = ents[start:start + per_page] if n_ents else []
    hits = describe(idx, chosen)
    if len(hits) < per_page and kind in (None, "article"):
        hits += articles(idx, q, max(0, start - n_ents), per_page - len(hits))
    res = Result(q, kind, page, per_page, total, {k: counts.get(k, 0) for k in KINDS}, hits)
    if sum(res.counts.values()) == 0:
        res.suggestions = suggest(idx, q)
    return res


# ---------------------------------------------------------------- descriptions


def describe(idx: SearchIndex, ents: list[tuple[str, str, str, tuple]]) -> list[Hit]:
    """Hits with their names and one-line descriptions, for one page of entities."""
    hits = []
    with idx.lock:
        for iri, kind, matched, _ in ents:
            name = _name(idx, iri) or matched
            hits.append(Hit(iri, kind, name, matched, _description(idx, iri, kind)))
    return hits


def _name(idx: SearchIndex, iri: str) -> str | None:
    row = idx.conn.execute(
        "SELECT n.text FROM names n JOIN name_graphs g ON g.name_id = n.id WHERE n.entity = ? AND n.rank = 0 "
        "GROUP BY n.id ORDER BY count(*) DESC, n.text LIMIT 1", (iri,)).fetchone()
    return row[0] if row else None


def _facts(idx: SearchIndex, iri: str, fld: str, limit: int) -> list[str]:
    return [v for (v,) in idx.conn.execute(
        "SELECT value FROM facts WHERE entity = ? AND field = ? GROUP BY value ORDER BY count(*) DESC, value "
        "LIMIT ?", (iri, fld, limit))]


def _years(first: str | None, last: str | None) -> str:
    a, b = (first or "")[:4], (last or "")[:4]
    if not a:
        return ""
    return f"{a}年" if a == b else f"{a}–{b}年"


def _description(idx: SearchIndex, iri: str, kind: str) -> str:
    """Person: posts, places, years, number of articles; event: date, place, super-event; post: its
    organisation; every entity: years and number of articles."""
    row = idx.conn.execute("SELECT articles, first, last, posts, places FROM stats WHERE entity = ?",
                           (iri,)).fetchone()
    n, first, last, posts, places = row or (0, None, None, "", "")
    parts: list[str] = []
    if kind == "person":
        parts += [posts, places]
    elif kind == "event":
        parts += [", ".join(_facts(idx, iri, "date", 1)), "、".join(_facts(idx, iri, "place", 1))]
        sup = _facts(idx, iri, "super", 1)
        parts.append(f"属于 {sup[0]}" if sup else "")
    elif kind == "post":
        parts.append("、".join(_facts(idx, iri, "org", 2)))
    if kind != "event":
        parts.append(_years(first, last))
    parts.append(f"{n} 篇文章")
    return " · ".join(p for p in parts if p)


# ---------------------------------------------------------------- suggestions


def suggest(idx: SearchIndex, q: str, limit: int = 5) -> list[Suggestion]:
    """For a query without hits: names read the same way in pinyin (王小红 → 王晓红), then the longest
    parts of the query that find something (its words, then its longest substrings)."""
    out: list[Suggestion] = []
    seen = {q}
    if CJK.search(q):
        from kg.rdf.iris import pinyin

        py = normalise(pinyin(to_simplified(q)))
        with idx.lock:
            rows = idx.conn.execute(
                "SELECT n.entity, coalesce(s.articles, 0) FROM names n LEFT JOIN stats s ON s.entity = n.entity "
                "WHERE n.rank = 2 AND n.norm = ? ORDER BY coalesce(s.articles, 0) DESC, n.entity LIMIT ?",
                (py, limit)).fetchall()
            for entity, _n in rows:
                name = _name(idx, entity)
                if name and name not in seen:
                    seen.add(name)
                    out.append(Suggestion(name, "pinyin", count_entities(idx, name)))
    names = idx.names_text()
    longest = 0  # length of the first part found: shorter parts say less, and each costs a search
    for tries, part in enumerate(_parts(q)):
        if len(out) >= limit or tries >= MAX_TRIES or len(part) < longest:
            break
        if part in seen:
            continue
        seen.add(part)
        named = any(k in names for k in keys(part))
        n = (count_entities(idx, part) if named else 0) + count_articles(idx, part)
        if n:
            out.append(Suggestion(part, "partial", n))
            longest = longest or len(part)
    return out[:limit]


def _parts(q: str) -> list[str]:
    """Parts of a query to try, longest first, its words (jieba) before other substrings of a length;
    substrings of two characters or more for queries up to 16 characters (longer: their words only)."""
    words = [w for w in segment.query_words(q) if len(w) >= 2 and w != q]
    subs: list[str] = []
    flat = normalise(q)
    if len(flat) <= 16:
        for size in range(len(flat) - 1, 1, -1):
            subs += [flat[i:i + size] for i in range(len(flat) - size + 1)]
    return sorted(dict.fromkeys(words + subs), key=lambda p: (-len(p), p not in words))
