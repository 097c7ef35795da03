"""Traditional-script articles (issue 22): the same facts as their simplified twins, pointing at the print.

Every article here is invented (names, places, figures). Each traditional twin is printed the way a
Taiwan or Hong Kong reprint would print it (為, not OpenCC's standard 爲). Facts are compared through
``../shared/eval/score.py``'s own reading of the RDF graph and its comparison: each simplified twin
against a hand-made gold, its traditional twin against the same gold in traditional characters.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path
from types import ModuleType

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import RDF

import kg.script
from kg.extract.pipeline import extract
from kg.extract.script import OffsetMap, simplified_view
from kg.model import Article, Extraction, Publication, Segment
from kg.rdf.mapping import map_article
from kg.rdf.namespaces import KG, SCHEMA
from kg.read import read_page
from kg.script import has_traditional, to_simplified

ROOT = Path(__file__).resolve().parents[2]
SCORE = ROOT.parent / "shared" / "eval" / "score.py"
BASE = "http://kg.test"

MEETING = (
    "# 澜江县召开乡村振兴工作推进会\n\n"
    "本报讯（记者 苏晓雯 通讯员 冯启航）3月12日，澜江县乡村振兴工作推进会在县行政中心召开。"
    "县委书记裴汉舟出席会议并讲话，县长沈立勋主持会议。"
    "县委副书记程婉秋、副县长邵嘉禾参加会议。\n"
    "会议指出，今年全县将统筹安排乡村振兴资金2.35亿元，重点支持特色产业发展和人居环境整治。\n"
    "图为会议现场。记者 顾长风 摄\n",
    "# 瀾江縣召開鄉村振興工作推進會\n\n"
    "本報訊（記者 蘇曉雯 通訊員 馮啟航）3月12日，瀾江縣鄉村振興工作推進會在縣行政中心召開。"
    "縣委書記裴漢舟出席會議並講話，縣長沈立勳主持會議。"
    "縣委副書記程婉秋、副縣長邵嘉禾參加會議。\n"
    "會議指出，今年全縣將統籌安排鄉村振興資金2.35億元，重點支持特色產業發展和人居環境整治。\n"
    "圖為會議現場。記者 顧長風 攝\n",
    {
        "people": [
            {"names": ["裴汉舟"], "posts": [["县委书记"]]},
            {"names": ["沈立勋"], "posts": [["县长"]]},
            {"names": ["程婉秋"], "posts": [["县委副书记"]]},
            {"names": ["邵嘉禾"], "posts": [["副县长"]]},
            *({"names": [n], "posts": []} for n in ("苏晓雯", "冯启航", "顾长风")),  # credited people are people
        ],
        "events": [{"key": "e1", "types": ["Meeting"], "names": ["澜江县乡村振兴工作推进会"], "date": "2023-03-12",
                    "participants": [
                        {"names": ["裴汉舟"], "roles": ["Attendee", "Speaker"]},
                        {"names": ["沈立勋"], "roles": ["Chair"]},
                        {"names": ["程婉秋"], "roles": ["Participant"]},
                        {"names": ["邵嘉禾"], "roles": ["Participant"]},
                    ]}],
        "amounts": [{"value": 235000000}],
        "credits": [{"names": ["苏晓雯"], "role": "Reporter"}, {"names": ["冯启航"], "role": "Correspondent"},
                    {"names": ["顾长风"], "role": "Photographer"}],
    },
)
CONGRESS = (
    "# 澜江县第十届人民代表大会第一次会议闭幕\n\n"
    "本报讯 1月8日，澜江县第十届人民代表大会第一次会议在县会议中心胜利闭幕。县委书记裴汉舟主持闭幕大会。"
    "会议选举沈立勋当选为澜江县人民政府县长，邵嘉禾、钱鹤鸣当选为澜江县人民政府副县长。\n",
    "# 瀾江縣第十屆人民代表大會第一次會議閉幕\n\n"
    "本報訊 1月8日，瀾江縣第十屆人民代表大會第一次會議在縣會議中心勝利閉幕。縣委書記裴漢舟主持閉幕大會。"
    "會議選舉沈立勳當選為瀾江縣人民政府縣長，邵嘉禾、錢鶴鳴當選為瀾江縣人民政府副縣長。\n",
    {
        "people": [
            {"names": ["裴汉舟"], "posts": [["县委书记"]]},
            {"names": ["沈立勋"], "posts": [["澜江县人民政府县长", "县长"]]},
            {"names": ["邵嘉禾"], "posts": [["澜江县人民政府副县长", "副县长"]]},
            {"names": ["钱鹤鸣"], "posts": [["澜江县人民政府副县长", "副县长"]]},
        ],
        "events": [
            {"key": "c", "types": ["Congress"], "names": ["澜江县第十届人民代表大会第一次会议"], "date": "2023-01-08",
             "participants": [{"names": ["裴汉舟"], "roles": ["Chair"]}]},
            {"key": "v", "types": ["Election"], "names": ["选举"], "date": "2023-01-08",
             "participants": [{"names": [n], "roles": ["Elected"]} for n in ("沈立勋", "邵嘉禾", "钱鹤鸣")]},
        ],
        "elected": [{"person": "沈立勋", "posts": [["县长"]]}, {"person": "邵嘉禾", "posts": [["副县长"]]},
                    {"person": "钱鹤鸣", "posts": [["副县长"]]}],
    },
)
AWARD = (
    "# 青岚市表彰优秀教师\n\n"
    "本报讯 9月10日，青岚市优秀教师表彰大会在市文化中心举行。市委副书记林若岚出席大会。穆清扬、蒋书瑶等100名教师获奖。"
    "市长韦思远为获奖者颁奖。市财政为此安排奖励资金1.5亿元。\n",
    "# 青嵐市表彰優秀教師\n\n"
    "本報訊 9月10日，青嵐市優秀教師表彰大會在市文化中心舉行。市委副書記林若嵐出席大會。穆清揚、蔣書瑤等100名教師獲獎。"
    "市長韋思遠為獲獎者頒獎。市財政為此安排獎勵資金1.5億元。\n",
    {
        "people": [
            {"names": ["林若岚"], "posts": [["市委副书记"]]},
            {"names": ["穆清扬"], "posts": []},
            {"names": ["蒋书瑶"], "posts": []},
            {"names": ["韦思远"], "posts": [["市长"]]},
        ],
        "events": [{"key": "a", "types": ["AwardCeremony"], "names": ["青岚市优秀教师表彰大会"], "date": "2023-09-10",
                    "participants": [
                        {"names": ["林若岚"], "roles": ["Attendee"]},
                        {"names": ["穆清扬"], "roles": ["Recipient"]},
                        {"names": ["蒋书瑶"], "roles": ["Recipient"]},
                        {"names": ["韦思远"], "roles": ["AwardPresenter"]},
                    ]}],
        "amounts": [{"value": 150000000}],
    },
)
TWINS = {"meeting": (MEETING, "澜江县"), "congress": (CONGRESS, "澜江县"), "award": (AWARD, "青岚市")}


@pytest.fixture(scope="module")
def score() -> ModuleType:
    if not SCORE.is_file():
        pytest.skip("../shared/eval/score.py is not beside the repo")
    spec = importlib.util.spec_from_file_location("score", SCORE)
    mod = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    return mod


@pytest.fixture(scope="module")
def ontology() -> Graph:
    g = Graph()
    for ttl in sorted((ROOT / "ontology").rglob("*.ttl")):
        g.parse(ttl, format="turtle")
    return g


def ingest(text: str, locality: str) -> tuple[list[Article], list[Extraction], Graph]:
    """Read, extract and map a page as ``kg ingest`` does; the graph holds every article's triples."""
    arts = read_page(text, Publication("测试日报", dt.date(2023, 12, 1), locality), "t.txt", "")
    exts = [extract(a) for a in arts]
    g = Graph()
    for a, x in zip(arts, exts, strict=True):
        for t in map_article(a, x, BASE).triples:
            g.add(t)
    return arts, exts, g


def traditional_gold(gold: dict) -> dict:
    """The gold's names, posts and event names as a Taiwan reprint prints them."""
    import opencc

    tw = opencc.OpenCC("s2tw").convert

    def conv(v):  # noqa: ANN001, ANN202 - walks JSON
        if isinstance(v, str):
            return tw(v)
        if isinstance(v, list):
            return [conv(x) for x in v]
        if isinstance(v, dict):
            return {k: (x if k in ("key", "types", "roles", "date") else conv(x)) for k, x in v.items()}
        return v

    return conv(gold)


@pytest.mark.parametrize("name", sorted(TWINS))
def test_traditional_twin_states_the_same_facts(name: str, score: ModuleType, ontology: Graph) -> None:
    (simp, trad, gold), locality = TWINS[name]
    assert has_traditional(trad) and not has_traditional(simp)
    tallies = {}
    for text, want in ((simp, gold), (trad, traditional_gold(gold))):
        _, _, g = ingest(text, locality)
        tallies[text] = score.score_one(want, score.read_prediction(g + ontology))
    by_kind = {t: {k: (v.tp_r, v.fp, v.fn) for k, v in tallies[t].items()} for t in (simp, trad)}
    assert by_kind[trad] == by_kind[simp]
    for kind in ("persons", "posts", "events", "participations", "elected", "amounts", "credits"):
        assert by_kind[simp][kind][1:] == (0, 0), (kind, tallies[simp][kind].misses)  # no fp, no fn


@pytest.mark.parametrize("name", sorted(TWINS))
def test_offsets_point_at_the_printed_characters(name: str) -> None:
    (simp, trad, _), locality = TWINS[name]
    arts, exts, g = ingest(trad, locality)
    (art,), (x,) = arts, exts
    for p in x.people:
        assert has_traditional(p.name) or to_simplified(p.name) == p.name
        for ev in p.mentions:
            assert art.body[ev.mention_span.start : ev.mention_span.end] == p.name
            assert art.body[ev.sentence_span.start : ev.sentence_span.end] == ev.sentence
    # in the graph: the source offsets of every participation point at the agent's printed name
    checked = 0
    for part in g.subjects(RDF.type, KG.Participation):
        agent = g.value(part, KG.agent)
        start, end = g.value(part, KG.mentionStart), g.value(part, KG.mentionEnd)
        if start is None or g.value(agent, RDF.type) != SCHEMA.Person:
            continue
        printed = trad[int(start) : int(end)]
        assert Literal(printed, lang="zh") == g.value(agent, SCHEMA.name)
        assert has_traditional(trad[int(g.value(part, KG.evidenceStart)) : int(g.value(part, KG.evidenceEnd))])
        checked += 1
    assert checked >= 3
    for amount in g.subjects(RDF.type, SCHEMA.MonetaryAmount):
        text = str(g.value(amount, KG.amountText))
        start, end = int(g.value(amount, KG.mentionStart)), int(g.value(amount, KG.mentionEnd))
        assert "億" in text and trad[start:end] == text


def test_printed_name_with_the_simplified_one_as_alternate() -> None:
    (simp, trad, _), locality = TWINS["meeting"]
    _, (x,), g = ingest(trad, locality)
    _, _, g_simp = ingest(simp, locality)
    person = {p.name: p for p in x.people}["裴漢舟"]
    assert person.alternate_names == ["裴汉舟"]
    assert [q.label for q in person.posts] == ["縣委書記"]
    node = next(g.subjects(SCHEMA.name, Literal("裴漢舟", lang="zh")))
    assert (node, SCHEMA.alternateName, Literal("裴汉舟", lang="zh")) in g
    # one written name in two scripts: the same IRI as the simplified twin mints (the same context)
    assert node == next(g_simp.subjects(SCHEMA.name, Literal("裴汉舟", lang="zh")))
    assert {o.name for o in x.organizations} >= {"中共瀾江縣委"}  # composed from the locality, in the print's script
    assert all(not has_traditional(a) for o in x.organizations for a in o.alternate_names[-1:])


def test_credits_printed_in_traditional_characters() -> None:
    """本報訊（記者 …）and 記者 … 攝 are credits, with printed names and spans, not people of the story."""
    (_, trad, _), locality = TWINS["meeting"]
    (art,), (x,), g = ingest(trad, locality)
    assert [(c.name, c.role) for c in art.credits] == [
        ("蘇曉雯", "reporter"), ("馮啟航", "correspondent"), ("顧長風", "photographer")]
    assert all(trad[c.span.start : c.span.end] == c.name for c in art.credits)
    assert not {"蘇曉雯", "馮啟航", "顧長風"} & {p.name for p in x.people}
    assert "記者" not in art.body and "本報訊" not in art.body
    # no simplified alternate name on a credited person: score.py counts every name of one as a credit
    reporter = next(g.subjects(SCHEMA.name, Literal("蘇曉雯", lang="zh")))
    assert g.value(reporter, SCHEMA.alternateName) is None


def test_mixed_scripts_each_name_as_printed() -> None:
    text = (
        "# 澜江县举行两岸乡村文化交流座谈会\n\n"
        "本报讯 4月2日，澜江县两岸乡村文化交流座谈会在县文化馆举行。县委书记裴汉舟出席座谈会并讲话，"
        "台湾乡村文化学会理事長鄭家豪应邀出席。县委副书记程婉秋主持座谈会。\n"
    )
    arts, (x,), _ = ingest(text, "澜江县")
    people = {p.name: p for p in x.people}
    assert people["鄭家豪"].alternate_names == ["郑家豪"]
    assert people["裴汉舟"].alternate_names == [] and people["程婉秋"].alternate_names == []
    (event,) = [e for e in x.events if e.type == "Meeting"]
    roles = {part.agent: set(part.roles) for part in event.participations}
    assert roles[people["鄭家豪"].key] == {"Attendee"}
    assert roles[people["裴汉舟"].key] == {"Attendee", "Speaker"}
    assert roles[people["程婉秋"].key] == {"Chair"}
    for p in x.people:
        for ev in p.mentions:
            assert arts[0].body[ev.mention_span.start : ev.mention_span.end] == p.name


def test_traditional_article_quoting_a_simplified_name() -> None:
    text = (
        "# 青嵐市舉行文化交流座談會\n\n"
        "本報訊 4月2日，青嵐市文化交流座談會在市文化中心舉行。市長韋思遠出席座談會並講話，"
        "来自澜江县的县委书记裴汉舟应邀出席。\n"
    )
    _, (x,), _ = ingest(text, "青嵐市")
    people = {p.name: p for p in x.people}
    assert set(people) == {"韋思遠", "裴汉舟"}
    assert people["裴汉舟"].alternate_names == []
    assert people["韋思遠"].alternate_names == ["韦思远"]


def test_simplified_text_is_never_converted(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse() -> None:
        raise AssertionError("OpenCC called on simplified text")

    monkeypatch.setattr(kg.script, "_converter", refuse)
    (simp, _, _), locality = TWINS["meeting"]
    (art,) = read_page(simp, Publication("测试日报", dt.date(2023, 12, 1), locality), "t.txt", "")
    assert simplified_view(art) is None
    assert {p.name for p in extract(art).people} == {"裴汉舟", "沈立勋", "程婉秋", "邵嘉禾"}


def test_conversion_keeps_length_and_never_leaves_a_traditional_character() -> None:
    chars = "".join(sorted(kg.script.traditional_only()))
    out = to_simplified(chars)
    assert len(out) == len(chars) and not has_traditional(out)
    for _, trad, _ in (MEETING, CONGRESS, AWARD):
        assert len(to_simplified(trad)) == len(trad)


def test_offset_map_aligns_a_conversion_that_changes_length() -> None:
    """Should a later OpenCC table map a phrase to a string of another length, offsets still land right."""
    table = {"舊稱": "旧名称"}

    def convert(text: str) -> str:
        for a, b in table.items():
            text = text.replace(a, b)
        return text

    original = "縣城舊稱臨川，裴漢舟出席。"
    converted = convert(original)
    m = OffsetMap.build(original, converted, convert)
    i = converted.index("裴漢舟")
    assert original[m.start(i) : m.end(i + 3)] == "裴漢舟"
    j = converted.index("旧名称")
    assert original[m.start(j) : m.end(j + 3)] == "舊稱"


def test_plain_articles_without_a_reader() -> None:
    """An Article built directly (one segment) maps back as well as one from the reader."""
    body = "3月12日，瀾江縣推進會召開。縣委書記裴漢舟主持會議。"
    art = Article(headline="推進會", body=body, segments=[Segment(0, 0, len(body))],
                  publication=Publication("测试日报", dt.date(2023, 5, 20), "澜江县"))
    x = extract(art)
    assert [p.name for p in x.people] == ["裴漢舟"]
    ev = x.people[0].mentions[0]
    assert body[ev.mention_span.start : ev.mention_span.end] == "裴漢舟"


def test_search_by_either_script_finds_the_person(tmp_path: Path) -> None:
    """In search (kg.search): the printed 裴漢舟 by either script; a person only ever printed 韦思远 by 韋思遠."""
    from kg.search import index_for
    from kg.search.query import search
    from kg.store.base import GraphUpdate
    from tests.support.pages import make_store

    updates = []
    for text, locality in ((MEETING[1], "澜江县"), (AWARD[0], "青岚市")):
        arts, exts, _ = ingest(text, locality)
        for a, x in zip(arts, exts, strict=True):
            mapped = map_article(a, x, BASE)
            updates.append(GraphUpdate(str(mapped.iri), mapped.triples))
    store = make_store(tmp_path / "store", updates)
    try:
        def found(q: str) -> list[str]:
            return [h.name for h in search(index_for(store), q).hits if h.kind == "person"]

        assert found("裴漢舟")[0] == "裴漢舟"
        assert found("裴汉舟")[0] == "裴漢舟"  # through schema:alternateName
        assert found("韦思远")[0] == "韦思远"
        assert found("韋思遠")[0] == "韦思远"  # a traditional query also searches its simplified form
        assert "林若岚" in found("若嵐")
    finally:
        store.close()


def test_traditional_benchmark_runs_on_one_article(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """benchmarks/traditional.py at a tiny size, so it cannot rot (no figure asserted but its own goal)."""
    dev = sorted((ROOT.parent / "shared" / "eval" / "dev").glob("*.json"))
    if not dev or not SCORE.is_file():
        pytest.skip("../shared/eval is not beside the repo")
    (tmp_path / dev[0].name).write_bytes(dev[0].read_bytes())
    from benchmarks import traditional

    assert traditional.main([str(tmp_path), "--no-cost"]) == 0
    assert "traditional" in capsys.readouterr().out
