"""What a batch writer remembers of career blocks between its writes (kg.career_memory): each mention's
sighting read once a run, the rules' basis a join took away given back without reading the article, and
the same store as writes that remember nothing. Invented names and texts throughout."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

import kg.careers as C
from kg.career_memory import CareerMemory
from kg.careers import Moves
from kg.ingest import begin_batch, ingest_file
from kg.ingest_pool import file_work
from kg.mentions import Mention
from kg.rdf.careers import Sighting
from kg.store import open_store
from tests.identity.test_identity import BASE, dump_all, page, people_named

# a bureau chief promoted to vice-mayor (a career join at the third page), then a school head of the same
# name whose years overlap the vice-mayor's (the join undone at the fourth)
PAGES = [("a0", "2020-03-02", "教育局局长柯望舒出席。"), ("a1", "2020-09-02", "教育局局长柯望舒讲话。"),
         ("a2", "2022-03-02", "副市长柯望舒出席。"), ("b3", "2023-04-02", "青禾市第三小学校长柯望舒介绍经验。")]


def _pages(folder: Path) -> Path:
    for name, date, sentence in PAGES:
        page(folder, name, "青禾市", date, f"青禾市会议{name}", f"本报讯 青禾市召开会议。{sentence}")
    return folder


def test_a_run_reads_each_mention_once_and_gives_a_basis_back_unread(store, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """One write a page: the third joins the chief's line to the vice-mayor's, the fourth undoes it. The
    mentions of earlier writes are read once (they were read at every write), and the undone join's
    mentions get their rules' basis back from what the writer saw, not from reading their articles."""
    read: Counter[str] = Counter()
    real = C._sightings

    def counted(st, mentions):  # type: ignore[no-untyped-def]
        read.update(m.mention for m in mentions)
        return real(st, mentions)

    monkeypatch.setattr(C, "_sightings", counted)
    monkeypatch.setattr(C, "_rule_basis", lambda *a: pytest.fail("read an article for a basis the writer saw"))
    folder = _pages(tmp_path / "pages")
    opts, todo, writer = begin_batch(store, [folder], {"base": BASE}, False, None, None, 1)
    for f in todo:  # one write a page, by one writer
        writer.take([file_work(f, opts)])
    writer.finish(0.0)
    assert read and max(read.values()) == 1
    kes = people_named(store, "柯望舒")
    assert len(kes) == 2 and any(k.endswith("_education") for k in kes)  # the join undone
    other = open_store(tmp_path / "other")  # page by page, nothing remembered between writes
    try:
        monkeypatch.undo()
        for p in sorted(folder.glob("*.txt")):
            ingest_file(other, p, base=BASE)
        assert dump_all(other) == dump_all(store)
    finally:
        other.close()


def _m(person: str, mention: str, article: str, name: str = "柯望舒") -> Mention:
    return Mention(person, mention, article, name, "PostJurisdiction", "青禾市")


def test_moves_say_which_articles_merged_two_nodes() -> None:
    """A rename onto a node the article already has makes two nodes one (their mentions' posts are one
    node's now); a rename onto a new node does not."""
    ms = [_m("p1", "m1", "a"), _m("p2", "m2", "a"), _m("p1", "m3", "b"), _m("p3", "m4", "c")]
    moves = Moves()
    moves.add("a", "p1", "p2", "m1", "CareerJoin")  # onto p2, which article a has: merged
    moves.add("b", "p1", "p9", "m3", "CareerJoin")  # onto a new node: renamed only
    assert moves.merged(ms) == {"a"}
    later = Moves()
    later.add("a", "p1", "p9", "m1", "CareerJoin")
    later.add("a", "p9", "p2", "m1", "CareerJoin")  # in turn: p1 → p9 → p2, onto p2 at last
    assert later.merged(ms) == {"a"}


def test_the_memory_forgets_articles_and_keeps_only_the_rules_bases() -> None:
    mem = CareerMemory(limit=2)
    mem.keep({"m1": Sighting("a", "2020-01-01"), "m2": Sighting("b", None)},
             {"m1": "PostJurisdiction", "m2": "CareerJoin", "m9": "PaperLocality"})
    assert mem.bases == {"m1": "PostJurisdiction"}  # a join's basis says nothing of the rules'; m9 unseen
    mem.keep({}, {"m1": "CareerJoin"})
    assert mem.bases["m1"] == "PostJurisdiction"  # kept through the join
    mem.forget(["a"])
    assert set(mem.sightings) == {"m2"} and mem.bases == {}
    mem.keep({"m3": Sighting("c", None), "m4": Sighting("c", None)})  # past the limit: starts again
    assert set(mem.sightings) == {"m3", "m4"}
