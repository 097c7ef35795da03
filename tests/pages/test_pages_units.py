"""Unit tests of the pages' helpers: binding values into query texts, highlighting, linking names."""

from __future__ import annotations

import re

import pytest
from rdflib import Literal, URIRef

from kg.web.pages import labels as L
from kg.web.pages.common import fmt_date, fmt_yuan
from kg.web.pages.queries import bind, examples, load, title_of
from kg.web.pages.text import Segment, highlight, link_names, marks, radial_layout


def test_bind_iris_literals_lists() -> None:
    text = "SELECT * WHERE { $this ?p $q . VALUES ?s { $xs } FILTER(?x = $other) }"
    out = bind(text, {"this": URIRef("http://a/b"), "q": 'x" } DROP ALL', "xs": [URIRef("http://a/1"), 3]})
    assert "<http://a/b>" in out and '"x\\" } DROP ALL"' in out and "<http://a/1> 3" in out
    assert "$other" in out  # unbound names stay variables


@pytest.mark.parametrize("bad", ["http://a/b> } DROP ALL {", "http://a b", 'http://a/"', "http://a/{x}"])
def test_bind_refuses_bad_iris(bad: str) -> None:
    with pytest.raises(ValueError):
        bind("$this", {"this": URIRef(bad)})


def test_every_query_file_parses(tmp_path) -> None:
    from kg.store.oxigraph import OxigraphStore
    from kg.web.pages.queries import QUERY_DIR

    store = OxigraphStore(tmp_path / "s")
    one = [URIRef("http://kg.test/x")]
    values = {"this": URIRef("http://kg.test/person/x"), "q": "x", "candidates": one, "iris": one, "graphs": one,
              "articles": one, "min": 1, "dates": one, "items": one, "people": one, "mentions": one,
              "block": URIRef("http://kg.test/resolution/person/x"), "blocks": one, "iri": one[0]}
    for path in sorted(QUERY_DIR.glob("*.rq")):
        list(store.query(bind(load(path.stem), values)).rows())
    for _stem, title, text in examples():
        assert title and not title.startswith("#")
        store.query(text)
    assert len(examples()) >= 9
    assert [stem for stem, _, _ in examples()][:3] == ["chairs", "co_participants", "money_per_org"]


def test_highlight_by_offsets_and_fallback() -> None:
    h = highlight("市长王晓红主持。", 100, 102, 105)
    assert (h.before, h.mark, h.after) == ("市长", "王晓红", "主持。")
    h = highlight("市长王晓红主持。", 100, 90, 95, ("王晓红",))  # offsets out of the sentence: by name
    assert h.mark == "王晓红" and h.before == "市长"
    assert highlight("没有提及。", None, None, None, ("王晓红",)).mark == ""


def test_link_names_longest_first_without_overlap() -> None:
    segs = link_names("示例市人才工作会议在示例市举行", {"示例市": "p", "示例市人才工作会议": "e"})
    assert segs == [Segment("示例市人才工作会议", "e"), Segment("在"), Segment("示例市", "p"), Segment("举行")]
    assert link_names("王", {"王": "x"}) == [Segment("王")]  # single characters are not linked
    assert link_names("", {}) == []


def test_radial_layout_weights() -> None:
    nodes = radial_layout([("甲", "/a", 10), ("乙", None, 1)])
    assert nodes[0].r > nodes[1].r and nodes[0].width > nodes[1].width
    assert all(0 <= n.x <= 420 and 0 <= n.y <= 420 for n in nodes)
    assert radial_layout([]) == []


def test_formats_and_labels() -> None:
    assert fmt_date(Literal("--01-12", datatype=URIRef("http://www.w3.org/2001/XMLSchema#gMonthDay"))) == \
        "1月12日（年份不详）"
    assert fmt_date(Literal("2022-01-12")) == "2022-01-12"
    assert fmt_yuan(Literal("153000000")) == "153,000,000 元（1.53亿元）"
    assert fmt_yuan(Literal("20000.50")) == "20,000.5 元（2.00005万元）"
    assert fmt_yuan(Literal("800")) == "800 元"
    assert L.label(L.KG + "Chair").en == "chair" and L.label(L.KG + "Elected").zh
    assert L.label("http://example.org/x#Thing").zh == "Thing"


def test_marks_several_mentions() -> None:
    expected = [("甲", True), ("、", False), ("乙", True), ("出席。", False)]
    assert marks("甲、乙出席。", [(2, 3), (0, 1), (9, 12)]) == expected
    assert marks("甲乙", [(0, 1), (0, 2)]) == [("甲乙", True)]
    assert marks("甲", []) == [("甲", False)]


def test_one_sentence_shown_once_for_its_participants() -> None:
    from kg.web.pages.common import Link
    from kg.web.pages.event import Participant, RoleGroup

    art = Link("http://a/article/1", "头条", "/article/1", "article")
    sentence = "甲、乙出席。"
    ps = [Participant(Link(f"http://a/person/{n}", n, f"/person/{n}", "person"), "person", None, art,
                      highlight(sentence, 0, i, i + 1)) for i, n in ((0, "甲"), (2, "乙"))]
    ps.append(Participant(Link("http://a/person/c", "丙", "/person/c", "person"), "person", None, art, None))
    groups = RoleGroup(L.label(L.KG + "Attendee"), ps).by_sentence
    assert [len(g.participants) for g in groups] == [2, 1]
    assert groups[0].sentence == [("甲", True), ("、", False), ("乙", True), ("出席。", False)]
    assert groups[1].sentence == []


def test_example_titles() -> None:
    text = "# Who chaired which meetings: every participation with\n# its date. Run: kg query @x\nSELECT * {}"
    assert title_of(text) == "Who chaired which meetings: every participation with its date"
    assert title_of("# One line. More.\n# Rest") == "One line"
    assert title_of("SELECT * {}") == ""
    two = "# zh: 谁主持了哪些会议\n# Who chaired which meetings. More."
    assert title_of(two) == "谁主持了哪些会议 · Who chaired which meetings"
    assert dict((s, t) for s, t, _ in examples())["chairs"].startswith("谁主持了哪些会议 · Who chaired which meetings")
    for _, t, _ in examples():  # every example titled in Chinese and in English, the English kept short
        zh, _, en = t.partition(" · ")
        assert zh and en and re.search(r"[\u4e00-\u9fff]", zh) and len(en) <= 112, t


def test_home_counts_large_stores_in_the_background(monkeypatch) -> None:
    """Above the limit the first request does not wait for the class counts; a later one shows them."""
    import time

    from kg.web.pages import home as views

    class FakeStore:
        def quad_count(self) -> int:
            return views.SYNC_COUNT_LIMIT + 1

    calls: list[str] = []

    def fake_run(store, name, **kw):
        calls.append(name)
        time.sleep(0.2)
        return [{"class": None, "n": None}]

    monkeypatch.setattr(views, "run", fake_run)
    counts = views.StoreCounts(FakeStore())  # type: ignore[arg-type]
    assert counts.class_counts() is None
    assert counts.class_counts() is None  # still running: no second scan
    for _ in range(50):
        if counts.class_counts() is not None:
            break
        time.sleep(0.05)
    assert counts.class_counts() == [{"class": None, "n": None}]
    assert calls == ["home_counts"]


def test_evidence_is_found_in_the_body_though_source_offsets_are_shifted() -> None:
    """Evidence offsets count from the source file, the body starts later: the text places the sentence,
    a sentence found once fixes the shift, and a repeated sentence takes the occurrence nearest it."""
    from kg.web.pages.sentences import locate, paragraphs

    body = "甲会议召开。乙出席。\n丙讲话。乙出席。"
    # source offsets are 7 more than body offsets (a headline block before the body)
    found = locate(body, [("丙讲话。", 7 + 11), ("乙出席。", 7 + 15), ("乙出席。", 7 + 6), ("不在正文。", 3)])
    assert found == [11, 15, 6, None]
    cut = paragraphs(body, {}, {13})  # an evidence sentence may start inside a sentence: it is cut there
    assert [[s.anchor for s in p] for p in cut] == [["s-0", "s-6"], ["s-11", "s-13", "s-15"]]
    assert "".join(seg.text for p in cut for s in p for seg in s.segments) == body.replace("\n", "")


def test_a_fact_read_from_a_kicker_links_to_the_kicker() -> None:
    """Evidence not in the body (read from a kicker or subtitle) links to that line of the page."""
    from kg.web.pages.article import Fact, tie

    body = "乙丙出席会议。"
    in_body = Fact(None, "", None, [], None, "乙丙出席会议。")
    in_kicker = Fact(None, "", None, [], None, "乙丙在会上强调")
    cuts = tie(body, [(in_body, {"es": None}, ["乙丙"]), (in_kicker, {"es": None}, ["乙丙"])],
               {"headline-0": "标题", "kicker-0": "乙丙在会上强调"})
    assert (in_body.anchor, in_kicker.anchor, cuts) == ("s-0", "kicker-0", {0, 7})
    assert in_kicker.excerpt == [("乙丙", True), ("在会上强调", False)]


def test_union_refuses_what_it_cannot_tell_apart(monkeypatch) -> None:
    """run_union asks several page queries in one UNION: it refuses a file whose answer a UNION would
    change (GROUP BY), a key named in another part (its rows could not be told apart) or not among the
    file's variables, and a row that binds no part's key."""
    from kg.web.pages import queries
    from kg.web.pages.queries import run_union

    this = URIRef("http://example.org/person/p")
    rows = ("person_identity_rows", "reason", {"this": this})
    with pytest.raises(ValueError, match="nothing after WHERE"):
        run_union(None, [rows, ("person_identity", "reason", {"this": this})])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="named in another part"):
        run_union(None, [("person_identity_rows", "jur", {"this": this}),  # type: ignore[arg-type]
                         ("person_namesakes", "other", {"this": this})])
    with pytest.raises(ValueError, match="not among its variables"):
        run_union(None, [("person_identity_rows", "other", {"this": this})])  # type: ignore[arg-type]
    monkeypatch.setattr(queries, "_rows", lambda *a: [{"reason": None, "other": None, "jur": Literal("x")}])
    with pytest.raises(ValueError, match="binds none of the keys"):
        run_union(None, [rows, ("person_namesakes", "other", {"this": this})])  # type: ignore[arg-type]
