"""Events of a generic name (选举, 座谈会 …) are shown with what tells them apart — the event they are part
of, organiser, place, date — on every page and JSON twin that names them (issue 14; kg.web.pages.labels
``event_label``, applied by ``common.with_event_context``). Invented texts only."""

from __future__ import annotations

import re

import pytest

from kg.ingest import ingest_file
from kg.store import open_store
from kg.web.pages import labels as L
from tests.identity.test_identity import BASE, Q, page
from tests.support.pages import page_client

ELECTIONS = Q + 'SELECT DISTINCT ?e WHERE { ?e schema:name "选举"@zh ; schema:startDate ?d } ORDER BY ?e'


def test_event_label_says_which_one_only_for_generic_names() -> None:
    ctx = L.EventContext(("青禾市第十届人民代表大会第三次会议",), ("青禾市人大",), ("青禾市",), "2023-01-05")
    assert L.event_label("选举", ctx) == "选举 — 青禾市第十届人民代表大会第三次会议, 青禾市人大, 2023-01-05"
    assert L.event_label("座谈会", L.EventContext((), ("云岭市政协",), ("云岭市",), "")) == "座谈会 — 云岭市政协"
    assert L.event_label("选举", L.EventContext()) == "选举"  # nothing to tell it by
    assert L.event_label("青禾市第十届人民代表大会第三次会议", ctx) == "青禾市第十届人民代表大会第三次会议"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("event-labels")
    store = open_store(folder / "store")
    for i, city in enumerate(["青禾市", "云岭市"]):
        text = (f"本报讯 1月{i + 5}日，{city}人大常委会第十次会议举行。会议进行了选举。"
                f"{('柯望舒', '柏若川')[i]}当选为副主任。")
        ingest_file(store, page(folder, f"e{i}", city, f"2023-01-0{i + 5}", f"{city}人大常委会举行会议", text),
                    base=BASE)
    yield store, page_client(store, BASE)
    store.close()


def _elections(store) -> list[str]:
    return [str(r["e"]) for r in store.query(ELECTIONS).rows()]


def test_two_elections_are_told_apart_everywhere(client) -> None:
    store, c = client
    elections = _elections(store)
    assert len(elections) == 2  # one per congress (kg.rdf.identity), each named 选举
    labels = set()
    for iri in elections:
        twin = c.get(iri.removeprefix(BASE), params={"_format": "json"}).json()
        assert twin["name"] == "选举" and twin["context"].startswith(("青禾市", "云岭市")), twin["context"]
        html = c.get(iri.removeprefix(BASE)).text
        assert f"— {twin['context']}" in html  # under the page's heading
        labels.add(twin["context"])
    assert len(labels) == 2
    # the index of events, its JSON twin and its rows as CSV
    html = c.get("/browse/event").text
    shown = set(re.findall(r"选举 — ([^<]+)<", html))
    assert shown == labels, shown
    rows = c.get("/browse/event", params={"_format": "json"}).json()["rows"]
    assert {r["link"]["text"] for r in rows if r["link"]["text"].startswith("选举")} == {f"选举 — {x}" for x in labels}
    assert "选举 — " in c.get("/browse/event", params={"_format": "csv", "_list": "rows"}).text
    # the home page and search
    assert len(set(re.findall(r"选举 — ([^<]+)<", c.get("/").text)) & labels) >= 1
    # the query page names the events of its results the same way
    html = c.get("/query", params={"query": ELECTIONS}).text
    assert set(re.findall(r"选举 — ([^<]+)<", html)) == labels
    found = c.get("/search.json", params={"q": "选举"}).json()["hits"]
    assert {h["name"] for h in found if h["kind"] == "event" and h["name"].startswith("选举")} \
        == {f"选举 — {x}" for x in labels}


def test_the_article_and_participant_pages_name_the_election_with_its_context(client) -> None:
    store, c = client
    arts = [str(r["a"]) for r in store.query(Q + "SELECT ?a WHERE { ?a a schema:NewsArticle } ORDER BY ?a").rows()]
    for a in arts:
        html = c.get(a.removeprefix(BASE)).text
        assert re.search(r"选举 — (青禾市|云岭市)", html), a
    people = [str(r["p"]) for r in store.query(Q + 'SELECT ?p WHERE { ?p a schema:Person ; schema:name "柯望舒"@zh }')
              .rows()]
    twin = c.get(people[0].removeprefix(BASE), params={"_format": "json"}).text
    assert "选举 — 青禾市" in twin


def test_the_context_fits_a_phone_screen(client) -> None:
    """At phone width the event page (the context under its heading) and the index of events do not scroll
    sideways; screenshots in test-artefacts/event-context-*.png."""
    from kg.web.app import create_app
    from tests.support.browser import chromium, full_page, require_browser, serve, viewport

    require_browser()
    store, _ = client
    election = _elections(store)[0].removeprefix(BASE)
    with serve(create_app(store, BASE)) as url, chromium() as d, viewport(d, 360, 800, mobile=True):
        for path, name in ((election, "event-context-phone"), ("/browse/event", "event-context-index-phone")):
            d.get(url + path)
            text = d.find_element("css selector", "main").text
            assert "选举 — " in text or "— 青禾市" in text or "— 云岭市" in text, text[:300]
            wide = d.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
            assert wide <= 0, (path, wide)
            full_page(d, name, 360, mobile=True)
