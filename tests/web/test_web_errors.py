"""What the framework refuses before any route runs answers like every other error of the service: a
plain-text line with a fitting status (the outside probe found FastAPI's JSON ``{"detail": …}`` for an
unknown address, a wrong method and a mistyped search parameter, and a 422 for the last)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kg.store.oxigraph import OxigraphStore
from kg.web.app import create_app

BASE = "http://127.0.0.1:8000"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    store = OxigraphStore(Path(tmp_path_factory.mktemp("errors")) / "store")
    return TestClient(create_app(store, BASE))


def plain_error(r, status: int) -> str:
    assert r.status_code == status, (r.status_code, r.text)
    assert r.headers["content-type"] == "text/plain; charset=utf-8", r.headers["content-type"]
    assert not r.text.startswith("{"), r.text
    assert r.text.endswith("\n") and r.text.count("\n") == 1, r.text
    return r.text


@pytest.mark.parametrize("path", ["/nothing/here", "/person/", "/person", "/static/../../pyproject.toml",
                                  "/person/..%2f..%2fetc%2fpasswd"])
def test_an_unknown_address_is_a_plain_404(client: TestClient, path: str) -> None:
    for accept in (None, "application/json", "*/*", "application/sparql-results+json"):
        text = plain_error(client.get(path, headers={"Accept": accept} if accept else {}), 404)
        assert "not found" in text


def test_browsers_still_get_the_html_404_page(client: TestClient) -> None:
    r = client.get("/nothing/here", headers={"Accept": BROWSER})
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html") and "未找到" in r.text


@pytest.mark.parametrize(("method", "path"), [("POST", "/"), ("DELETE", "/sparql"), ("POST", "/query"),
                                              ("PUT", "/export.nq")])
def test_a_wrong_method_is_a_plain_405_naming_the_allowed_ones(client: TestClient, method: str, path: str) -> None:
    r = client.request(method, path)
    text = plain_error(r, 405)
    assert method in text and r.headers["allow"] and r.headers["allow"].split(",")[0].strip() in text


@pytest.mark.parametrize("query", ["/search?page=abc", "/search?page=0", "/search.json?page=-1",
                                   "/search?q=" + "a" * 300, "/name?q=" + "王" * 60])
def test_a_mistyped_parameter_is_a_plain_400_naming_it(client: TestClient, query: str) -> None:
    text = plain_error(client.get(query), 400)
    assert text.startswith("bad parameter ") and ("page" in text or "q:" in text), text
