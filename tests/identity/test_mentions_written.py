"""The mentions an ingest worker hands the writer (kg.mentions.mentions_of_written) are exactly those the
writer would read back from the store (kg.mentions.mentions_in): on the seed page and on generated
pages with namesakes kept apart by jurisdiction and by line of work."""

from __future__ import annotations

from pathlib import Path

from rdflib import BNode, URIRef

from kg.ingest import build_graphs, walk
from kg.mentions import mentions_in, mentions_of_written
from kg.store import open_store
from kg.store.base import GraphUpdate
from tests.support.seed import SEED_BASE


def test_written_mentions_equal_those_read_back(tmp_path: Path, seed_path: Path) -> None:
    from benchmarks.corpus import generate

    generate(tmp_path / "corpus", 120, seed=3)
    graphs = []
    for f in [seed_path, *sorted(walk([tmp_path / "corpus"]))[:40]]:
        graphs += build_graphs(Path(f), base=SEED_BASE)[2]
    store = open_store(tmp_path / "store")
    try:
        store.replace_graphs([GraphUpdate(str(g.iri), g.triples) for g in graphs])
        written, read = [], []
        for g in graphs:
            mine = mentions_of_written(str(g.iri), g.triples)
            assert mine is not None
            theirs = mentions_in(store, [str(g.iri)])
            assert sorted(mine) == sorted(theirs), g.iri
            written += mine
            read += theirs
    finally:
        store.close()
    assert len(written) > 200
    assert any(m.jurisdiction for m in written) and any(m.sector for m in written)  # the optional parts


def test_a_graph_with_blank_nodes_is_read_back() -> None:
    """The store renames blank nodes, so the worker's view of them is not the store's: None, read instead."""
    a = URIRef(SEED_BASE + "/article/x")
    assert mentions_of_written(str(a), [(a, URIRef("http://x/p"), BNode())]) is None
    assert mentions_of_written(str(a), [(a, URIRef("http://x/p"), URIRef("http://x/o"))]) == []
