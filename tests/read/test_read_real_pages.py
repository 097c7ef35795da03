"""Real articles as e-paper and news-site HTML pages (issue 18): each page gives the facts its text page gives.

tests/fixtures/html holds seven reports from real local papers and sites (people's names replaced by invented
ones; sources in its README.md), each as a text page and as an HTML page in one real layout: five e-paper
systems (Founder ENP tables, Founder "pc" pages by class and by id, the People's Daily ``text_c`` page,
cnepaper tables) and two ordinary sites (a TRS government site, a news portal). Two pages are GB2312 and one
GBK. Each has a gold annotation in the scorer's format. Both forms are ingested into a store, exported and
read back through ``../shared/eval/score.py`` (``read_prediction``, ``score_one``), as the scorer does: the
two readings must be equal, fact for fact, and score the same against the gold (the scores are printed).
"""

from __future__ import annotations

import importlib.util
import io
import json
import re
from pathlib import Path
from types import ModuleType

import pytest

from kg.ingest import ingest_file
from kg.store import open_store

ROOT = Path(__file__).resolve().parents[2]
FIX = Path(__file__).parents[1] / "fixtures" / "html"
SCORER = ROOT.parent / "shared" / "eval" / "score.py"
BASE = "http://127.0.0.1:8000"
GOLDS = sorted(FIX.glob("*.json"))


@pytest.fixture(scope="module")
def score() -> ModuleType:
    if not SCORER.exists():
        pytest.skip("../shared/eval/score.py is not beside the repo")
    spec = importlib.util.spec_from_file_location("kg_scorer", SCORER)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def ontology():  # type: ignore[no-untyped-def]
    from rdflib import Graph

    g = Graph()
    for ttl in sorted((ROOT / "ontology").rglob("*.ttl")):
        g.parse(ttl, format="turtle")
    return g


def prediction(score: ModuleType, ontology, path: Path, pub: dict, tmp: Path, *, stated_date: bool) -> dict:  # type: ignore[no-untyped-def]
    """Ingest one page into a fresh store and read it back as score.py reads ``kg export`` (TriG).

    ``stated_date``: the HTML page states its date itself; the text page gets it as ``--date``, as score.py
    passes it. The paper's name and place are options for both."""
    from rdflib import Dataset, Graph

    store = open_store(tmp)
    try:
        ingest_file(store, path, base=BASE, publication=pub.get("name"), locality=pub.get("locality"),
                    date=None if stated_date else pub.get("date"))
        out = io.BytesIO()
        store.export("trig", out)
    finally:
        store.close()
    ds = Dataset(default_union=True)
    ds.parse(data=out.getvalue(), format="trig")
    g = Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    g += ontology
    return score.read_prediction(g)


def canon(pred: dict) -> dict:
    """The prediction without IRIs (an article with a URL is minted from it, one without from its text)."""
    people = sorted((sorted(p["names"]), sorted(p["posts"])) for p in pred["persons"].values())
    events = sorted(
        (sorted(e["types"]), sorted(e["names"]), sorted(e["dates"]), sorted(map(sorted, e["organizers"])),
         sorted((sorted(v["names"]), sorted(v["roles"]), sorted(v["posts"])) for v in e["parts"].values()))
        for e in pred["events"].values())
    return {"articles": sorted(map(sorted, pred["articles"])), "people": people, "events": events,
            "amounts": sorted(pred["amounts"]), "credits": sorted(pred["credits"])}


def f1(score: ModuleType, tallies: dict) -> float:
    return sum(t.prf()[2] for t in tallies.values()) / len(tallies)


def test_the_fixtures_cover_the_layouts_and_encodings():
    """At least four e-paper layouts, two site layouts, a GBK and a GB2312 page, each read by its own adapter."""
    from kg.read.html import decode_html, read_html

    layouts, charsets = set(), set()
    for gold in GOLDS:
        page = FIX / json.loads(gold.read_text(encoding="utf-8"))["html"]
        data = page.read_bytes()
        layouts.add(read_html(decode_html(data, page.name), page.name).layout)
        declared = re.search(rb"charset=[\"']?([\w-]+)", data[:2000])
        if declared and declared.group(1).lower().startswith(b"gb"):
            with pytest.raises(UnicodeDecodeError):
                data.decode("utf-8")
            charsets.add(declared.group(1).lower())
    assert {"enp", "founder-pc", "founder-ids", "text_c", "cnepaper"} <= layouts  # e-paper systems
    assert {"trs", "markup"} <= layouts  # a government site (TRS) and a portal read by class names
    assert {b"gb2312", b"gbk"} <= charsets


@pytest.mark.parametrize("gold_path", GOLDS, ids=[g.stem for g in GOLDS])
def test_html_page_gives_the_facts_of_its_text_page(gold_path, score, ontology, tmp_path):
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    pub = gold["publication"]
    text = prediction(score, ontology, FIX / gold["source"], pub, tmp_path / "t", stated_date=False)
    html = prediction(score, ontology, FIX / gold["html"], pub, tmp_path / "h", stated_date=True)
    assert canon(html) == canon(text)
    assert canon(text)["events"] and canon(text)["people"]  # the comparison is not between two empty graphs
    t_score, h_score = score.score_one(gold, text), score.score_one(gold, html)
    assert {k: (t.tp_p, t.fp, t.tp_r, t.fn) for k, t in t_score.items()} == \
        {k: (t.tp_p, t.fp, t.tp_r, t.fn) for k, t in h_score.items()}
    print(f"{gold_path.stem}: F1 {f1(score, t_score):.3f} as text, {f1(score, h_score):.3f} as {gold['html']}")
