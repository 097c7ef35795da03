"""Two written names are one person only when a text says so (曾用名, 原名, 又名; issue 14):
invented names and texts throughout."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.ingest import ingest_file
from kg.rdf import identity
from kg.rdf.curation import EMPTY
from kg.resolve import curate, rebuild
from kg.store import open_store
from tests.identity.test_identity import BASE, Q, dump_all, page, people_named

STATING = "本报讯 青禾市召开座谈会。副市长柯望舒（曾用名柯望书）出席并讲话。"


def kg_resolve(store) -> None:
    curate(store, EMPTY)
    rebuild(store)


def mentions_of(store, name: str) -> set[tuple[str, str]]:
    rows = store.query(Q + f"""SELECT ?p ?basis WHERE {{ GRAPH ?a {{ ?m kg:writtenName "{name}"@zh ;
        kg:mentionOf ?p ; kg:identityBasis ?basis }} }}""").rows()
    return {(str(r["p"]), str(r["basis"]).rsplit("#", 1)[1]) for r in rows}


def test_stated_aliases_need_a_marker_right_after_a_name_the_article_names() -> None:
    assert identity.stated_aliases("副市长柯望舒（曾用名柯望书）出席。", ["柯望舒"]) == [("柯望舒", "柯望书")]
    assert identity.stated_aliases("柯望舒，原名柯望书，生于青禾。", ["柯望舒"]) == [("柯望舒", "柯望书")]
    assert identity.stated_aliases("柯望舒（又名：柯舒）讲话。", ["柯望舒"]) == [("柯望舒", "柯舒")]
    assert identity.stated_aliases("柯望舒出席。其原名柯望书的说法有误。", ["柯望舒"]) == []
    assert identity.stated_aliases("岑立行（曾用名柯望书）出席。", ["柯望舒"]) == []


def test_the_stating_article_makes_one_person_of_the_two_names(store, tmp_path: Path) -> None:
    ingest_file(store, page(tmp_path, "s", "青禾市", "2021-03-02", "青禾市座谈会", STATING), base=BASE)
    (ke,) = people_named(store, "柯望舒")
    assert not people_named(store, "柯望书")  # no node of its own: schema:name is the current name
    assert mentions_of(store, "柯望书") == {(ke, "StatedAlias")}
    alt = store.query(Q + f"SELECT ?n WHERE {{ <{ke}> schema:alternateName ?n }}").rows()
    assert "柯望书" in {str(r["n"]) for r in alt}
    rows = list(store.query(Q + """SELECT ?p WHERE { GRAPH ?b { ?b kg:writtenName "柯望书"@zh ; kg:namesake ?p .
        ?j kg:joinReason kg:StatedAlias } }""").rows())
    assert [str(r["p"]) for r in rows] == [ke]  # the old name's block lists the person, and why


def test_kg_resolve_joins_the_old_name_in_the_same_city_and_line_only(store, tmp_path: Path) -> None:
    pages = [page(tmp_path, "s", "青禾市", "2021-03-02", "青禾市座谈会", STATING),
             page(tmp_path, "o", "青禾市", "2018-03-02", "青禾市推进会", "本报讯 青禾市召开推进会。副市长柯望书主持。"),
             page(tmp_path, "t", "青禾市", "2018-04-02", "青禾市调研", "本报讯 青禾市第三小学校长柯望书发言。"),
             page(tmp_path, "y", "云岭市", "2018-05-02", "云岭市推进会", "本报讯 云岭市召开推进会。副市长柯望书主持。")]
    for p in pages:
        ingest_file(store, p, base=BASE)
    (ke,) = people_named(store, "柯望舒")
    assert len(people_named(store, "柯望书")) == 3  # ingest alone joins only within the stating article
    kg_resolve(store)
    assert people_named(store, "柯望书") and ke not in people_named(store, "柯望书")
    assert len(people_named(store, "柯望书")) == 2  # the school head and 云岭's vice-mayor stay apart
    assert (ke, "KnownAlias") in mentions_of(store, "柯望书")
    joined = dump_all(store)
    kg_resolve(store)
    assert dump_all(store) == joined  # a second run changes nothing
    # the statement taken back (the page re-read without it): the join is undone by kg resolve
    pages[0].write_text("# 青禾市座谈会\n\n本报讯 青禾市召开座谈会。副市长柯望舒出席并讲话。\n", encoding="utf-8")
    ingest_file(store, pages[0], base=BASE)
    kg_resolve(store)
    assert len(people_named(store, "柯望书")) == 3 and all(b != "KnownAlias" for _, b in mentions_of(store, "柯望书"))


def test_the_alias_join_does_not_depend_on_the_order_of_ingest(tmp_path: Path) -> None:
    specs = [("s", "2021-03-02", STATING), ("o", "2018-03-02", "本报讯 青禾市召开推进会。副市长柯望书主持。")]
    paths = [page(tmp_path / "pages", n, "青禾市", d, f"青禾市会议{n}", t) for n, d, t in specs]
    dumps = []
    for i, order in enumerate((paths, paths[::-1])):
        s = open_store(tmp_path / f"s{i}")
        try:
            for p in order:
                ingest_file(s, p, base=BASE)
            kg_resolve(s)
            dumps.append(dump_all(s))
        finally:
            s.close()
    assert dumps[0] == dumps[1]


def test_aliases_stated_both_ways_end(store, tmp_path: Path) -> None:
    text = "本报讯 青禾市召开座谈会。副市长柯望舒（原名柯望书）出席。教育局局长柯望书（原名柯望舒）讲话。"
    ingest_file(store, page(tmp_path, "c", "青禾市", "2021-03-02", "青禾市座谈会", text), base=BASE)
    assert len(people_named(store, "柯望舒") | people_named(store, "柯望书")) == 1  # one report, as stated


CAREER_ALIAS = [  # the stating article's post line, the old name with that post, a bare mention of the paper
    ("a1", "2022-03-02", "市委常委、组织部部长柯望舒（曾用名柯望书）参加。"),
    ("a2", "2023-07-02", "市委常委、组织部部长柯望书出席并讲话。"),
    ("a3", "2023-08-02", "柯望舒出席。"),
]


@pytest.mark.parametrize("joined_at_ingest", [True, False])
def test_a_stated_alias_follows_its_person_through_a_career_join(tmp_path: Path, capsys, monkeypatch,
                                                                 joined_at_ingest: bool) -> None:
    """The bare 柯望舒 of the paper career-joins the 组织部部长 柯望舒 (kg.careers), so the person's IRI is no
    longer the post line's; the old name printed with that post is still that person, after one kg resolve
    (also when the career join is made by that kg resolve, not by ingest), and a second changes nothing."""
    from kg import careers as careers_store
    from kg.cli import main

    with monkeypatch.context() as m:
        if not joined_at_ingest:
            m.setattr(careers_store, "refresh", lambda store, articles, *rest: careers_store.Moves())
        store = open_store(tmp_path / "s")
        try:
            for name, date, text in CAREER_ALIAS:
                ingest_file(store, page(tmp_path / "pages", name, "青禾市", date, "青禾市会议", f"本报讯 {text}"),
                            base=BASE)
        finally:
            store.close()
    assert main(["resolve", "--store", str(tmp_path / "s")]) == 0
    store = open_store(tmp_path / "s")
    try:
        (ke,) = people_named(store, "柯望舒")
        assert not people_named(store, "柯望书")
        assert {p for p, _ in mentions_of(store, "柯望书")} == {ke}
        assert {p for p, _ in mentions_of(store, "柯望舒")} == {ke}
        before = dump_all(store)
    finally:
        store.close()
    capsys.readouterr()
    assert main(["resolve", "--store", str(tmp_path / "s")]) == 0
    assert "0 re-minted by the identity rules" in capsys.readouterr().err
    store = open_store(tmp_path / "s")
    try:
        assert dump_all(store) == before
    finally:
        store.close()
