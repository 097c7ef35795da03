"""The resolution layer's shape: what ``kg resolve`` counts to check a current layer without reading it
is exactly what ``join_parts`` writes, and a written layer is the union of its mentions' statements."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kg.layer_statements import block_statements, join_parts
from kg.mentions import Mention
from kg.rdf.iris import ident
from kg.resolve import _Survey

BASE = "http://shape.test"
NAMES = ["王伟", "柯望舒", "郑文博"]


@st.composite
def mention_rows(draw: st.DrawFn) -> list[Mention]:
    """Mentions as the store gives them: a mention's rows together, some mentions with several rows (two
    jurisdictions, two lines), persons of one name in several places, joins shared by several articles."""
    rows: list[Mention] = []
    for i in range(draw(st.integers(1, 12))):
        article = f"{BASE}/article/a{draw(st.integers(0, 4))}-{i}"
        name = draw(st.sampled_from(NAMES))
        # the mapper's form (the block read from the IRI) or another (the block computed)
        piece = ident(name, 30) if draw(st.booleans()) else str(NAMES.index(name))
        mention = f"{article}#mention-{piece}"
        if any(r.mention == mention for r in rows):
            continue
        person = f"{BASE}/person/{NAMES.index(name)}_{draw(st.sampled_from(['q1', 'q2']))}"
        basis = draw(st.sampled_from(["PostJurisdiction", "PaperLocality", "CareerJoin"]))
        jurs = draw(st.lists(st.sampled_from(["青禾市", "云岭市"]), max_size=2, unique=True)) or [None]
        sectors = draw(st.lists(st.sampled_from(["education", "organisation"]), max_size=2, unique=True)) or [None]
        rows += [Mention(person, mention, article, name, basis, j, s) for j in jurs for s in sectors]
    return rows


@settings(max_examples=150, deadline=None)
@given(mention_rows())
def test_the_survey_counts_what_the_layer_writes(rows: list[Mention]) -> None:
    survey = _Survey()
    mentions = survey.read(rows)
    written = block_statements(rows)
    assert mentions == len({r.mention for r in rows})
    assert dict(survey.expected) == {b: len(text.split(" .\n")) for b, text in written.items()}


def test_one_join_per_person_reason_and_place_links_each_mention_and_its_article() -> None:
    a1, a2 = f"{BASE}/article/x1", f"{BASE}/article/x2"
    p = f"{BASE}/person/1_q1"
    rows = [Mention(p, f"{a}#mention-1", a, "柯望舒", "PostJurisdiction", "青禾市", None) for a in (a1, a2)]
    first, second = (join_parts(r) for r in rows)
    assert first.join == second.join and first.join_statements == second.join_statements
    assert first.own != second.own and f"<{a1}#mention-1> " in first.own[1] and first.own[1].endswith(f"<{a1}>")
    other = join_parts(rows[0]._replace(basis="CareerJoin"))
    assert other.join != first.join  # another reason: another join
    (text,) = block_statements(rows).values()
    assert len(text.split(" .\n")) == 3 + 5 + 2 * 2  # header and namesake, the join (its place, count, sample), two own
    assert '#mentionCount> "2"^^' in text and f"#sampleMention> <{a1}#mention-1>" in text
