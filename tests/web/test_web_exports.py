"""Exports over HTTP, and the properties of streaming and threading that keep the server responsive.

The streaming tests use a fake store whose export blocks until the client has received the first
chunk: a server that built the dump in memory before sending would never send that chunk, and the
test would see the fake's timeout marker instead.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import rdflib
from rdflib.compare import isomorphic

from kg.store.base import Capabilities
from kg.web.app import create_app
from kg.web.context import ServeConfig
from kg.web.limits import Limits
from tests.support.web import Web, reserve_port, running


def test_export_nquads_is_the_whole_store(web: Web) -> None:
    r = httpx.get(web.url + "/export.nq")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/n-quads")
    lines = [ln for ln in r.text.splitlines() if ln.strip()]
    assert len(lines) == web.store.quad_count()
    ds = rdflib.Dataset()
    ds.parse(data=r.text, format="nquads")
    graphs = {str(g.identifier) for g in ds.graphs() if len(g)}
    assert graphs == set(web.store.graph_iris())


def test_export_trig_equals_export_nquads(web: Web) -> None:
    trig = httpx.get(web.url + "/export.trig")
    assert trig.headers["content-type"].startswith("application/trig")
    a, b = rdflib.Dataset(), rdflib.Dataset()
    a.parse(data=trig.text, format="trig")
    b.parse(data=httpx.get(web.url + "/export.nq").text, format="nquads")
    for iri in web.store.graph_iris():
        ga, gb = a.graph(rdflib.URIRef(iri)), b.graph(rdflib.URIRef(iri))
        assert len(ga) > 0 and isomorphic(ga, gb)


def test_exports_are_sent_chunked(web: Web) -> None:
    """Exports are sent chunked (no Content-Length): they are streamed, not measured first."""
    with httpx.stream("GET", web.url + "/export.trig") as r:
        assert r.headers.get("transfer-encoding") == "chunked"
        assert "content-length" not in r.headers


# ---------------------------------------------------------------- a fake store to observe the server


class FakeResult:
    kind = "solutions"
    variables = ["x"]

    def serialize(self, fmt: str, out) -> None:
        out.write(b'{"head":{"vars":["x"]},"results":{"bindings":[]}}')


class FakeStore(Capabilities):
    """Just enough of the Store protocol to watch how the server drives it."""

    def __init__(self) -> None:
        self.first_chunk_seen = threading.Event()
        self.writer_stopped = threading.Event()
        self.mode = "wait-for-client"
        self.hold_queries: threading.Event | None = None
        self.inside = 0
        self.inside_lock = threading.Lock()

    def export(self, fmt: str, out) -> None:
        try:
            if self.mode == "wait-for-client":
                out.write(b"# first\n" * 20000)  # > one chunk, so it is sent
                out.flush()
                if not self.first_chunk_seen.wait(10):
                    out.write(b"TIMEOUT: the server waited for the whole dump\n")
                out.write(b"# last\n")
            elif self.mode == "endless":
                while True:
                    out.write(b"<http://x/s> <http://x/p> <http://x/o> <http://x/g> .\n" * 1000)
            elif self.mode == "fail-midway":
                out.write(b"# some\n" * 20000)
                out.flush()
                raise OSError("disk went away")
        finally:
            self.writer_stopped.set()

    def query(self, sparql: str, **kw) -> FakeResult:
        if self.hold_queries is not None:  # the test counts the queries inside, then lets them go
            with self.inside_lock:
                self.inside += 1
            self.hold_queries.wait(60)
        return FakeResult()

    def quad_count(self) -> int:
        return 0

    def graph_iris(self) -> list[str]:
        return []


@pytest.fixture()
def fake() -> Iterator[tuple[FakeStore, str]]:
    store = FakeStore()
    port = reserve_port()
    # more query slots than the 45 slow queries below (the default of 4 would queue them: kg.web.limits)
    limits = Limits(isolate=False, workers=64, max_waiting=64)
    with running(create_app(store, ServeConfig(f"http://127.0.0.1:{port}", limits=limits)), port) as url:  # type: ignore[arg-type]
        yield store, url


def test_export_streams_before_the_dump_is_complete(fake) -> None:
    store, url = fake
    with httpx.stream("GET", url + "/export.nq", timeout=30) as r:
        it = r.iter_bytes()
        first = next(it)
        assert first.startswith(b"# first")
        store.first_chunk_seen.set()
        rest = b"".join(it)
    assert b"TIMEOUT" not in rest and rest.endswith(b"# last\n")


def test_head_does_not_dump_the_store(fake) -> None:
    store, url = fake
    r = httpx.head(url + "/export.trig", timeout=30)
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/trig")
    assert not store.writer_stopped.wait(0.5), "HEAD ran the export"


def test_a_client_going_away_stops_the_writer(fake) -> None:
    store, url = fake
    store.mode = "endless"
    with httpx.stream("GET", url + "/export.nq", timeout=30) as r:
        next(r.iter_bytes())
    assert store.writer_stopped.wait(10), "the export kept running for a client that left"


def test_a_failure_midway_aborts_the_response(fake) -> None:
    """A truncated dump must not look complete: the connection is dropped, not ended cleanly."""
    store, url = fake
    store.mode = "fail-midway"
    with pytest.raises(httpx.HTTPError):
        with httpx.stream("GET", url + "/export.nq", timeout=30) as r:
            for _ in r.iter_bytes():
                pass


def test_slow_queries_block_neither_the_loop_nor_the_threadpool(fake) -> None:
    """45 slow queries at once (more than the threadpool's 40 threads) while a page is asked for:
    the page, which renders in the threadpool, must not wait for them.

    No clock: the queries are held inside the store until the page has been answered, so a page that
    waited for them would never come (its request times out after 20 s and the test fails).
    """
    store, url = fake
    store.hold_queries = threading.Event()
    statuses: list[int] = []

    def slow() -> None:
        r = httpx.get(url + "/sparql", params={"query": "SELECT * {}"}, timeout=90)
        statuses.append(r.status_code)

    threads = [threading.Thread(target=slow) for _ in range(45)]
    for th in threads:
        th.start()
    try:
        deadline = time.monotonic() + 60
        while store.inside < 45 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert store.inside == 45, f"only {store.inside} of 45 queries started (the rest were queued)"
        r = httpx.get(url + "/ontology/Chair", timeout=20)
        assert r.status_code == 200
        assert not store.hold_queries.is_set() and store.inside == 45  # answered while all 45 were held
    finally:
        store.hold_queries.set()
        for th in threads:
            th.join(90)
    assert statuses == [200] * 45
