"""The mentions an ingest worker hands the writer (kg.mentions.mentions_of_written), and what the career
rules read of them (kg.careers.sightings_of_written), are exactly those the writer would read back from
the store (kg.mentions.mentions_in, kg.careers._sightings): on the seed page and on generated pages with
namesakes kept apart by jurisdiction and by line of work."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import BNode, URIRef

from kg.ingest import build_graphs, walk
from kg.mentions import iter_mentions, mention_count, mentions_in, mentions_of_written, written_subjects
from kg.store import open_store
from kg.store.base import GraphUpdate
from tests.support.seed import SEED_BASE


@pytest.fixture
def written(tmp_path: Path, seed_path: Path) -> Iterator[tuple[list, object]]:
    """The graphs of the seed page and 40 generated pages, and a store holding them as written."""
    from benchmarks.corpus import generate

    generate(tmp_path / "corpus", 120, seed=3)
    graphs = []
    for f in [seed_path, *sorted(walk([tmp_path / "corpus"]))[:40]]:
        graphs += build_graphs(Path(f), base=SEED_BASE)[2]
    store = open_store(tmp_path / "store")
    try:
        store.replace_graphs([GraphUpdate(str(g.iri), g.triples) for g in graphs])
        yield graphs, store
    finally:
        store.close()


def test_written_mentions_equal_those_read_back(written) -> None:  # type: ignore[no-untyped-def]
    graphs, store = written
    mentions, read = [], []
    for g in graphs:
        by = written_subjects(g.triples)
        assert by is not None
        mine = mentions_of_written(str(g.iri), by)
        theirs = mentions_in(store, [str(g.iri)])
        assert sorted(mine) == sorted(theirs), g.iri
        mentions += mine
        read += theirs
    _whole_store_reads_agree(store, read)
    assert len(mentions) > 200
    assert any(m.jurisdiction for m in mentions) and any(m.sector for m in mentions)  # the optional parts


def test_written_sightings_equal_those_read_back(written) -> None:  # type: ignore[no-untyped-def]
    """What the career rules read of each mention (date, posts with their bodies' names and kinds)."""
    from kg.careers import _sightings, sightings_of_written

    graphs, store = written
    posts = 0
    for g in graphs:
        by = written_subjects(g.triples)
        assert by is not None
        mine = sightings_of_written(str(g.iri), by)
        assert mine == _sightings(store, mentions_in(store, [str(g.iri)])), g.iri
        posts += sum(len(s.posts) for s in mine.values())
    assert posts > 100  # posts were compared, not only dates


def test_a_graph_with_blank_nodes_is_read_back() -> None:
    """The store renames blank nodes, so the worker's view of them is not the store's: None, read instead."""
    a = URIRef(SEED_BASE + "/article/x")
    assert written_subjects([(a, URIRef("http://x/p"), BNode())]) is None
    by = written_subjects([(a, URIRef("http://x/p"), URIRef("http://x/o"))])
    assert by is not None and mentions_of_written(str(a), by) == []


_K = "https://w3id.org/newskg/ontology#"


def _whole_store_reads_agree(store, read: list) -> None:  # type: ignore[no-untyped-def]
    """``iter_mentions`` gives the rows ``mentions_in`` gives, by either query form, each mention's rows
    together (kg.resolve counts mentions by changes of IRI), also for hand-written mentions with two
    jurisdictions, with none, and a node with a mention's properties but not its class (not a mention)."""
    a = SEED_BASE + "/article/hand-written"
    m, p = f"<{a}#m1>", f"<{SEED_BASE}/person/x>"
    text = (f'{m} a <{_K}PersonMention> ; <{_K}writtenName> "甲乙"@zh ; <{_K}mentionOf> {p} ; '
            f'<{_K}identityBasis> <{_K}PostJurisdiction> ; <{_K}jurisdiction> "城一"@zh , "城二"@zh .\n'
            f'<{a}#m2> a <{_K}PersonMention> ; <{_K}writtenName> "甲丙"@zh ; <{_K}mentionOf> {p} ; '
            f'<{_K}identityBasis> <{_K}PaperLocality> .\n'
            f'<{a}#m3> <{_K}writtenName> "甲丁"@zh ; <{_K}mentionOf> {p} ; <{_K}identityBasis> <{_K}PaperLocality>')
    store.add_to_graphs([GraphUpdate.from_text(a, text)])
    read = read + mentions_in(store, [a])
    assert mention_count(store) == len({r.mention for r in read})
    for hashed in (True, False):
        rows = list(iter_mentions(store, hashed=hashed))
        assert sorted(rows) == sorted(read), hashed
        order = [r.mention for r in rows]
        assert len({x for i, x in enumerate(order) if i and order[i - 1] != x and x in order[:i - 1]}) == 0, hashed
    assert len([r for r in read if r.article == a]) == 3  # two rows of m1, one of m2
