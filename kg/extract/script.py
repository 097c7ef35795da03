"""Traditional-script articles read the way a bilingual reader reads them (issue 22).

The tagger and every lexicon and rule know simplified characters only, so an article printed in
traditional script (a BIG5 mirror, a Hong Kong or Taiwan reprint, an old archive) used to yield no
person at all. Rather than teach every rule a second script, :func:`simplified_view` hands the
pipeline a simplified rendering made by OpenCC's t2s conversion (phrase tables first, then
characters: 乾隆 stays 乾隆 while 乾燥 becomes 干燥), and :meth:`ScriptView.printed` maps everything
read from it back onto the characters as printed: evidence offsets and sentences point at the
original body, names keep their printed form (``schema:name``) and gain the simplified one as an
alternate name, so a search in either script finds them.

Simplified text costs one set-disjointness test (:func:`has_traditional`) and is never converted.
A text that mixes the scripts (a simplified report quoting a name in traditional characters) is
converted whole: t2s leaves simplified characters as they are.

OpenCC's t2s tables map every entry to a string of the same length (checked over 1.4.2's TSPhrases,
TSCharacters, TSCharactersExt and its normalisation table), so offsets normally carry over one to
one; should a later table change a length, :class:`OffsetMap` aligns the rendering to the original
clause by clause instead of assuming it.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import re
from collections import Counter
from collections.abc import Callable

from kg.model import (
    Article,
    Event,
    Evidence,
    Extraction,
    MonetaryAmount,
    Organization,
    Participation,
    Person,
    Place,
    Post,
    Span,
)
from kg.script import has_traditional, to_simplified

# a clause boundary: OpenCC's phrases hold no punctuation or space, so converting clause by clause
# gives the same text as converting the whole
_CLAUSE = re.compile(r"[\s，,。；;：:、！!？?（）()“”\"《》「」『』【】]+")


class OffsetMap:
    """Offsets in a converted text ↔ offsets in the original, as a list of aligned pieces.

    Each piece is ``(conv_start, orig_start, conv_len, orig_len)``; inside a piece of equal lengths
    offsets move one to one, inside a piece whose length changed a start maps to the piece's start and
    an end to its end (a fact never points into half of a converted phrase).
    """

    def __init__(self, pieces: list[tuple[int, int, int, int]], identity: bool = False) -> None:
        self.pieces = pieces
        self.identity = identity

    @classmethod
    def build(cls, original: str, converted: str, convert: Callable[[str], str]) -> OffsetMap:
        """The alignment of ``converted`` (= ``convert(original)``) to ``original``.

        Equal total lengths mean one to one: every table entry keeps its length (see the module's
        docstring), so no shorter phrase can be made up for by a longer one elsewhere."""
        if len(original) == len(converted):
            return cls([(0, 0, len(original), len(original))], identity=True)
        pieces: list[tuple[int, int, int, int]] = []
        c = o = 0
        for m in _CLAUSE.finditer(original + "\n"):
            for chunk_o in (original[o : m.start()], original[m.start() : min(m.end(), len(original))]):
                if not chunk_o:
                    continue
                chunk_c = convert(chunk_o)
                if len(chunk_c) == len(chunk_o):
                    pieces.append((c, o, len(chunk_c), len(chunk_o)))
                else:
                    pieces += _align(chunk_o, chunk_c, o, c)
                c += len(chunk_c)
                o += len(chunk_o)
        return cls(pieces)

    def start(self, i: int) -> int:
        """Where a span starting at converted offset ``i`` starts in the original."""
        if self.identity:
            return i
        for cs, os_, cl, ol in self.pieces:
            if cs <= i < cs + cl or (cl == 0 and i == cs):
                return os_ + (i - cs if cl == ol else 0)
        return self.pieces[-1][1] + self.pieces[-1][3] if self.pieces else i

    def end(self, i: int) -> int:
        """Where a span ending at converted offset ``i`` ends in the original."""
        if self.identity:
            return i
        for cs, os_, cl, ol in self.pieces:
            if cs < i <= cs + cl:
                return os_ + (i - cs if cl == ol else ol)
        return self.pieces[0][1] if self.pieces and i <= 0 else self.start(i)


def _align(orig: str, conv: str, o0: int, c0: int) -> list[tuple[int, int, int, int]]:
    """Pieces of one clause whose conversion changed its length: equal runs one to one, the rest as blocks."""
    pieces: list[tuple[int, int, int, int]] = []
    for _tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, orig, conv, autojunk=False).get_opcodes():
        pieces.append((c0 + j1, o0 + i1, j2 - j1, i2 - i1))
    return pieces


@dataclasses.dataclass
class ScriptView:
    """An article with traditional characters, its simplified rendering, and the way back."""

    original: Article
    simplified: Article
    offsets: OffsetMap

    # ---------------------------------------------------------------- offsets and strings

    def span(self, span: Span) -> Span:
        return Span(self.offsets.start(span.start), max(self.offsets.start(span.start), self.offsets.end(span.end)))

    def evidence(self, ev: Evidence | None) -> Evidence | None:
        if ev is None:
            return None
        s, m = self.span(ev.sentence_span), self.span(ev.mention_span)
        return Evidence(self.original.body[s.start : s.end], s, m)

    @functools.cached_property
    def _chars(self) -> dict[str, str]:
        """Simplified character -> the form this article prints it in, learnt from the article itself."""
        seen: dict[str, Counter[str]] = {}
        conv, orig = self.simplified.body, self.original.body
        for cs, os_, cl, ol in self.offsets.pieces:
            if cl != ol:
                continue
            for a, b in zip(conv[cs : cs + cl], orig[os_ : os_ + ol], strict=True):
                if a != b:
                    seen.setdefault(a, Counter())[b] += 1
        return {a: cnt.most_common(1)[0][0] for a, cnt in seen.items()}

    def printed(self, text: str, near: Span | None = None) -> str:
        """``text`` (read from the simplified rendering) as the article prints it.

        Where the rendering holds it at ``near`` or anywhere, the original characters there; a string the
        rules composed (中共某县委 from the paper's locality) is written with the article's own printing of
        each character, so it reads in the article's script."""
        conv, orig = self.simplified.body, self.original.body
        if not text:
            return text
        if near is not None and conv[near.start : near.end] == text:
            s = self.span(near)
            return orig[s.start : s.end]
        i = conv.find(text, near.start if near is not None else 0)
        if i < 0 and near is not None:
            i = conv.find(text)
        if i >= 0:
            s = self.span(Span(i, i + len(text)))
            return orig[s.start : s.end]
        return "".join(self._chars.get(ch, ch) for ch in text)

    # ---------------------------------------------------------------- the extraction, printed

    def restore(self, x: Extraction) -> Extraction:
        """``x``, read from the simplified rendering, with every offset, sentence and name as printed.

        Keys stay as the rules made them (they only link objects within one extraction); names and
        labels are what the graph shows, so those take the printed form, the simplified one kept as an
        alternate name of people and organisations."""
        posts: dict[Post, Post] = {}

        def post(p: Post | None, ev: Evidence | None = None) -> Post | None:
            if p is None:
                return None
            if p not in posts:
                posts[p] = Post(self.printed(p.label, ev.mention_span if ev else None), p.org)
            return posts[p]

        people = [self._person(p, post) for p in x.people]
        orgs = [self._org(o) for o in x.organizations]
        places = [Place(p.key, self.printed(p.name, p.mentions[0].mention_span if p.mentions else None),
                        [e for e in map(self.evidence, p.mentions) if e is not None]) for p in x.places]
        events = [self._event(e, post) for e in x.events]
        amounts = [self._amount(a) for a in x.amounts]
        return Extraction(people=people, organizations=orgs, places=places, events=events, amounts=amounts)

    def _person(self, p: Person, post: Callable[[Post | None, Evidence | None], Post | None]) -> Person:
        forms: list[str] = []
        for ev in p.mentions:
            form = self.printed(p.name, ev.mention_span)
            if form not in forms:
                forms.append(form)
        if not forms:
            forms.append(self.printed(p.name))
        alternates = forms[1:] + [self.printed(a) for a in p.alternate_names] + [p.name]
        alternates += list(p.alternate_names)
        new_posts: list[Post] = []
        evidence: dict[str, Evidence] = {}
        for old in p.posts:
            ev = p.post_evidence.get(old.label)
            np_ = post(old, ev)
            assert np_ is not None
            new_posts.append(np_)
            mapped = self.evidence(ev)
            if mapped is not None:
                evidence[np_.label] = mapped
        for label, ev in p.post_evidence.items():  # evidence of posts replaced by fuller ones
            mapped = self.evidence(ev)
            if mapped is not None:
                evidence.setdefault(self.printed(label, ev.mention_span), mapped)
        return Person(key=p.key, name=forms[0], alternate_names=_unique(alternates, forms[0]), posts=new_posts,
                      mentions=[e for e in map(self.evidence, p.mentions) if e is not None], post_evidence=evidence)

    def _org(self, o: Organization) -> Organization:
        near = o.mentions[0].mention_span if o.mentions else None
        name = self.printed(o.name, near)
        alternates = [self.printed(a) for a in o.alternate_names] + [o.name] + list(o.alternate_names)
        return Organization(key=o.key, name=name, alternate_names=_unique(alternates, name), kind=o.kind,
                            mentions=[e for e in map(self.evidence, o.mentions) if e is not None])

    def _event(self, e: Event, post: Callable[[Post | None, Evidence | None], Post | None]) -> Event:
        near = e.evidence.sentence_span if e.evidence is not None else None
        parts = [Participation(p.agent, p.agent_kind, list(p.roles), post(p.post, None), self.evidence(p.evidence))
                 for p in e.participations]
        return dataclasses.replace(e, name=self.printed(e.name, near), participations=parts,
                                   organizers=list(e.organizers), evidence=self.evidence(e.evidence))

    def _amount(self, a: MonetaryAmount) -> MonetaryAmount:
        near = a.evidence.mention_span if a.evidence is not None else None
        return dataclasses.replace(a, text=self.printed(a.text, near),
                                   purpose=self.printed(a.purpose, near) if a.purpose else a.purpose,
                                   evidence=self.evidence(a.evidence))


def _unique(names: list[str], name: str) -> list[str]:
    """Names in first-seen order, without ``name`` itself or repeats."""
    return [n for n in dict.fromkeys(names) if n and n != name]


def simplified_view(article: Article) -> ScriptView | None:
    """The article's simplified rendering and the way back, or None when it has no traditional character.

    None is the common case and costs one pass over the text in C (``frozenset.isdisjoint``)."""
    if not (has_traditional(article.body) or has_traditional(article.headline)):
        return None
    body = to_simplified(article.body)
    if body == article.body and to_simplified(article.headline) == article.headline:
        return None
    pub = article.publication
    simplified = dataclasses.replace(
        article,
        body=body,
        headline=to_simplified(article.headline),
        headlines=[dataclasses.replace(h, text=to_simplified(h.text)) for h in article.headlines],
        publication=dataclasses.replace(pub, locality=to_simplified(pub.locality)) if pub.locality else pub,
    )
    return ScriptView(article, simplified, OffsetMap.build(article.body, body, to_simplified))


def extract_printed(article: Article, run: Callable[[Article], Extraction]) -> Extraction:
    """``run`` over the article, through its simplified rendering when it has traditional characters."""
    view = simplified_view(article)
    if view is None:
        return run(article)
    return view.restore(run(view.simplified))
