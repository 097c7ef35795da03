"""Slow page answers are kept until the store is written, and only for stores that count their writes."""

from __future__ import annotations

import pytest

from kg.store.base import GraphUpdate
from kg.web.pages import cache
from kg.web.pages.queries import run
from tests.support.pages import page_client
from tests.support.seed import SEED_BASE as BASE

HTML = {"Accept": "text/html"}


@pytest.fixture
def store(seed_store_copy):
    """The tests that write take a copy of the seeded store."""
    return seed_store_copy


def person_iri(store) -> str:
    rows = store.query("SELECT ?p WHERE { GRAPH ?g { ?part kg:agent ?p . ?p a schema:Person } } LIMIT 1").rows()
    return str(next(iter(rows))["p"])


class Counting:
    """The store, counting the queries that reach it."""

    def __init__(self, inner) -> None:
        self.inner, self.asked = inner, 0

    @property
    def generation(self) -> int:
        return self.inner.generation

    def query(self, *a, **kw):
        self.asked += 1
        return self.inner.query(*a, **kw)

    def __getattr__(self, name):
        return getattr(self.inner, name)


def test_kept_answers_are_reused_until_a_write(store, monkeypatch) -> None:
    monkeypatch.setattr(cache, "MIN_SECONDS", 0.0)  # keep every answer, however quick
    counting = Counting(store)
    this = person_iri(store)
    from rdflib import URIRef

    first = run(counting, "person_timeline", this=URIRef(this))
    asked = counting.asked
    assert run(counting, "person_timeline", this=URIRef(this)) == first and counting.asked == asked
    first[0]["part"] = None  # a caller changing its rows does not change the kept answer
    assert run(counting, "person_timeline", this=URIRef(this))[0]["part"] is not None

    store.replace_graphs([GraphUpdate(BASE + "/article/extra", [])])  # any write
    run(counting, "person_timeline", this=URIRef(this))
    assert counting.asked == asked + 1


@pytest.mark.parametrize("keep", [False, True])
def test_page_shows_a_write_at_once(store, monkeypatch, keep) -> None:
    """A person's page after an update that gives them another name shows it, with caching on or off."""
    monkeypatch.setattr(cache, "MIN_SECONDS", 0.0 if keep else 1e9)
    client = page_client(store, BASE)
    this = person_iri(store)
    path = this[len(BASE):]
    assert client.get(path, headers=HTML).status_code == 200
    g = BASE + "/article/renamed"
    store.update(f'INSERT DATA {{ GRAPH <{g}> {{ <{this}> schema:alternateName "缓存测试名"@zh . '
                 f'<{g}> schema:mentions <{this}> }} }}')
    assert "缓存测试名" in client.get(path, headers=HTML).text
    store.remove_graphs([g])
    assert "缓存测试名" not in client.get(path, headers=HTML).text


def test_stores_that_do_not_count_writes_are_never_cached(seed_store, monkeypatch) -> None:
    store = seed_store
    monkeypatch.setattr(cache, "MIN_SECONDS", 0.0)

    class Remote(Counting):
        generation = None  # e.g. a remote store that others may write

    remote = Remote(store)
    this = person_iri(store)
    from rdflib import URIRef

    run(remote, "person_timeline", this=URIRef(this))
    run(remote, "person_timeline", this=URIRef(this))
    assert remote.asked == 2 and cache.cache_for(remote) is None


def test_quick_answers_are_not_kept(seed_store, monkeypatch) -> None:
    """An answer quicker than MIN_SECONDS is asked again (set out of reach here: how long the seed's answer
    takes depends on the machine's load, and a test must not)."""
    monkeypatch.setattr(cache, "MIN_SECONDS", 3600.0)
    store = seed_store
    counting = Counting(store)
    from rdflib import URIRef

    run(counting, "person", this=URIRef(person_iri(store)))
    run(counting, "person", this=URIRef(person_iri(store)))
    assert counting.asked == 2


def test_kept_rows_are_bounded(monkeypatch) -> None:
    monkeypatch.setattr(cache, "MIN_SECONDS", 0.0)
    monkeypatch.setattr(cache, "MAX_TOTAL_ROWS", 10)
    c = cache.QueryCache()
    for k in range(6):
        c.rows(1, f"q{k}", lambda: [{"x": None}] * 3)
    assert c.rows_kept <= 10 and list(c.entries) == ["q3", "q4", "q5"]  # the least recently used went first


def test_labels_are_kept_per_iri_until_a_write(store) -> None:
    """lookup() reads each IRI's names once per store state, whatever other IRIs are asked with it."""
    from rdflib import URIRef

    from kg.web.pages.common import _fold, lookup

    counting = Counting(store)
    this = URIRef(person_iri(store))
    rows = store.query("SELECT DISTINCT ?o WHERE { GRAPH ?g { ?s schema:about ?o } } LIMIT 3").rows()
    others = [r["o"] for r in rows]
    want = _fold(store, "labels", [this, *others])
    assert lookup(counting, [this]) == {k: v for k, v in want.items() if k == str(this)}
    asked = counting.asked
    assert lookup(counting, [this, *others]) == want  # this one kept, the others read
    assert counting.asked == asked + 1
    assert lookup(counting, [*others, this]) == want and counting.asked == asked + 1
    store.update(f'INSERT DATA {{ GRAPH <{BASE}/article/x> {{ <{this}> schema:name "又一名"@zh }} }}')
    assert "又一名" in {str(o) for o in lookup(counting, [this])[str(this)]["https://schema.org/name"]}
