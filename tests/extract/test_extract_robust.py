"""extract() never fails on odd input and its evidence always points inside the body."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.extract.pipeline import extract
from tests.support.extract import article

PIECES = [
    "市委书记", "、", "，", ",", "。", "出席", "并讲话", "主持", "会议", "举行", "当选", "选举", "为", "副主任",
    "张", "李", "王", "明", "华", "强", "1月12日", "昨天", "万元", "1.5亿元", "“", "”", "(", ")", "\n", " ",
    "颁奖", "获奖", "在", "上", "召开", "代表大会", "同志", "等", "他", "强调", "座谈会", "会见", "·",
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), max_size=60), st.booleans())
def test_never_fails_and_spans_stay_in_body(parts, dated):
    body = "".join(parts)
    x = extract(article(body, date="2022-01-13" if dated else None))
    spans = [m.mention_span for p in x.people for m in p.mentions]
    spans += [p.evidence.mention_span for e in x.events for p in e.participations if p.evidence]
    spans += [a.evidence.mention_span for a in x.amounts if a.evidence]
    for sp in spans:
        assert 0 <= sp.start <= sp.end <= len(body)
    keys = {p.key for p in x.people} | {o.key for o in x.organizations}
    for e in x.events:
        for part in e.participations:
            assert part.agent in keys
        assert e.super_event is None or e.super_event in {f.key for f in x.events}


def test_empty_body():
    assert extract(article("")).events == []


def test_long_report_is_extracted_and_overlong_text_refused():
    """A full-text report of tens of thousands of characters goes through; past the limit a clear error."""
    import pytest

    from kg.errors import InputError
    from kg.extract.pipeline import MAX_ARTICLE_CHARS

    para = "1月12日,市政协召开座谈会。市政协主席王海出席并讲话,李晓波主持。会议强调,要抓好落实。\n"
    body = para * (30_000 // len(para) + 1)
    assert 30_000 < len(body) < MAX_ARTICLE_CHARS
    x = extract(article(body, date="2022-01-13"))
    assert {p.name for p in x.people} >= {"王海", "李晓波"}
    with pytest.raises(InputError, match="characters long"):
        extract(article("会议强调,要抓好落实" * (MAX_ARTICLE_CHARS // 10 + 1)))
