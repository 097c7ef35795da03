"""Properties over many inputs: negotiation never picks what the client refused, and no path under an
entity route makes the server fail or answer for anything but a valid slug."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.store.base import Capabilities
from kg.web.negotiation import (
    DESCRIPTION_FORMATS,
    GRAPH_FORMATS,
    RESULT_FORMATS,
    by_name,
    negotiate,
    parse_accept,
    quality,
)
from kg.web.resources import ID_RE

TYPES = ["text/turtle", "application/ld+json", "application/rdf+xml", "application/n-triples", "text/html",
         "application/xml", "application/json", "text/csv", "text/*", "application/*", "*/*", "image/png",
         "application/sparql-results+json", "text/tab-separated-values", "application/trig", "bogus", ""]
media_range = st.builds(
    lambda t, q: t if q is None else f"{t};q={q}",
    st.sampled_from(TYPES),
    st.one_of(st.none(), st.sampled_from(["0", "0.1", "0.5", "0.9", "1", "1.0", "x"])),
)
accept = st.lists(media_range, max_size=6).map(", ".join)


@settings(max_examples=300, deadline=None)
@given(accept)
def test_negotiation_respects_the_client(header: str) -> None:
    ranges = parse_accept(header)
    for offers in (DESCRIPTION_FORMATS, GRAPH_FORMATS, RESULT_FORMATS):
        chosen = negotiate(header, offers)
        best = max(quality(ranges, f) for f in offers)
        if chosen is None:
            assert best == 0.0
        else:
            assert quality(ranges, chosen) == best > 0.0
            assert chosen == next(f for f in offers if quality(ranges, f) == best)  # ties: server order


class EmptyStore(Capabilities):
    """A store that knows nothing: every valid id is a 404, and nothing may be a 500."""

    def query(self, *a, **kw):
        class R:
            kind = "graph"

            def triples(self):
                return iter(())

            def boolean(self):
                return False

            def rows(self):
                return iter(())

        return R()

    def quad_count(self) -> int:
        return 0

    def graph_iris(self) -> list[str]:
        return []


@pytest.fixture(scope="module")
def client() -> TestClient:
    from kg.web.app import create_app

    return TestClient(create_app(EmptyStore(), "http://127.0.0.1:8000"))  # type: ignore[arg-type]


@settings(max_examples=300, deadline=None)
@given(kind=st.sampled_from(["person", "organization", "event", "article", "place", "post"]),
       ident=st.text(min_size=1, max_size=40))
def test_any_id_is_404_not_an_error(client: TestClient, kind: str, ident: str) -> None:
    from urllib.parse import quote

    r = client.get(f"/{kind}/{quote(ident, safe='')}")
    assert r.status_code == 404, (ident, r.status_code)
    m = ID_RE.match(ident)
    offers = client.app.state.context.representations.formats()  # type: ignore[attr-defined]
    if m and (not m["ext"] or by_name(m["ext"], offers)):  # a well-formed id (any case of a format's name,
        assert r.text.startswith("not found: http://127.0.0.1:8000/")  # 0.JSON): looked up, not found as that IRI
    elif m:  # an extension that names no format: not looked up
        assert r.text.startswith(f"not found: /{kind}/")
