"""The extraction pipeline's stages declare what they read and set, and run in an order that fits."""

from __future__ import annotations

from kg.extract.pipeline import STAGES, check_stages, extract
from tests.support.extract import article


def test_every_stage_reads_only_what_the_input_or_an_earlier_stage_sets():
    assert check_stages() == []
    assert len({s.name for s in STAGES}) == len(STAGES)


def test_a_stage_run_before_what_it_reads_is_reported():
    moved = (STAGES[1], STAGES[0], *STAGES[2:])  # people before tagging
    assert any(p.startswith("people reads sents.people") for p in check_stages(moved))


def test_the_stages_together_read_an_invented_meeting():
    x = extract(article("5月19日,市委经济工作会议举行。市委书记蒋卫东出席并讲话。"))
    assert [e.type for e in x.events] == ["Meeting"]
    assert {p.name for p in x.people} == {"蒋卫东"}
