"""Each entity's figures in the search index (articles, first and last date, posts, places: what a hit's
description says) are kept by counts as graphs come and go (kg.search.index's ``tally``); they must be
what the index's own rows say, however the graphs came: written, rewritten by a career join, written
again with other facts, removed. Invented names and texts throughout."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import kg.search as S
from kg.cli import main
from kg.search.index import FILE_NAME
from kg.store import open_store
from tests.identity.test_identity import page

BASE = "http://figures.test"

# the figures' definition, from the rows (what the index computed at every write before it kept counts)
_ARTICLES = ("SELECT count(*), min(NULLIF(a.date, '')), max(NULLIF(a.date, '')) FROM mentions m "
             "JOIN articles a ON a.graph = m.graph WHERE m.entity = ?")
_POSTS = ("SELECT value FROM facts WHERE entity = ? AND field = 'post' GROUP BY value "
          "ORDER BY count(*) DESC, value LIMIT 3")
_PLACES = ("SELECT a.locality FROM mentions m JOIN articles a ON a.graph = m.graph WHERE m.entity = ? "
           "AND a.locality != '' GROUP BY a.locality ORDER BY count(*) DESC, a.locality LIMIT 2")


def _figures(path: Path) -> tuple[list[tuple], list[tuple]]:
    """(the stats rows, the rows the definition gives), both sorted."""
    conn = sqlite3.connect(path)
    try:
        want = []
        for (e,) in conn.execute("SELECT DISTINCT entity FROM mentions").fetchall():
            n, first, last = conn.execute(_ARTICLES, (e,)).fetchone()
            posts = "、".join(v for (v,) in conn.execute(_POSTS, (e,)))
            places = "、".join(v for (v,) in conn.execute(_PLACES, (e,)))
            want.append((e, n, first, last, posts, places))
        have = conn.execute("SELECT entity, articles, first, last, posts, places FROM stats").fetchall()
        assert not conn.execute("SELECT * FROM tally WHERE n <= 0").fetchall()  # nothing counted out is left
    finally:
        conn.close()
    return sorted(have), sorted(want)


def _page(folder: Path, name: str, city: str, date: str, sentence: str) -> Path:
    return page(folder, name, city, date, f"{city}会议{name}", f"本报讯 {city}召开会议。{sentence}")


def test_figures_follow_writes_rewrites_and_removals(tmp_path: Path) -> None:
    st = tmp_path / "store"
    first, later, again = tmp_path / "first", tmp_path / "later", tmp_path / "again"
    _page(first, "k0", "青禾市", "2020-03-02", "教育局局长柯望舒出席。市委书记石砚秋主持。")
    _page(first, "k1", "青禾市", "2020-09-02", "教育局局长柯望舒讲话。市委书记石砚秋讲话。")
    _page(first, "k2", "云溪市", "2021-01-05", "市委书记石砚秋出席。")  # another city's namesake
    _page(later, "k3", "青禾市", "2022-03-02", "副市长柯望舒出席。市委书记石砚秋主持。")  # joins k0, k1
    for folder in (first, later):
        assert main(["ingest", "--store", str(st), "--base", BASE, "--jobs", "2", str(folder)]) == 0
    have, want = _figures(st / FILE_NAME)
    assert have == want
    assert any(n == 3 and first == "2020-03-02" and last == "2022-03-02" for _, n, first, last, _, _ in have)
    _page(again, "k1", "青禾市", "2020-09-02", "教育局局长柯望舒讲话。")  # the same page with a name less
    assert main(["ingest", "--store", str(st), "--base", BASE, str(again / "k1.txt")]) == 0
    store = open_store(st)
    try:
        gone = [g for g in store.graph_iris() if "/article/" in g][:1]
        store.remove_graphs(gone)
        S.refresh(store, gone)  # the Graph Store DELETE path
    finally:
        store.close()
    have, want = _figures(st / FILE_NAME)
    assert have == want
    assert main(["index", "--store", str(st)]) == 0  # and a rebuild counts the same
    assert _figures(st / FILE_NAME)[0] == have
