"""Writes that bypass ingest keep the resolution layer current (issue 14): a Graph Store write or a
SPARQL Update that names an article graph refreshes that graph's joins (kg.resolve.refresh_after_write)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import httpx

from kg.ingest import ingest_file
from kg.resolve import graphs_named_in, refresh_after_write
from kg.store import open_store
from tests.identity.test_identity import BASE, Q, dump_resolution, page
from tests.support.served import TOKEN, served

ARTICLE_GRAPHS = Q + "SELECT DISTINCT ?a WHERE { GRAPH ?a { ?a a schema:NewsArticle } }"
JOINS = Q + 'SELECT (COUNT(?j) AS ?n) WHERE { GRAPH ?b { ?b kg:writtenName "柯望舒"@zh . ?j kg:joinedEntity ?p } }'


def test_graphs_named_in_an_update() -> None:
    up = ("DELETE { GRAPH <http://x/a1> { ?s ?p ?o } } INSERT { GRAPH <http://x/a2> { ?s ?p ?o } } WHERE { ?s ?p ?o } ;"
          " DROP GRAPH <http://x/a3> ; WITH <http://x/a4> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o } ;"
          " INSERT DATA { GRAPH ?g { } }")
    assert graphs_named_in(up) == ["http://x/a1", "http://x/a2", "http://x/a3", "http://x/a4"]


def test_refresh_after_write_follows_a_dropped_article(tmp_path: Path) -> None:
    s = open_store(tmp_path / "store")
    try:
        p = page(tmp_path, "w", "青禾市", "2021-03-02", "青禾市会议", "本报讯 青禾市召开会议。副市长柯望舒出席。")
        ingest_file(s, p, base=BASE)
        (a,) = [str(r["a"]) for r in s.query(ARTICLE_GRAPHS).rows()]
        assert any("柯望舒" in line for line in dump_resolution(s))
        s.remove_graphs([a])
        refresh_after_write(s, [a])
        assert dump_resolution(s) == []  # the block went with its only join
    finally:
        s.close()


def test_graph_store_and_sparql_update_writes_refresh_the_layer(tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    s = open_store(store_dir)
    for i in range(2):
        p = page(tmp_path, f"w{i}", "青禾市", f"2021-03-0{i + 2}", f"青禾市会议{i}",
                 "本报讯 青禾市召开会议。副市长柯望舒出席。")
        ingest_file(s, p, base=BASE)
    a, b = sorted(str(r["a"]) for r in s.query(ARTICLE_GRAPHS).rows())
    s.close()
    auth = {"Authorization": f"Bearer {TOKEN}"}

    def joins(url: str) -> int:
        r = httpx.get(url + "/sparql", params={"query": JOINS}, headers={"Accept": "text/csv"}, timeout=30)
        assert r.status_code == 200, r.text
        return int(r.text.split()[1])

    with served(store_dir, token=TOKEN, build=False) as srv:
        assert joins(srv.url) == 2
        drop = f"DELETE WHERE {{ GRAPH <{a}> {{ ?m a <https://w3id.org/newskg/ontology#PersonMention> ; ?p ?o }} }}"
        r = httpx.post(srv.url + "/sparql", data={"update": drop}, headers=auth, timeout=30)
        assert r.status_code == 204, r.text
        assert joins(srv.url) == 1  # the mention is gone from its article: so is its join
        r = httpx.delete(srv.url + f"/rdf-graphs?graph={quote(b, safe='')}", headers=auth, timeout=30)
        assert r.status_code == 204, r.text
        assert joins(srv.url) == 0  # and the other article's, with the graph
