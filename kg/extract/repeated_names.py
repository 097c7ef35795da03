"""Mentions of a name the article has already given with a post, where the tagger missed it later.

The tagger reads a rare name (皮某田) as a person after a post title (秘书长皮某田出席) but not at
the head of a later clause (上午9时，皮某田主持并宣布会议开幕), so the later mention — often the one
that carries the role — was lost. A name the article prints with a post is a surer sign there than
the tagger: its exact string, standing where a name stands (a clause start or a list separator
before it, what follows a name after it), is that person again.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from kg.extract.compound_names import ACTS, SPEECH
from kg.extract.lexicon import surname_of
from kg.extract.name_context import NAME_RIGHT_BOUNDARY
from kg.extract.posts import PersonMention

if TYPE_CHECKING:
    from kg.extract.builder import TaggedSentence

# what may stand right before a repeated name: the sentence start, a clause edge, a list separator
LEFT_EDGE = set("，,。；;：:、“”（()\n \u3000")
# a two-character name is also often a word (高明, 金星): repeated only where the person acts after it
MIN_FREE_LENGTH = 3


def known_names(sents: list[TaggedSentence]) -> set[str]:
    """Names printed with a post somewhere in the article, with a known surname or of four characters or more
    (a Tibetan or Uyghur name after its post: 州长甲乙丙丁)."""
    return {m.name for st in sents for m in st.people
            if m.posts and not m.inherited and (surname_of(m.name) or len(m.name) >= 4)}


def _stands_as_name(text: str, start: int, end: int, length: int) -> bool:
    if start > 0 and text[start - 1] not in LEFT_EDGE:
        return False
    acts = ACTS.match(text, end) is not None or SPEECH.match(text, end) is not None
    if length < MIN_FREE_LENGTH:
        return acts
    return acts or end == len(text) or NAME_RIGHT_BOUNDARY.match(text, end) is not None


def add_repeated_names(sents: list[TaggedSentence]) -> None:
    """Add, in each sentence, the mentions of known names that no mention there covers yet."""
    names = known_names(sents)
    if not names:
        return
    for st in sents:
        text: str = st.s.text
        found: list[PersonMention] = []
        for name in names:
            for m in re.finditer(re.escape(name), text):
                a, z = m.start(), m.end()
                if any(p.start < z and a < p.end for p in st.people + found):
                    continue
                if _stands_as_name(text, a, z, len(name)):
                    found.append(PersonMention(name, a, z))
        if found:
            st.people = sorted(st.people + found, key=lambda p: p.start)
