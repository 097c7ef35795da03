"""A mention's name block read from its IRI (``kg.layer_graphs.mention_block``) is the block its written
name calls for (``block_iri``), whatever the name; a mention IRI not in the mapper's form, or minted from
another name, has its block computed."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kg.layer_graphs import block_iri, mention_block
from kg.mentions import Mention
from kg.rdf.iris import ident

BASE = "http://block.test"
ARTICLE = f"{BASE}/article/2024-01-01-abc"
# CJK, traditional forms, compatibility forms (NFKC changes them), ASCII, a long name (hashed code)
names = st.text(alphabet="王伟張偉章张漢汉舟柯某ＡＢab·-_ ", min_size=1, max_size=12)


def row(mention: str, name: str, person: str = f"{BASE}/person/x_q") -> Mention:
    return Mention(person, mention, ARTICLE, name, "PostJurisdiction", None)


@settings(max_examples=300, deadline=None)
@given(names, names)
def test_the_block_read_from_the_iri_is_the_computed_one(name: str, other: str) -> None:
    want = block_iri(BASE, name)
    assert mention_block(row(f"{ARTICLE}#mention-{ident(name, 30)}", name)) == want  # the mapper's IRI
    assert mention_block(row(f"{ARTICLE}#mention-{ident(other, 30)}", name)) == want  # another name's IRI
    assert mention_block(row(f"{ARTICLE}#m1", name)) == want  # not the mapper's form
    assert mention_block(row(f"{BASE}/article/other#mention-{ident(name, 30)}", name)) == want  # another article


def test_the_block_is_under_the_persons_base() -> None:
    m = row(f"{ARTICLE}#mention-{ident('王伟', 30)}", "王伟", person="http://elsewhere.test/person/y")
    assert mention_block(m) == block_iri("http://elsewhere.test", "王伟")
