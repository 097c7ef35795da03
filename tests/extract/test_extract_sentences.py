"""Sentence offsets point back into the body."""

from __future__ import annotations

from kg.extract.pipeline import extract
from kg.extract.sentences import split_sentences
from tests.support.extract import article


def test_offsets_round_trip():
    body = "第一句。“第二句！”第三句\n第四段;第五句"
    for s in split_sentences(body):
        assert body[s.start : s.end] == s.text
    assert [s.text for s in split_sentences(body)] == ["第一句。", "“第二句！”", "第三句", "第四段;第五句"]


def test_evidence_spans_are_body_offsets():
    body = "5月19日,市委人才工作会议举行。市委书记蒋卫东出席并讲话。"
    x = extract(article(body))
    person = next(p for p in x.people if p.name == "蒋卫东")
    ev = person.mentions[0]
    assert body[ev.mention_span.start : ev.mention_span.end] == "蒋卫东"
    assert body[ev.sentence_span.start : ev.sentence_span.end] == ev.sentence
    part = x.events[0].participations[0]
    assert part.evidence is not None
