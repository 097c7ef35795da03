"""What a career join changes in the article graphs it rewrites (kg.careers.Moves), and the ingest writer
patching the mentions and search rows it holds instead of reading those graphs back (kg.derived).
Invented names and texts throughout."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

import kg.search.documents as documents
from kg.careers import Moves, _move
from kg.ingest import ingest_batch, ingest_file
from kg.mentions import mentions_in
from kg.search import index_path
from kg.search import rebuild as rebuild_index
from kg.search.documents import read, renamed, rows_of
from tests.identity.test_identity import BASE, dump_all, page

MIXED = "本报讯 青禾市召开会议。教育局局长柯望舒、副市长司马砚、秘书长欧阳青出席。"


def _article(store, tmp_path: Path) -> str:
    ingest_file(store, page(tmp_path / "pages", "m", "青禾市", "2021-03-02", "青禾市会议", MIXED), base=BASE)
    (a,) = {m.article for m in mentions_in(store, _articles(store))}
    return a


def _articles(store) -> list[str]:
    return [str(r["a"]) for r in store.query(
        "SELECT DISTINCT ?a WHERE { GRAPH ?a { ?a a <https://schema.org/NewsArticle> } }").rows()]


def _stored_rows(store, article: str) -> documents.GraphRows:
    (rows,) = read(store, [article])
    return rows


def _same_rows(a: documents.GraphRows, b: documents.GraphRows) -> bool:
    """The same rows, duplicates included (the index inserts facts as they come), in any order."""
    return (sorted(a.names), sorted(a.facts), a.articles) == (sorted(b.names), sorted(b.facts), b.articles)


def _run(store, moves: Moves, article: str, steps: list[tuple[str, str, str, str]]) -> None:
    """The moves (old person, new person, mention, basis) as kg.careers._apply makes them: updates in turn."""
    for old, new, mention, basis in steps:
        store.update(" ;\n".join(_move(article, old, new, mention, basis)))
        moves.add(article, old, new, mention, basis)


def test_a_move_patches_mentions_and_rows_as_a_read_gives_them(store, tmp_path: Path) -> None:
    a = _article(store, tmp_path)
    before, rows = mentions_in(store, [a]), _stored_rows(store, a)
    ke = next(m for m in before if m.name == "柯望舒")
    moves = Moves()
    _run(store, moves, a, [(ke.person, ke.person + "_joined", ke.mention, "CareerJoin")])
    assert moves.articles == [a]
    assert sorted(moves.mention(m) for m in before) == sorted(mentions_in(store, [a]))
    patched = renamed(rows, moves.renamed[a])
    assert patched is not None and _same_rows(patched, _stored_rows(store, a))
    assert any(e == ke.person + "_joined" for e, _, _, _ in patched.names)


def test_moves_run_in_turn_and_a_merge_is_left_to_a_read(store, tmp_path: Path) -> None:
    """Two people of one article moved onto one node, then that node onto another: every mention follows
    (the second update renames what the first made); the rows of two nodes become one subject's."""
    a = _article(store, tmp_path)
    before, rows = mentions_in(store, [a]), _stored_rows(store, a)
    ke = next(m for m in before if m.name == "柯望舒")
    si = next(m for m in before if m.name == "司马砚")
    moves = Moves()
    _run(store, moves, a, [(ke.person, si.person, ke.mention, "CareerJoin"),
                           (si.person, si.person + "_later", si.mention, "PostJurisdiction")])
    after = mentions_in(store, [a])
    assert {m.person for m in after if m.name in ("柯望舒", "司马砚")} == {si.person + "_later"}
    assert sorted(moves.mention(m) for m in before) == sorted(after)
    assert renamed(rows, moves.renamed[a]) is None


def test_renamed_rows_equal_rows_of_the_renamed_triples() -> None:
    triples = [("p1", documents.P["type"], "https://schema.org/Person"), ("p1", documents.P["name"], "柯望舒"),
               ("p1", documents.P["holds"], "post"), ("post", documents.P["label"], "局长"),
               ("p2", documents.P["type"], "https://schema.org/Person"), ("p2", documents.P["name"], "司马砚")]
    # a post printed the same way in two bodies: one person, the same fact twice (a read gives both)
    triples += [("p1", documents.P["holds"], "post2"), ("post2", documents.P["label"], "局长")]
    rows = rows_of("g", triples)
    assert rows.facts.count(("p1", "post", "局长")) == 2
    moved = rows_of("g", [tuple("p9" if t == "p1" else t for t in triple) for triple in triples])
    patched = renamed(rows, {"p1": "p9"})
    assert patched is not None and _same_rows(patched, moved)
    assert renamed(rows, {"p1": "p2"}) is None  # two people's rows under one subject: a read groups them


PROMOTION = [("2020-03-02", "教育局局长柯望舒出席。"), ("2020-09-02", "教育局局长柯望舒讲话。"),
             ("2022-03-02", "副市长柯望舒出席。"), ("2022-05-02", "副市长柯望舒讲话。")]


INDEX_TABLES = {  # every table of the search index but its full-text one, without row ids
    "articles": "SELECT graph, article, headline, body, date, paper, locality FROM articles",
    "mentions": "SELECT * FROM mentions", "facts": "SELECT * FROM facts", "stats": "SELECT * FROM stats",
    "names": "SELECT entity, kind, rank, text, norm FROM names", "graphs": "SELECT * FROM graphs",
    "name_graphs": "SELECT g.graph, n.entity, n.rank, n.text FROM name_graphs g JOIN names n ON n.id = g.name_id",
}


def _index_tables(store) -> dict[str, list]:
    conn = sqlite3.connect(index_path(store))
    try:
        return {t: sorted(map(repr, conn.execute(q).fetchall())) for t, q in INDEX_TABLES.items()}
    finally:
        conn.close()


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_batch_whose_joins_rewrite_its_own_articles_reads_none_back(store, tmp_path: Path, jobs: int,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """One batch of a promotion: the career join rewrites articles of that batch; the writer patches what
    it holds (no article graph read back for mentions, sightings or search rows), and the store, the resolution
    layer and the search index are what a rebuild of each makes."""
    from kg.resolve import rebuild as rebuild_layer

    for i, (date, text) in enumerate(PROMOTION):
        page(tmp_path / "pages", f"p{i}", "青禾市", date, f"青禾市会议{i}", f"本报讯 青禾市召开会议。{text}")
    read_back: list[str] = []
    query = documents._query
    monkeypatch.setattr(documents, "_query", lambda s, graphs: read_back.extend(graphs or ["*"]) or query(s, graphs))
    import kg.mentions

    real = kg.mentions.mentions_in
    monkeypatch.setattr(kg.mentions, "mentions_in", lambda s, arts: read_back.extend(arts) or real(s, arts))
    import kg.careers

    sightings = kg.careers._sightings
    monkeypatch.setattr(kg.careers, "_sightings",
                        lambda s, ms: read_back.extend(m.article for m in ms) or sightings(s, ms))
    rep = ingest_batch(store, [tmp_path / "pages"], base=BASE, jobs=jobs)
    assert rep.articles == len(PROMOTION) and not rep.errors
    monkeypatch.undo()
    assert read_back == []  # every article of the batch was held by the writer, moved or not
    kinds = {m.basis for m in mentions_in(store, _articles(store))}
    assert "CareerJoin" in kinds  # the batch did rewrite some of its own articles
    index, quads = _index_tables(store), dump_all(store)
    rebuild_layer(store)
    rebuild_index(store)
    assert dump_all(store) == quads
    assert _index_tables(store) == index
