"""``extract(article) -> Extraction``: the extraction pipeline over one article.

Like the components of a spaCy pipeline, the extraction is a list of small named stages
(:data:`STAGES`) run in order over one :class:`~kg.extract.builder.Doc`: each says what it reads
(``requires``) and what it sets (``assigns``), and :func:`check_stages` verifies that every stage
reads only what the article gives or an earlier stage set. The stages call the pure readers of the
sibling modules (people and posts, events, roles, elections, money) and assemble their findings into
the plain objects of :mod:`kg.model`, with evidence offsets into the body::

    article ─ tag ─ people ─ headlines ─ events ─ merge_early_generic ─ appointments ─ elections
            ─ lead_dates ─ roles ─ money ─ current_posts ─ drop_quoted_words ─ printed_forms ─> Extraction

To change what is read, change the stage (in ``event_stages.py``, ``fact_stages.py`` or here) or the
reader it calls; to add a stage, add it to :data:`STAGES` with what it reads and sets.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass

from kg.extract import event_stages, fact_stages
from kg.extract.builder import Builder, Doc, TaggedSentence
from kg.extract.ner import NameTagger, Token, default_tagger
from kg.extract.posts import find_people
from kg.extract.repeated_names import add_repeated_names
from kg.extract.script import simplified_view
from kg.extract.sentences import Sentence, split_sentences
from kg.model import Article, Extraction


def tag(doc: Doc) -> None:
    """Each sentence tagged once, with the people (and their posts) named in it."""
    doc.sents = [TaggedSentence(s, toks, find_people(s.text, toks))
                 for s, toks in _tag_sentences(doc.tagger, doc.article.body)]
    complete_cut_names(doc.sents)
    add_repeated_names(doc.sents)


def complete_cut_names(sents: list[TaggedSentence]) -> None:
    """甲乙邵自|强丙丁出席: a name the tagger cut short where the article prints it whole elsewhere.

    A mention followed by exactly the characters that make it another mention's name is that name;
    names run together without separators (a subtitle listing leaders) are where this happens."""
    whole = {m.name for st in sents for m in st.people if len(m.name) >= 3}
    for st in sents:
        for m in st.people:
            nxt = st.s.text[m.end : m.end + 1]
            if len(m.name) >= 2 and m.name not in whole and m.name + nxt in whole:
                m.name, m.end = m.name + nxt, m.end + 1


def people(doc: Doc) -> None:
    """The people of every sentence, with the posts printed beside them."""
    for st in doc.sents:
        for m in st.people:
            doc.b.person(m, st.s)


@dataclass(frozen=True)
class Stage:
    """One step of the pipeline: what it reads from the :class:`Doc` and what it sets there."""

    name: str
    run: Callable[[Doc], None]
    requires: tuple[str, ...]
    assigns: tuple[str, ...]


INPUTS = ("article", "tagger", "printed")  # what extract() puts in the Doc before the first stage

STAGES: tuple[Stage, ...] = (
    Stage("tag", tag, ("article", "tagger"), ("sents", "sents.people")),
    Stage("people", people, ("sents.people",), ("people", "orgs")),
    Stage("headlines", event_stages.headlines, ("article",), ("heads",)),
    Stage("events", event_stages.events, ("sents", "heads"),
          ("events", "events.dates", "events.organizers", "places", "sents.events", "sents.venue")),
    Stage("merge_early_generic", event_stages.merge_early_generic, ("events", "sents.events"), ("events",)),
    Stage("appointments", fact_stages.appointments, ("sents.people", "people"), ("people",)),
    Stage("elections", fact_stages.elections, ("sents.people", "sents.venue", "events", "people"),
          ("events", "events.participations")),
    Stage("lead_dates", event_stages.lead_dates, ("sents", "heads", "events"), ("events.dates",)),
    Stage("roles", fact_stages.roles, ("sents.people", "sents.events", "heads", "events", "people"),
          ("events.participations", "orgs", "sents.recipients")),
    Stage("money", fact_stages.money, ("sents", "sents.recipients", "events", "events.organizers"), ("amounts",)),
    Stage("current_posts", fact_stages.current_posts, ("events.participations", "people"),
          ("events.participations",)),
    Stage("drop_quoted_words", fact_stages.drop_quoted_words, ("article", "people", "events.participations"),
          ("people",)),
    Stage("printed_forms", fact_stages.printed_forms, ("printed", "people"), ("people",)),
)


def check_stages(stages: tuple[Stage, ...] = STAGES) -> list[str]:
    """What a stage reads that neither the input nor an earlier stage sets (empty when all is well)."""
    known = set(INPUTS)
    problems = []
    for st in stages:
        problems += [f"{st.name} reads {r}, set by no earlier stage" for r in st.requires if r not in known]
        known |= set(st.assigns)
    return problems


def run_stages(doc: Doc, stages: tuple[Stage, ...] = STAGES) -> Extraction:
    """Run the stages in order over ``doc``; the Extraction is what the builder holds at the end."""
    for st in stages:
        st.run(doc)
    b = doc.b
    return Extraction(
        people=list(b.people.values()),
        organizations=list(b.orgs.values()),
        places=list(b.places.values()),
        events=b.events,
        amounts=b.amounts,
    )


MAX_ARTICLE_CHARS = 200_000  # a long report (政府工作报告) is 20-40 thousand; see check_size


def check_size(article: Article) -> None:
    """Refuse an article too long to extract in reasonable time, with a message saying what to do.

    Why: extraction costs about 65 µs per character (the tagger; linear: 44,000 characters 1.3-3 s,
    200,000 characters 12-14 s on a loaded 2-core machine, with or without line breaks), so a limit of
    200,000 keeps any one file under about 15 s of a ``kg ingest`` worker or of the server's writer on
    ``POST /ingest``, while full-text reports of 20-40 thousand characters go through. A longer text
    is usually a page whose headlines were not marked with ``#``."""
    n = len(article.body)
    if n > MAX_ARTICLE_CHARS:
        from kg.errors import InputError

        where = article.source_name or "input"
        raise InputError(
            f"{where}: the article 「{article.headline[:20]}」 is {n} characters long; extraction reads articles "
            f"of up to {MAX_ARTICLE_CHARS} characters (mark each article's headline with #, or split the text)"
        )


def extract(article: Article, tagger: NameTagger | None = None) -> Extraction:
    """Everything this article states: people, posts, organisations, events, roles and money."""
    check_size(article)
    view = simplified_view(article)
    if view is not None:  # traditional script: the rules read a simplified rendering, facts point at the print
        return view.restore(extract(view.simplified, tagger))
    printed = article.body
    body = same_length_normal(printed)
    if body != printed:
        article = dataclasses.replace(article, body=body)
    return run_stages(Doc(article, printed, tagger or default_tagger(), Builder(article)))


def _tag_sentences(tagger: NameTagger, body: str) -> list[tuple[Sentence, list[Token]]]:
    """Each sentence with its tokens (offsets into the sentence).

    The tagger runs once per paragraph, not per sentence: one model call per line costs far less
    than one per sentence, and a paragraph gives the tagger the same local context.
    """
    out: list[tuple[Sentence, list[Token]]] = []
    sentences = split_sentences(body)
    by_para: dict[int, list[Sentence]] = {}
    for s in sentences:
        by_para.setdefault(s.paragraph, []).append(s)
    for group in by_para.values():
        lo, hi = group[0].start, group[-1].end
        tokens = tagger.tag(body[lo:hi])
        for s in group:
            mine: list[Token] = []
            for t in tokens:
                a, z = max(t.start + lo, s.start), min(t.end + lo, s.end)
                if a < z:
                    mine.append(Token(body[a:z], t.tag, a - s.start, z - s.start))
            out.append((s, mine))
    return out


NAME_DOT_VARIANTS = str.maketrans({c: "·" for c in "・･‧∙⋅•"})
ASCII_NAME_DOT = re.compile(r"(?<=[\u4e00-\u9fff])\.(?=[\u4e00-\u9fff])")


def same_length_normal(text: str) -> str:
    """The middle dots of transliterated names in one form (・, ‧, • and 约翰.史密斯's full stop → ·).

    Each character is replaced by one character, so every offset into the body stays valid; the
    tagger and the name rules know only ·, and a name printed with another dot was lost or split."""
    return ASCII_NAME_DOT.sub("·", text.translate(NAME_DOT_VARIANTS))
