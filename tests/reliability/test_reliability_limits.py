"""Query limits: a runaway query is stopped at its deadline (the worker process is killed), other
requests are answered meanwhile, results have a size limit, and a burst queues then gets 503."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from kg.web.limits import Limits
from tests.support.served import RUNAWAY, Served, served

# long enough that a loaded machine answers the other requests well inside it, and that the queries of
# a burst, which wait 1 s for a worker, give up well before a runaway's worker is free again
TIMEOUT = 4.0
# a bounded query for the threaded mode, whose work cannot be stopped and runs to its end in the test
# process: 20 x the store squared (1,700 quads), seconds of work (the three-way product took minutes
# and kept a core busy for the rest of the test session)
BOUNDED = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . VALUES ?x { " + " ".join(map(str, range(20))) + " } }"


@pytest.fixture(scope="module")
def srv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    store_dir = tmp_path_factory.mktemp("limits") / "store"
    with served(store_dir, limits=Limits(workers=2, query_timeout=TIMEOUT, max_result_bytes=200_000,
                                         queue_timeout=1.0, max_waiting=4)) as s:
        yield s


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split(") ")[1].startswith("Z"))


def worker_pids(s: Served) -> set[int]:
    return {c.pid for c in __import__("multiprocessing").active_children() if c.name == "kg-query"}


def wait_until_running(s: Served, queries: int, th: list[threading.Thread]) -> None:
    """Wait (up to 60 s) until ``queries`` queries have been handed a worker: a condition, not a guess
    of how long a request takes to arrive on a loaded machine."""
    deadline = time.monotonic() + 60
    while s.runner.stats.queries < queries and time.monotonic() < deadline:
        assert any(t.is_alive() for t in th), "the queries ended before they were seen running"
        time.sleep(0.02)
    assert s.runner.stats.queries >= queries, "the queries never started"


def test_runaway_query_is_stopped_and_others_are_answered(srv: Served) -> None:
    before = worker_pids(srv)
    result: dict = {}

    def runaway() -> None:
        t = time.monotonic()
        r = httpx.post(srv.url + "/sparql", data={"query": RUNAWAY}, timeout=60)
        result["status"], result["text"], result["s"] = r.status_code, r.text, time.monotonic() - t

    th = threading.Thread(target=runaway)
    queries = srv.runner.stats.queries
    th.start()
    wait_until_running(srv, queries + 1, [th])
    # while it runs: a page, a cheap query (the other worker) and VoID are answered, not held behind it
    for path in ["/ontology/Chair", "/sparql?query=ASK%7B%7D", "/.well-known/void"]:
        r = httpx.get(srv.url + path, timeout=30)
        assert r.status_code == 200, path
        assert "status" not in result, f"{path} waited behind the runaway query"
    th.join(60)
    assert result["status"] == 504
    assert "timed out" in result["text"] and "stopped" in result["text"]
    # at the deadline, not when the work would have ended (minutes): a generous bound for a loaded machine
    assert TIMEOUT <= result["s"] < TIMEOUT + 10
    stats = srv.runner.stats
    assert stats.timeouts >= 1 and stats.kills >= 1
    deadline = time.monotonic() + 30  # the killed worker is reaped on a thread, off the event loop
    while stats.last_kill_seconds is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert stats.last_kill_seconds is not None and stats.last_kill_seconds < 10
    killed = before - worker_pids(srv)
    assert killed, "no worker was replaced"
    for pid in killed:  # the CPU work stopped: the process that ran it is gone
        assert not alive(pid)
    # and the pool is whole again: a query right after is answered
    r = httpx.get(srv.url + "/sparql", params={"query": "SELECT * { ?s ?p ?o } LIMIT 1"}, timeout=30)
    assert r.status_code == 200


def test_result_size_limit(srv: Served) -> None:
    big = "SELECT ?a ?b ?c ?d WHERE { ?a ?b ?c . ?d ?e ?f } LIMIT 100000"
    r = httpx.get(srv.url + "/sparql", params={"query": big}, timeout=30)
    assert r.status_code == 422
    assert "larger than the limit" in r.text and "LIMIT" in r.text
    small = httpx.get(srv.url + "/sparql", params={"query": "SELECT * { ?s ?p ?o } LIMIT 10"}, timeout=30)
    assert small.status_code == 200 and len(small.json()["results"]["bindings"]) == 10


def test_burst_queues_then_gets_503(srv: Served) -> None:
    """Two workers, both busy with runaways: the next queries wait up to queue_timeout, then 503;
    beyond max_waiting they are refused at once. Nothing else breaks."""
    statuses: list[int] = []
    lock = threading.Lock()

    def ask(q: str) -> None:
        r = httpx.post(srv.url + "/sparql", data={"query": q}, timeout=60)
        with lock:
            statuses.append(r.status_code)
            if r.status_code == 503:
                assert r.headers.get("retry-after")

    runaways = [threading.Thread(target=ask, args=(RUNAWAY,)) for _ in range(2)]
    queries = srv.runner.stats.queries
    for th in runaways:
        th.start()
    wait_until_running(srv, queries + 2, runaways)
    burst = [threading.Thread(target=ask, args=("ASK {}",)) for _ in range(8)]
    for th in burst:
        th.start()
    for th in runaways + burst:
        th.join(60)
    assert statuses.count(504) == 2
    assert statuses.count(503) + statuses.count(200) == 8
    assert statuses.count(503) >= 4  # at most max_waiting=4 wait; they time out after 1 s < TIMEOUT
    r = httpx.get(srv.url + "/sparql", params={"query": "ASK {}"}, timeout=30)
    assert r.status_code == 200


def test_threaded_mode_answers_504_at_the_deadline(tmp_path: Path) -> None:
    """Without worker processes (remote stores, --no-isolate) the client still gets 504 on time;
    the engine's work itself then runs to its end (what worker processes are for)."""
    with served(tmp_path / "store", limits=Limits(isolate=False, workers=2, query_timeout=0.5)) as s:
        assert s.runner.pool is None
        t = time.monotonic()
        r = httpx.post(s.url + "/sparql", data={"query": BOUNDED}, timeout=60)
        assert r.status_code == 504 and time.monotonic() - t < 3.5  # the work itself takes 5-15 s here
        r = httpx.get(s.url + "/ontology/Chair", timeout=10)
        assert r.status_code == 200


def test_threaded_mode_size_limit_drops_the_connection(tmp_path: Path) -> None:
    """On threads the response has started when the limit is hit: it is aborted, never ended as if whole."""
    with served(tmp_path / "store", limits=Limits(isolate=False, workers=1, max_result_bytes=20_000)) as s:
        with pytest.raises(httpx.HTTPError):
            with httpx.stream("GET", s.url + "/sparql", params={"query": "SELECT * { ?s ?p ?o }"},
                              timeout=30) as r:
                for _ in r.iter_bytes():
                    pass
        r = httpx.get(s.url + "/sparql", params={"query": "SELECT * { ?s ?p ?o } LIMIT 5"}, timeout=30)
        assert r.status_code == 200


def test_large_result_comes_whole_from_the_workers_file_which_is_then_removed(tmp_path: Path) -> None:
    """Results over 1 MiB travel through a temporary file (smaller ones through the pipe, as one message):
    both arrive whole, and the file is gone once the response is sent."""
    with served(tmp_path / "store", limits=Limits(workers=1, max_result_bytes=32 << 20)) as s:
        pool = s.runner.pool
        assert pool is not None
        big = "SELECT ?a ?b ?c ?d WHERE { ?a ?b ?c . ?d ?e ?f } LIMIT 9000"
        r = httpx.get(s.url + "/sparql", params={"query": big}, timeout=60)
        assert r.status_code == 200 and len(r.content) > 1 << 20
        assert len(r.json()["results"]["bindings"]) == 9000
        small = httpx.get(s.url + "/sparql", params={"query": "SELECT * { ?s ?p ?o } LIMIT 7"}, timeout=30)
        assert small.status_code == 200 and len(small.json()["results"]["bindings"]) == 7
        assert int(small.headers["content-length"]) == len(small.content)
        deadline = time.monotonic() + 10
        while os.listdir(pool.spool_dir) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert os.listdir(pool.spool_dir) == []


def test_per_client_cap_answers_429_and_others_go_on(tmp_path: Path) -> None:
    """With --per-client-queries 1, a client busy with one query gets 429 (Retry-After) for a second at
    once, while the first is answered as usual; the slot is given back when a query ends."""
    with served(tmp_path / "store", limits=Limits(workers=2, query_timeout=TIMEOUT, per_client=1)) as s:
        got: dict = {}

        def runaway() -> None:
            got["first"] = httpx.post(s.url + "/sparql", data={"query": RUNAWAY}, timeout=60).status_code

        th = threading.Thread(target=runaway)
        th.start()
        wait_until_running(s, 1, [th])
        r = httpx.get(s.url + "/sparql", params={"query": "ASK {}"}, timeout=30)
        assert r.status_code == 429 and r.headers.get("retry-after") == "1"
        assert "per client" in r.text
        th.join(60)
        assert got["first"] == 504
        for _ in range(3):  # slots given back, whatever the outcome
            assert httpx.get(s.url + "/sparql", params={"query": "ASK {}"}, timeout=30).status_code == 200


def test_per_client_option() -> None:
    from kg.errors import StoreError
    from kg.web.serve import limits_from

    assert limits_from().per_client == 0
    assert limits_from(per_client_queries=2).per_client == 2
    with pytest.raises(StoreError, match="per-client"):
        limits_from(per_client_queries=-1)


def test_a_worker_that_ended_while_idle_is_replaced_not_blamed(tmp_path: Path) -> None:
    """Issue 21: a query worker can end while idle (its engine's threads can end it). The next query must
    not be handed to it and answered 500 for a death it did not cause: the dead worker is replaced."""
    import signal

    with served(tmp_path / "store", limits=Limits(workers=1)) as s:
        pool = s.runner.pool
        assert pool is not None
        first = pool._idle.get_nowait()  # the only worker, idle: end it as a crash would
        assert first is not None
        pool._idle.put(first)
        os.kill(first.process.pid, signal.SIGABRT)
        first.process.join(10)
        assert first.process.exitcode is not None
        r = httpx.get(s.url + "/sparql", params={"query": "ASK {}"}, timeout=60)
        assert r.status_code == 200, r.text
        assert pool.stats.idle_deaths == 1


def test_query_workers_keep_few_malloc_arenas(tmp_path: Path) -> None:
    """Issue 21: glibc gave each busy thread an arena of its own (64-128 MiB of address space each), so a
    fresh worker's peak address space varied by 300 MiB from start to start and a 768 MiB cap aborted
    the engine now and then. Workers cap the arenas before any thread starts (glibc only)."""
    import asyncio
    import ctypes

    from kg.web.limits import Probe
    from kg.web.worker import WORKER_ARENAS

    try:
        ctypes.CDLL(None).mallopt  # noqa: B018
    except AttributeError:
        pytest.skip("not glibc: no mallopt")
    with served(tmp_path / "store", limits=Limits(workers=1, worker_memory_mb=768)) as s:
        info = asyncio.run(s.runner.pool.call(Probe())).info
        assert info["malloc_arenas"] == WORKER_ARENAS
        pid = None
        w = s.runner.pool._idle.get_nowait()
        if w is not None:
            pid = w.process.pid
            s.runner.pool._idle.put(w)
        assert pid is not None
        peak_kib = int(next(line.split()[1] for line in open(f"/proc/{pid}/status") if line.startswith("VmPeak")))
        assert peak_kib < 600 << 10, f"a fresh worker reserved {peak_kib >> 10} MiB of address space"
