"""Helpers for the web tests: a hand-made graph, a store with the seed in it, a real uvicorn server.

The hand-made graph has what extraction will produce (events, participations, grants) so the web
layer and the example queries can be tested before extraction lands; the seed gives real articles
and credits.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import rdflib
import uvicorn

from kg.store.base import GraphUpdate, Store
from tests.support.seed import SEED  # noqa: F401  (the web and reliability tests import it from here)

HANDMADE = """
@prefix kg:     <https://w3id.org/newskg/ontology#> .
@prefix schema: <https://schema.org/> .
@prefix prov:   <http://www.w3.org/ns/prov#> .
@prefix org:    <http://www.w3.org/ns/org#> .
@prefix rdfs:   <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:    <http://www.w3.org/2001/XMLSchema#> .
@base <BASE/> .

<article/test-a> {
  <article/test-a> a schema:NewsArticle ;
      schema:headline "市委人才工作会议召开"@zh ;
      schema:datePublished "2022-01-13"^^xsd:date ;
      schema:about <event/e1> ;
      schema:mentions <person/zhang-xin-wei> , <person/wei-tao> , <person/li-xiao-bo> , <organization/shi-wei> .
  <event/e1> a kg:Meeting ;
      schema:name "市委人才工作会议"@zh ;
      schema:startDate "2022-01-12"^^xsd:date ;
      schema:location <place/tai-yuan> ;
      schema:organizer <organization/shi-wei> ;
      kg:participation <article/test-a#p1> , <article/test-a#p2> , <article/test-a#p3> .
  <article/test-a#p1> a kg:Participation ; kg:agent <person/zhang-xin-wei> ; kg:role kg:Chair ;
      prov:wasDerivedFrom <article/test-a> ; kg:evidence "张新伟主持"@zh .
  <article/test-a#p2> a kg:Participation ; kg:agent <person/wei-tao> ; kg:role kg:Speaker ;
      kg:post <post/shi-wei-shu-ji> ; prov:wasDerivedFrom <article/test-a> .
  <article/test-a#p3> a kg:Participation ; kg:agent <person/li-xiao-bo> ; kg:role kg:Attendee ;
      prov:wasDerivedFrom <article/test-a> .
  <person/zhang-xin-wei> a schema:Person ; schema:name "张新伟"@zh .
  <person/wei-tao> a schema:Person ; schema:name "韦韬"@zh ; org:holds <post/shi-wei-shu-ji> ;
      kg:postHolding <article/test-a#holding-1> .
  <article/test-a#holding-1> a kg:PostHolding ; kg:holder <person/wei-tao> ; kg:heldPost <post/shi-wei-shu-ji> ;
      kg:evidence "市委书记韦韬出席"@zh ; prov:wasDerivedFrom <article/test-a> .
  <person/li-xiao-bo> a schema:Person ; schema:name "李晓波"@zh .
  <post/shi-wei-shu-ji> a org:Post ; rdfs:label "市委书记"@zh ; org:postIn <organization/shi-wei> .
  <organization/shi-wei> a schema:Organization ; schema:name "太原市委"@zh .
  <organization/li-gong> a schema:Organization ; schema:name "太原理工大学"@zh .
  <organization/yi-yuan> a schema:Organization ; schema:name "山西医科大学"@zh .
  <place/tai-yuan> a schema:Place ; schema:name "太原"@zh .
  <article/test-a#grant-1> a schema:MonetaryGrant ; schema:amount <article/test-a#amount-1> ;
      schema:funder <organization/shi-wei> ; kg:recipient <organization/li-gong> ; kg:grantedAt <event/e1> .
  <article/test-a#amount-1> a schema:MonetaryAmount ; schema:value "153000000"^^xsd:decimal ; schema:currency "CNY" .
  <article/test-a#grant-2> a schema:MonetaryGrant ; schema:amount <article/test-a#amount-2> ;
      schema:funder <organization/shi-wei> ; kg:recipient <organization/yi-yuan> .
  <article/test-a#amount-2> a schema:MonetaryAmount ; schema:value "500000"^^xsd:decimal ; schema:currency "CNY" .
  <event/award> a kg:AwardCeremony ; schema:name "人才引育贡献奖"@zh ; schema:superEvent <event/e1> .
  <article/test-a#grant-3> a schema:MonetaryGrant ; schema:amount <article/test-a#amount-3> ;
      kg:grantedAt <event/award> .
  <article/test-a#amount-3> a schema:MonetaryAmount ; schema:value "39000000"^^xsd:decimal ; schema:currency "CNY" .
}

<article/test-b> {
  <article/test-b> a schema:NewsArticle ;
      schema:headline "座谈会举行"@zh ;
      schema:datePublished "2022-01-13"^^xsd:date ;
      schema:about <event/e2> , <event/e1> .
  <event/e2> a kg:Meeting ;
      schema:name "人才工作座谈会"@zh ;
      schema:startDate "2022-01-10"^^xsd:date ;
      kg:participation <article/test-b#p1> , <article/test-b#p2> .
  <article/test-b#p1> a kg:Participation ; kg:agent <person/wei-tao> ; kg:role kg:Chair ;
      prov:wasDerivedFrom <article/test-b> .
  <article/test-b#p2> a kg:Participation ; kg:agent <person/li-xiao-bo> ; kg:role kg:Participant ;
      prov:wasDerivedFrom <article/test-b> .
  <event/e1> a kg:Meeting ; schema:name "市委人才工作会议"@zh ;
      kg:participation <article/test-b#p3> .
  <article/test-b#p3> a kg:Participation ; kg:agent <person/li-xiao-bo> ; kg:role kg:Attendee ;
      prov:wasDerivedFrom <article/test-b> .
  <person/wei-tao> a schema:Person ; schema:name "韦韬"@zh .
  <person/li-xiao-bo> a schema:Person ; schema:name "李晓波"@zh .
}
"""


def handmade_updates(base: str) -> list[GraphUpdate]:
    """The hand-made article graphs, with IRIs under ``base``."""
    ds = rdflib.Dataset()
    ds.parse(data=HANDMADE.replace("BASE", base), format="trig")
    out = []
    for g in ds.graphs():
        if not isinstance(g.identifier, rdflib.URIRef) or "/article/" not in g.identifier or len(g) == 0:
            continue
        out.append(GraphUpdate(str(g.identifier), list(g)))
    return out


def free_port() -> int:
    """A port free now, for a server in another process (which binds it itself, a moment later)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


_reserved: dict[int, socket.socket] = {}  # port -> its bound socket, until ``running`` listens on it


def reserve_port() -> int:
    """A port kept bound until ``running`` serves on it.

    Why: the port must be known before the app (it is the IRI base), and the store is built in between
    (seconds); a port only found free could be taken meanwhile by any process on this shared machine
    (another test run's client connections use the same range). A bound socket cannot be taken.
    """
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    _reserved[port] = s
    return port


@contextmanager
def running(app, port: int) -> Iterator[str]:
    """A real uvicorn server for ``app`` on 127.0.0.1:``port`` in a thread; yields its root URL.

    A port from ``reserve_port`` is served through its bound socket (no window in which it is free).
    """
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    sock = _reserved.pop(port, None)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]} if sock else {}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        if sock is not None:
            sock.close()


def ingest_seed(store_dir: Path, base: str, seed: Path) -> None:
    from kg.cli import main

    rc = main(["ingest", "--store", str(store_dir), "--base", base, str(seed)])
    assert rc == 0


def add_handmade(store: Store, base: str) -> None:
    store.replace_graphs(handmade_updates(base))


class Web:
    """A running service: its root ``url`` (also the IRI base), the store it serves and that store's folder."""

    def __init__(self, url: str, store: Store, store_dir: Path, app) -> None:
        self.url = url
        self.base = url
        self.store = store
        self.store_dir = store_dir
        self.app = app
        self.sparql = f"{url}/sparql"
