"""Labels and accessibility of the pages (issue 17, items 7 and 8), checked on the HTML and the CSS."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from kg.resources import STATIC_DIR
from kg.web.app import create_app
from kg.web.pages import labels as L
from tests.support import pages_graph as F
from tests.support.pages import make_store

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory):
    store = make_store(tmp_path_factory.mktemp("a11y") / "store", F.build())
    yield TestClient(create_app(store, F.BASE), headers=BROWSER)
    store.close()


def paths(client: TestClient) -> list[str]:
    out = ["/", "/browse/person", "/browse/event", "/query"]
    for kind in ("person", "organization", "event", "post", "article"):
        out.append(client.get(f"/browse/{kind}", params={"_format": "json"}).json()["rows"][0]["link"]["href"])
    return out


def title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1)  # type: ignore[union-attr]


def test_english_sub_labels_say_they_are_english(client) -> None:
    for path in paths(client):
        html = client.get(path).text
        bare = re.findall(r"<small>([A-Za-z][^<]*)</small>", html)
        assert not bare, (path, bare[:5])
        assert '<a class="skip" href="#main">' in html and '<main id="main"' in html, path
        assert 'rel="icon"' in html


def test_titles_tell_pages_apart(client) -> None:
    event = client.get("/browse/event", params={"_format": "json"}).json()["rows"]
    dated = next(e for e in event if e["date"])
    assert dated["date"] in title(client.get(dated["link"]["href"]).text)
    post = client.get("/browse/post", params={"_format": "json"}).json()["rows"][0]["link"]["href"]
    data = client.get(post, params={"_format": "json"}).json()
    assert data["org"]["text"] in title(client.get(post).text)
    article = client.get("/browse/article", params={"_format": "json"}).json()["rows"][0]
    assert article["date"] in title(client.get(article["link"]["href"]).text)


def test_organisation_kinds_and_roles_in_chinese(client) -> None:
    assert str(L.org_kind("government")) == "政府机关 government"
    assert L.label(L.KG + "Presenter").zh != "发言人"  # reads as "spokesperson"
    html = client.get("/organization/shi-li-shi-ren-min-zheng-fu").text
    kind = re.search(r"类别 .*?</p>", html)  # the hand-made graph's government is of kind "government"
    assert kind is not None and '<span class="label" lang="zh">政府机关</span>' in kind.group(0)


def test_no_invisible_focus_and_enough_contrast() -> None:
    css = (STATIC_DIR / "pages" / "pages.css").read_text(encoding="utf-8")
    assert not re.search(r"outline\s*:\s*(none|0)\b", css)
    assert ":focus-visible" in css
    colours = dict(re.findall(r"--([a-z]+):\s*(#[0-9a-f]{6})", css))

    def lum(h: str) -> float:
        c = [int(h[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        c = [x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4 for x in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]

    def ratio(a: str, b: str) -> float:
        hi, lo = sorted((lum(a), lum(b)), reverse=True)
        return (hi + 0.05) / (lo + 0.05)

    # text colours on the page, on the tinted backgrounds of tags, counts and highlighted names
    for fg in ("muted", "person", "organization", "event", "place", "post", "accent"):
        for bg in (colours["bg"], "#ffffff", "#eef0f2", "#fbefe2", "#e8f0fa", "#e9f4ea", "#f1ebf8", "#f2f3f1"):
            assert ratio(colours[fg], bg) >= 4.5, (fg, bg, round(ratio(colours[fg], bg), 2))
    for tok in re.findall(r"\.tok-\w+ \{ color: (#[0-9a-f]{6})", css):  # the editor's highlighting
        assert ratio(tok, "#ffffff") >= 4.5, tok


def test_browsers_get_an_html_404_and_a_favicon(client) -> None:
    r = client.get("/nothing/here")
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html") and "未找到" in r.text
    plain = client.get("/nothing/here", headers={"Accept": "application/json"})
    assert plain.status_code == 404 and plain.text.startswith("not found: /nothing/here")  # kg.web.errors
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg+xml")


def test_network_picture_adds_no_tab_stops(client) -> None:
    """The picture's links repeat the list beside it: keyboard users meet each person once (the list)."""
    html = client.get("/person/li-ming-yuan").text
    svg = re.search(r"<svg class=\"network\".*?</svg>", html, re.S)
    assert svg is not None and "<a " in svg.group(0)
    assert all('tabindex="-1"' in a for a in re.findall(r"<a [^>]*>", svg.group(0)))
    # … and screen readers too (links inside role="img" are nested controls, axe's nested-interactive)
    assert 'aria-hidden="true"' in svg.group(0).split(">")[0]
