"""Writes that bypass ingest keep the resolution layer current (issue 14): a Graph Store write refreshes
its graph's joins, a SPARQL Update those of every graph it writes, named by an IRI, a prefixed name or
a variable (kg.update_scope, kg.resolve.refresh_after_write)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import httpx

from kg.ingest import ingest_file
from kg.resolve import rebuild, refresh_after_write
from kg.store import open_store
from kg.update_scope import parse_operations, update_scope, written
from tests.identity.test_identity import BASE, Q, dump_resolution, page
from tests.support.served import TOKEN, served

ARTICLE_GRAPHS = Q + "SELECT DISTINCT ?a WHERE { GRAPH ?a { ?a a schema:NewsArticle } }"
# the mentions of the name the layer joins (one join per person and reason, linking each mention)
JOINS = Q + """SELECT (COUNT(?m) AS ?n) WHERE { GRAPH ?b { ?b kg:writtenName "柯望舒"@zh .
                                                          ?j kg:joinedEntity ?p ; kg:joinedMention ?m } }"""


def test_the_graphs_an_update_names_are_read_from_its_parse() -> None:
    """Full IRIs, prefixed names (the text's PREFIX, else the project's), relative IRIs, WITH, DROP, MOVE;
    DATA bodies are not parsed (only their graph names); a graph variable is left to the store."""
    up = ("PREFIX art: <http://x/article/> DELETE { GRAPH <http://x/a1> { ?s ?p ?o } } INSERT { GRAPH art:a2 "
          "{ ?s ?p ?o } } WHERE { ?s ?p ?o } ; DROP GRAPH <a3> ; WITH art:a4 DELETE { ?s ?p ?o } WHERE { ?s ?p ?o } ;"
          " INSERT DATA { GRAPH kg:a5 { <s> <p> \"} GRAPH <nope> {\" } <s> <p> <o> } ; MOVE art:a6 TO art:a7 ;"
          " INSERT { ?s ?p ?o } WHERE { GRAPH <http://x/read-only> { ?s ?p ?o } }")
    ops = parse_operations(up, "http://x/")
    assert ops is not None
    named = set().union(*(written(op)[0] for op in ops))
    assert named == {"http://x/a1", "http://x/article/a2", "http://x/a3", "http://x/article/a4",
                     "https://w3id.org/newskg/ontology#a5", "http://x/article/a6", "http://x/article/a7"}
    (op,) = parse_operations("DELETE WHERE { GRAPH ?g { ?s ?p ?o } GRAPH <http://x/b> { ?s ?p ?o } }") or []
    assert written(op) == ({"http://x/b"}, ["g"], False)
    (op,) = parse_operations("CLEAR NAMED") or []
    assert written(op)[2]  # every graph


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


KG = "https://w3id.org/newskg/ontology#"
MOVE = Q + """DELETE { GRAPH ?from { ?m ?p ?o } } INSERT { GRAPH ?to { ?m ?p ?o } }
WHERE { GRAPH ?from { ?m a kg:PersonMention ; kg:writtenName "柯望舒"@zh ; ?p ?o }
        GRAPH ?to { ?to a schema:NewsArticle ; schema:headline "云岭市会议"@zh } }"""


def _layer(store) -> list[str]:
    return dump_resolution(store)


def _from_scratch(store) -> list[str]:
    """The layer ``kg resolve`` builds with no layer to start from (the store's own is dropped first)."""
    from kg.resolve import is_resolution_graph

    store.remove_graphs([g for g in store.graph_iris() if is_resolution_graph(g)])
    rebuild(store)
    return dump_resolution(store)


def test_updates_through_variables_and_prefixed_names_keep_the_layer_current(tmp_path: Path) -> None:
    """A mention moved to another article through ``GRAPH ?g``, one deleted by ``DELETE WHERE { GRAPH ?g … }``,
    one dropped through a prefixed graph name, and an update whose scope is unknown before it runs: after
    each, the layer served is the layer ``kg resolve`` builds from scratch."""
    store_dir = tmp_path / "store"
    s = open_store(store_dir)
    for i, (city, text) in enumerate([("青禾市", "本报讯 青禾市召开会议。副市长柯望舒、副市长柏若川出席。"),
                                      ("云岭市", "本报讯 云岭市召开会议。市长林知远出席。"),
                                      ("石溪市", "本报讯 石溪市召开会议。市长柯望舒出席。")]):
        ingest_file(s, page(tmp_path, f"w{i}", city, f"2021-03-0{i + 2}", f"{city}会议", text), base=BASE)
    arts = sorted(str(r["a"]) for r in s.query(ARTICLE_GRAPHS).rows())
    s.close()
    auth = {"Authorization": f"Bearer {TOKEN}"}
    layers: list[list[str]] = []
    with served(store_dir, token=TOKEN, build=False) as srv:
        def update(text: str) -> None:
            r = httpx.post(srv.url + "/sparql", data={"update": text}, headers=auth, timeout=60)
            assert r.status_code == 204, r.text
            layers.append(_layer(srv.store))

        before = _layer(srv.store)
        update(MOVE)  # both 柯望舒 mentions now in the 云岭 article's graph
        assert layers[-1] != before
        assert sum(f"{KG}joinedMention" in line for line in layers[-1]) == len(
            [line for line in before if f"{KG}joinedMention" in line])
        update(Q + 'DELETE WHERE { GRAPH ?g { ?m a kg:PersonMention ; kg:writtenName "林知远"@zh ; ?p ?o } }')
        assert not any("林知远" in line for line in layers[-1])
        prefix, local = arts[0].rsplit("/", 1)
        update(f"PREFIX art: <{prefix}/>\nDELETE WHERE {{ GRAPH art:{local} {{ ?m a kg:PersonMention ; ?p ?o }} }}")
        update(Q + "INSERT DATA { GRAPH <http://x/scratch> { <http://x/s> <http://x/p> 1 } } ;\n"
               + 'DELETE WHERE { GRAPH ?g { ?m a kg:PersonMention ; kg:writtenName "柏若川"@zh ; ?p ?o } }')
        assert not any("柏若川" in line for line in layers[-1])  # a variable after the first operation
        assert not any("update-scope" in g for g in srv.store.graph_iris())  # the probe's graph is gone
    s = open_store(store_dir)
    try:
        assert layers[-1] == _from_scratch(s)
    finally:
        s.close()


def test_each_update_leaves_the_layer_kg_resolve_builds(tmp_path: Path) -> None:
    """Step by step on one store (no server): after every kind of write, the refreshed layer equals a
    layer built from scratch; the scope of an update with a variable graph is exactly what it wrote."""
    s = open_store(tmp_path / "store")
    try:
        for i, city in enumerate(["青禾市", "云岭市"]):
            ingest_file(s, page(tmp_path, f"w{i}", city, f"2021-03-0{i + 2}", f"{city}会议",
                                f"本报讯 {city}召开会议。副市长柯望舒出席。"), base=BASE)
        arts = sorted(str(r["a"]) for r in s.query(ARTICLE_GRAPHS).rows())
        with_ = Q + f"WITH <{arts[0]}> DELETE {{ ?m ?p ?o }} WHERE {{ ?m a kg:PersonMention ; ?p ?o }}"
        for text in [MOVE, with_]:
            scope = update_scope(s, text, BASE)
            if text == MOVE:
                assert scope.graphs == set(arts)  # from the 青禾 article into the 云岭 one
            s.update(text, base_iri=BASE)
            refresh_after_write(s, scope.graphs, scope.everything)
            layer = dump_resolution(s)
            assert layer == _from_scratch(s)
    finally:
        s.close()
