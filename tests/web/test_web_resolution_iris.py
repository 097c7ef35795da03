"""Resolution graphs' IRIs (``{base}/resolution/person/{name}``, kg.resolve) dereference like every other IRI
minted under the base: the query editor links them, and the outside probe found each such link a 404."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from fastapi.testclient import TestClient

from kg.store.oxigraph import OxigraphStore
from kg.web.app import create_app

BASE = "http://127.0.0.1:8000"
# an invented page: two people, so the ingest writes their name blocks
PAGE = ("# 青岚市召开工作会议\n\n本报讯（记者 甲乙）3月11日，青岚市召开工作会议。市委书记柯望舒出席会议并讲话，"
        "市长柏若川主持会议。\n")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory):
    from kg.ingest import ingest_paths

    folder = Path(tmp_path_factory.mktemp("resolution"))
    (folder / "page.txt").write_text(PAGE, encoding="utf-8")
    store = OxigraphStore(folder / "store")
    res = ingest_paths(store, [folder / "page.txt"], base=BASE, publication="青岚日报", date="2025-03-12",
                       locality="青岚市")
    assert res[0].error is None
    graphs = [g for g in store.graph_iris() if "/resolution/" in g]
    assert graphs, store.graph_iris()
    yield TestClient(create_app(store, BASE)), graphs
    store.close()


def test_a_resolution_graph_dereferences_as_its_graph(served) -> None:
    client, graphs = served
    for iri in graphs:
        path = iri.replace(BASE, "")
        r = client.get(path)
        assert r.status_code == 200, (path, r.status_code, r.text)
        g = rdflib.Graph().parse(data=r.text, format="turtle")
        expected = client.get("/rdf-graphs", params={"graph": iri}, headers={"Accept": "text/turtle"})
        assert expected.status_code == 200
        assert len(g) == len(rdflib.Graph().parse(data=expected.text, format="turtle")) > 0
        for suffix, media in ((".jsonld", "application/ld+json"), (".nt", "application/n-triples")):
            r = client.get(path + suffix)
            assert r.status_code == 200 and r.headers["content-type"].startswith(media)
        browser = client.get(path, headers={"Accept": "text/html,*/*;q=0.8"})
        assert browser.status_code == 200 and browser.headers["content-type"].startswith("text/turtle")


def test_the_stamps_graph_is_among_them(served) -> None:
    """Ingest stamps each article in ``{base}/resolution/stamps`` (kg.layer_graphs), served like the blocks."""
    _, graphs = served
    assert BASE + "/resolution/stamps" in graphs


@pytest.mark.parametrize("path", ["/resolution/person/no-such-name", "/resolution/person/..%2f..",
                                  "/resolution/nothing/x", "/resolution/person/x.exe", "/resolution/stamp",
                                  "/resolution/stamps.exe", "/resolution/..%2fstamps"])
def test_unknown_resolution_iris_are_404(served, path: str) -> None:
    client, _ = served
    r = client.get(path)
    assert r.status_code == 404 and r.text.startswith("not found"), (path, r.status_code, r.text)
