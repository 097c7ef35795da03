"""Curation (issue 14): the editors' overrides file that ``kg resolve`` and ingest honour.

Every name and city here is invented (tests/project/test_no_leak.py). Pages go through the real reader,
extractor and mapper and the real command line, as an editor would use them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.cli import main
from kg.ingest import ingest_file
from kg.rdf import iris
from kg.rdf.curation import CurationError, parse
from kg.store import open_store
from kg.web.context import ServeConfig
from tests.identity.test_identity import BASE, Q, dump_all, page, people_named, post_labels

NAME = "柏若川"


def two_cities(folder: Path) -> list[Path]:
    """柏若川, 市委书记 of 青禾 (two reports) and of 云岭 (one): two people by the rules."""
    return [page(folder, "q1", "青禾市", "2021-03-02", "青禾市召开工作会议",
                 f"本报讯 青禾市工作会议召开。市委书记{NAME}出席并讲话。"),
            page(folder, "q2", "青禾市", "2022-04-02", "青禾市召开推进会",
                 f"本报讯 青禾市召开推进会。市委书记{NAME}主持。"),
            page(folder, "y1", "云岭市", "2023-05-02", "云岭市召开工作会议",
                 f"本报讯 云岭市工作会议召开。市长{NAME}出席。")]


def kg(*args: str | Path) -> int:
    return main([str(a) for a in args])


def ingest(store: Path, *paths: Path) -> None:
    for p in paths:
        assert kg("ingest", "--store", store, "--base", BASE, p) == 0


def people(store_dir: Path, name: str = NAME) -> set[str]:
    s = open_store(store_dir)
    try:
        return people_named(s, name)
    finally:
        s.close()


def reasons(store_dir: Path, person: str) -> set[str]:
    s = open_store(store_dir)
    try:
        rows = s.query(Q + f"SELECT DISTINCT ?r WHERE {{ GRAPH ?b {{ ?j kg:joinedEntity <{person}> ; "
                           f"kg:joinReason ?r }} }}").rows()
        return {str(r["r"]).rsplit("#", 1)[1] for r in rows}
    finally:
        s.close()


def articles_of(store_dir: Path, person: str) -> list[str]:
    s = open_store(store_dir)
    try:
        rows = s.query(Q + f"SELECT DISTINCT ?a WHERE {{ GRAPH ?a {{ ?a schema:mentions <{person}> }} }} ORDER BY ?a")
        return [str(r["a"]) for r in rows.rows()]
    finally:
        s.close()


JOIN = f'[[join]]\nname = "{NAME}"\njurisdictions = ["青禾市", "云岭市"]\nnote = "调任"\n'


def test_a_join_of_namesakes_of_two_cities_gives_one_person_with_both_posts(tmp_path: Path, capsys) -> None:
    store = tmp_path / "store"
    pages = two_cities(tmp_path / "pages")
    ingest(store, *pages)
    assert len(people(store)) == 2
    (store / "curation.toml").write_text(JOIN, encoding="utf-8")
    assert kg("resolve", "--store", store) == 0
    assert "1 re-minted by the identity rules and 1 curation overrides" in capsys.readouterr().err
    (one,) = people(store)
    assert "qing-he" in one  # the first place named is the one kept
    s = open_store(store)
    try:
        assert {lab[-2:] for lab in post_labels(s, one)} == {"书记", "市长"}  # both cities' posts
    finally:
        s.close()
    assert reasons(store, one) == {"PostJurisdiction", "Curated"}  # 青禾's by the rules, 云岭's by the editor
    assert len(articles_of(store, one)) == 3
    before = dump(store)
    ingest(store, pages[2])  # a re-ingest mints with STORE/curation.toml: the join is kept
    assert people(store) == {one} and dump(store) == before
    assert kg("resolve", "--store", store) == 0 and dump(store) == before  # and resolve is idempotent
    (store / "curation.toml").write_text("# nothing curated\n", encoding="utf-8")
    assert kg("resolve", "--store", store) == 0  # an override taken out of the file is undone
    assert len(people(store)) == 2 and all("Curated" not in reasons(store, p) for p in people(store))
    assert "no curation file was given" in capsys.readouterr().err  # said, in case it was a mistake


def test_a_join_by_person_iris(tmp_path: Path) -> None:
    store = tmp_path / "store"
    ingest(store, *two_cities(tmp_path / "pages"))
    a, b = sorted(people(store), key=lambda p: "yun-ling" in p)
    (store / "curation.toml").write_text(f'[[join]]\npersons = ["{b}", "{a}"]\n', encoding="utf-8")
    assert kg("resolve", "--store", store) == 0
    assert people(store) == {b}  # the first IRI is kept, here 云岭's


def test_a_split_gives_two_people_and_a_reingest_keeps_it(tmp_path: Path) -> None:
    store = tmp_path / "store"
    pages = two_cities(tmp_path / "pages")[:2]
    ingest(store, *pages)
    (one,) = people(store)
    first, second = articles_of(store, one)
    (store / "curation.toml").write_text(
        f'[[split]]\nperson = "{one}"\narticles = ["{second}"]\nlabel = "教育局"\n', encoding="utf-8")
    assert kg("resolve", "--store", store) == 0
    got = people(store)
    assert len(got) == 2 and one in got
    (other,) = got - {one}
    assert other.startswith(one + "_c-jiao-yu-ju-")  # the person's key plus the editor's label
    assert articles_of(store, one) == [first] and articles_of(store, other) == [second]
    assert reasons(store, other) == {"Curated"} and reasons(store, one) == {"PostJurisdiction"}
    before = dump(store)
    ingest(store, *pages)
    assert dump(store) == before


def test_curation_at_ingest_equals_curation_by_resolve_in_any_order(tmp_path: Path) -> None:
    """The keys depend on the article and the file only: ingesting with the file, in either order,
    gives the store ``kg resolve`` makes of an uncurated one."""
    pages = two_cities(tmp_path / "pages")
    curation = parse(JOIN)
    dumps = []
    for i, order in enumerate((pages, pages[::-1])):
        s = open_store(tmp_path / f"s{i}")
        try:
            for p in order:
                ingest_file(s, p, base=BASE, curation=curation)
            dumps.append(dump_all(s))
        finally:
            s.close()
    resolved = tmp_path / "resolved"
    ingest(resolved, *pages)
    (tmp_path / "c.toml").write_text(JOIN, encoding="utf-8")
    assert kg("resolve", "--store", resolved, "--curation", tmp_path / "c.toml") == 0
    assert dumps[0] == dumps[1] == dump(resolved)


def test_an_override_naming_nothing_in_the_store_is_reported(tmp_path: Path, capsys) -> None:
    store = tmp_path / "store"
    ingest(store, *two_cities(tmp_path / "pages")[:1])
    (store / "curation.toml").write_text(
        f'[[join]]\nname = "{NAME}"\njurisdictions = ["青禾市", "云岭市"]\n\n'
        f'[[split]]\nperson = "{BASE}/person/{iris.person_id(NAME, iris.ident("青禾市", 30))}"\n'
        f'articles = ["{BASE}/article/2020-01-01-000000000000"]\nlabel = "乙"\n', encoding="utf-8")
    assert kg("resolve", "--store", store) == 0
    err = capsys.readouterr().err
    assert f"curation.toml:1: join names nothing in the store: no mention of {NAME} of 云岭市\n" in err
    assert "curation.toml:5: split names nothing in the store" in err


@pytest.mark.parametrize("text, line, words", [
    ('[[join]]\nname = "甲乙"\njurisdictions = ["青禾市"\n', 3, "not TOML"),
    ('[[join]]\nname = "甲乙"\njurisdictions = ["青禾市"]\n', 3, "at least 2"),
    ('[[join]]\nname = "甲乙"\nplaces = ["青禾市", "云岭市"]\n', 3, "unknown key 'places'"),
    ('# a comment\n\n[[split]]\nperson = "http://x.test/person/abc"\narticles = []\nlabel = "乙"\n', 4, "person IRI"),
    ('[[merge]]\nname = "甲乙"\n', 1, "unknown entry"),
    ('[[join]]\npersons = ["http://x.test/person/zhang-wei-5f204f1f_a", "http://x.test/person/zhang-wei-7ae04f1f_b"]\n',
     2, "different written names"),
])
def test_a_malformed_file_is_one_line_with_its_line_number(tmp_path: Path, capsys, text: str, line: int,
                                                          words: str) -> None:
    store = tmp_path / "store"
    store.mkdir()
    (store / "curation.toml").write_text(text, encoding="utf-8")
    assert kg("resolve", "--store", store) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith(f"kg: {store / 'curation.toml'}:{line}: ") and words in err
    with pytest.raises(CurationError):
        parse(text)


def test_the_person_page_says_a_join_was_curated(tmp_path: Path) -> None:

    from tests.support.pages import page_client

    store = tmp_path / "store"
    ingest(store, *two_cities(tmp_path / "pages"))
    (store / "curation.toml").write_text(JOIN, encoding="utf-8")
    assert kg("resolve", "--store", store) == 0
    (one,) = people(store)
    s = open_store(store)
    try:
        html = page_client(s, BASE).get(one.replace(BASE, "")).text
    finally:
        s.close()
    why = html[html.index('id="identity"'):html.index('id="network"')]
    assert "编辑指定" in why and "curated" in why and "云岭市" in why and "云岭日报" in why
    assert "curation.toml" in why  # the note under the table says where such joins come from


def dump(store_dir: Path) -> list[str]:
    s = open_store(store_dir)
    try:
        return dump_all(s)
    finally:
        s.close()


def test_post_ingest_keeps_the_curation_of_the_store_folder(tmp_path: Path) -> None:
    from urllib.parse import quote

    from fastapi.testclient import TestClient

    from kg.web.app import create_app

    store = tmp_path / "store"
    pages = two_cities(tmp_path / "pages")
    ingest(store, *pages)
    (store / "curation.toml").write_text(JOIN, encoding="utf-8")
    assert kg("resolve", "--store", store) == 0
    before = dump(store)
    s = open_store(store)
    try:
        client = TestClient(create_app(s, ServeConfig(BASE, token="secret")))
        headers = {"Authorization": "Bearer secret", "X-KG-Publication": quote("云岭日报"), "X-KG-Date": "2023-05-02",
                   "X-KG-Locality": quote("云岭市"), "X-KG-Name": "y1.txt"}
        r = client.post("/ingest", content=pages[2].read_bytes(), headers=headers)
        assert r.status_code == 201, r.text
        assert len(people_named(s, NAME)) == 1
    finally:
        s.close()
    assert dump(store) == before


def test_batch_ingest_with_workers_mints_with_the_curation(tmp_path: Path) -> None:
    """The overrides travel to the worker processes: ``--jobs 2`` gives what one process gives."""
    two_cities(tmp_path / "pages")
    dumps = []
    for jobs in (1, 2):
        store = tmp_path / f"j{jobs}"
        store.mkdir()
        (store / "curation.toml").write_text(JOIN, encoding="utf-8")
        assert kg("ingest", "--store", store, "--base", BASE, "--jobs", jobs, tmp_path / "pages") == 0
        assert len(people(store)) == 1
        dumps.append(dump(store))
    assert dumps[0] == dumps[1]


def test_rekeying_a_fresh_graph_without_overrides_changes_nothing(tmp_path: Path) -> None:
    """``kg resolve`` recomputes the rules' key from the stored graph (kg.rdf.remint.rekey): it must be
    the key ingest gave, or applying a file would move people it does not name."""
    from kg.ingest import build_graphs
    from kg.rdf.curation import EMPTY
    from kg.rdf.remint import rekey

    p = page(tmp_path, "rich", "青禾市", "2023-03-02", "青禾市召开人大常委会会议",
             "本报讯 3月1日，青禾市人大常委会第十次会议举行。市委书记柏若川出席。宣传部副部长林若水列席。"
             "云岭市市长柯雨辰出席。国务院副总理钟岳衡出席。会议进行了选举。郑文博当选为副主任。记者邵清和摄。")
    _, _, graphs = build_graphs(p, base=BASE)
    for g in graphs:
        new, keys = rekey(g.triples, str(g.iri), BASE, EMPTY)
        assert set(new) == set(g.triples)
        assert {k.name for k in keys} >= {"柏若川", "柯雨辰", "钟岳衡"}
