"""The command line as users and the scorer call it: real processes, real files."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Dataset, Graph

ROOT = Path(__file__).resolve().parents[2]


def kg(*args: str, check: bool = True, **kw) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    res = subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True, env=env, **kw)
    if check and res.returncode != 0:
        raise AssertionError(f"kg {' '.join(args)} exited {res.returncode}: {res.stderr}")
    return res


@pytest.fixture(scope="module")
def seeded(tmp_path_factory, seed_path) -> Path:
    store = tmp_path_factory.mktemp("cli") / "store"
    kg("ingest", "--store", str(store), str(seed_path))
    return store


def quad_count(store: Path) -> int:
    out = kg(
        "query", "--store", str(store), "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", "--format", "json"
    ).stdout
    return int(json.loads(out)["results"]["bindings"][0]["n"]["value"])


def distinct_triples(store: Path) -> int:
    q = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }"
    out = kg("query", "--store", str(store), q, "--format", "json").stdout
    return int(json.loads(out)["results"]["bindings"][0]["n"]["value"])


@pytest.mark.parametrize("fmt, rdflib_format", [("trig", "trig"), ("nquads", "nquads"), ("jsonld", "json-ld")])
def test_quad_exports_round_trip(seeded, tmp_path, fmt, rdflib_format):
    out = tmp_path / f"export.{fmt}"
    kg("export", "--store", str(seeded), "--format", fmt, "--output", str(out))
    ds = Dataset()
    ds.parse(out, format=rdflib_format)
    n = sum(
        1
        for q in ds.quads((None, None, None, None))
        if q[3] is not None and str(q[3]) != str(ds.default_graph.identifier)
    )
    assert n == quad_count(seeded) > 0


def test_turtle_export_round_trips_to_stdout(seeded):
    out = kg("export", "--store", str(seeded), "--format", "turtle").stdout
    g = Graph()
    g.parse(data=out, format="turtle")
    assert len(g) == distinct_triples(seeded)


def test_turtle_export_passes_rapper(seeded, tmp_path):
    if not shutil.which("rapper"):
        if os.environ.get("CI"):
            pytest.fail("rapper (raptor2-utils) is not installed: scripts/setup.sh installs it")
        pytest.skip("rapper not installed; run scripts/setup.sh")
    out = tmp_path / "all.ttl"
    kg("export", "--store", str(seeded), "--format", "turtle", "--output", str(out))
    res = subprocess.run(["rapper", "-i", "turtle", "-c", str(out)], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert "error" not in res.stderr.lower()
    assert f"returned {distinct_triples(seeded)} triples" in res.stderr


def test_query_formats(seeded):
    q = "SELECT ?h WHERE { ?a schema:headline ?h } ORDER BY ?h"
    js = json.loads(kg("query", "--store", str(seeded), q, "--format", "json").stdout)
    heads = [b["h"]["value"] for b in js["results"]["bindings"]]
    assert len(heads) == 6
    rows = list(csv.reader(io.StringIO(kg("query", "--store", str(seeded), q, "--format", "csv").stdout)))
    assert rows[0] == ["h"] and [r[0] for r in rows[1:]] == heads
    table = kg("query", "--store", str(seeded), q).stdout
    assert "(6 rows)" in table and heads[0] in table
    assert kg("query", "--store", str(seeded), "ASK { ?a a schema:NewsArticle }").stdout.strip() == "true"


def test_construct_gives_turtle(seeded):
    q = "CONSTRUCT { ?a schema:headline ?h } WHERE { ?a schema:headline ?h }"
    g = Graph().parse(data=kg("query", "--store", str(seeded), q).stdout, format="turtle")
    assert len(g) == 6


def test_query_from_file(seeded, tmp_path):
    f = tmp_path / "q.rq"
    f.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?a a schema:NewsArticle }", encoding="utf-8")
    assert "6" in kg("query", "--store", str(seeded), f"@{f}", "--format", "csv").stdout


def test_stats_and_validate(seeded):
    stats = json.loads(kg("stats", "--store", str(seeded), "--json").stdout)
    assert stats["articles"] == 6 and stats["classes"]["schema:NewsArticle"] == 6
    res = kg("validate", "--store", str(seeded))
    assert res.stdout.startswith("conforms: yes")


def one_line_error(res: subprocess.CompletedProcess, needle: str) -> None:
    assert res.returncode != 0
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, res.stderr
    assert needle in lines[0] and "Traceback" not in res.stderr


def test_errors_are_one_clear_line(seeded, tmp_path):
    store = str(tmp_path / "s")
    one_line_error(kg("ingest", "--store", store, str(tmp_path / "missing.txt"), check=False), "no such file")
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes("# 标题\n\n正文。\n".encode("gbk"))
    one_line_error(kg("ingest", "--store", store, str(gbk), check=False), "--encoding gb18030")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    one_line_error(kg("ingest", "--store", store, str(empty), check=False), "empty file")
    noart = tmp_path / "noart.txt"
    noart.write_text(
        "这是一段很长的文字,没有任何标题,也没有可以识别为标题的短行。\n" * 2, encoding="utf-8"
    )
    one_line_error(kg("ingest", "--store", store, str(noart), check=False), "no recognisable article")
    one_line_error(kg("query", "--store", str(seeded), "SELECT ?x WHERE { ?x", check=False), "malformed query")
    one_line_error(kg("query", "--store", str(tmp_path / "nostore"), "ASK {}", check=False), "no store")


def test_gbk_with_encoding_option(tmp_path):
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes("# 某县召开会议\n\n正文一句。\n".encode("gb18030"))
    store = str(tmp_path / "s")
    kg("ingest", "--store", store, "--encoding", "gb18030", str(gbk))
    assert "某县召开会议" in kg("query", "--store", store, "SELECT ?h WHERE { ?a schema:headline ?h }").stdout


def test_options_override_sidecar(tmp_path):
    page = tmp_path / "p.txt"
    page.write_text("# 标题\n\n正文。\n", encoding="utf-8")
    (tmp_path / "p.meta.json").write_text(json.dumps({"publication": "甲报", "date": "2020-01-01"}), encoding="utf-8")
    store = str(tmp_path / "s")
    kg("ingest", "--store", store, "--date", "2021-02-03", str(page))
    out = kg(
        "query",
        "--store",
        store,
        "SELECT ?d ?n WHERE { ?a schema:datePublished ?d ; schema:publisher/schema:name ?n }",
        "--format",
        "csv",
    ).stdout
    assert "2021-02-03" in out and "甲报" in out


def test_base_is_fixed_by_first_ingest(tmp_path, seed_path):
    store = str(tmp_path / "s")
    kg("ingest", "--store", store, "--base", "http://example.org/kg", str(seed_path))
    assert (
        "http://example.org/kg/article/"
        in kg("query", "--store", store, "SELECT ?a WHERE { ?a a schema:NewsArticle }").stdout
    )
    one_line_error(kg("ingest", "--store", store, "--base", "http://other.org", str(seed_path), check=False), "base")
