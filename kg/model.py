"""Plain data passed between reading, extraction and RDF mapping.

Nothing here knows about RDF, stores or the web: extraction produces these objects, the mapper in
``kg.rdf`` turns them into quads. Offsets are character offsets (Python ``str`` indices) into an
article's ``body``; :meth:`Article.to_source` turns them into offsets into the source file, so every
fact can point at its evidence in the page as printed.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

CreditRole = Literal["reporter", "correspondent", "photographer", "author"]
EventType = Literal["Meeting", "Congress", "AwardCeremony", "Election"]
RoleName = Literal[
    "Chair",
    "Speaker",
    "Attendee",
    "Participant",
    "Observer",
    "Presenter",
    "Recipient",
    "AwardPresenter",
    "Elected",
]
AgentKind = Literal["Person", "Organization"]


@dataclass(frozen=True)
class Span:
    """A half-open character range ``[start, end)``."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"bad span {self.start}..{self.end}")


@dataclass(frozen=True)
class Publication:
    """Where and when a page was printed; every field may be unknown."""

    name: str | None = None
    date: _dt.date | None = None
    locality: str | None = None  # e.g. 太原市: resolves 市委, 市长 … to this place


@dataclass(frozen=True)
class Segment:
    """A run of ``body`` characters copied verbatim from the source at ``source_start``."""

    body_start: int
    source_start: int
    length: int


@dataclass(frozen=True)
class Credit:
    """A name from the byline, a photo credit or a closing signature."""

    name: str
    role: CreditRole
    span: Span  # in the source file


@dataclass(frozen=True)
class Continuation:
    """A jump marker such as 下转第3版 (direction "to") or 上接第1版 ("from")."""

    text: str
    direction: Literal["to", "from"]
    page: int | None
    span: Span  # in the source file


@dataclass(frozen=True)
class Headline:
    text: str
    kind: Literal["main", "kicker", "subtitle"]  # 主题, 引题, 副题
    span: Span  # in the source file


@dataclass
class Article:
    """One article read from a page: its headlines, credits and body text.

    ``body`` holds the headline lines (kickers, main headline, subtitles: they carry facts such as
    某某主持) and then the paragraphs, joined by ``\\n``, with credits and continuation markers
    removed; ``text_start`` is where the paragraphs begin. ``segments`` map body offsets back to the
    source file.
    """

    headline: str
    body: str
    segments: list[Segment]
    headlines: list[Headline] = field(default_factory=list)
    credits: list[Credit] = field(default_factory=list)
    continuations: list[Continuation] = field(default_factory=list)
    publication: Publication = field(default_factory=Publication)
    source_name: str = ""  # file name, for messages
    source_sha256: str = ""  # of the whole source file
    index: int = 0  # position on the page, 0-based
    span: Span | None = None  # the whole article in the source file
    text_start: int = 0  # body offset where the text proper starts, after the headline lines
    id_key: str = ""  # what the article's IRI is minted from (see kg.read.page.article_id_key)
    source_url: str = ""  # where the page was published, when the HTML or the dump record says (schema:url)
    pagination: str = ""  # 版次, the printed page, when the input says (schema:pagination)

    @property
    def paragraphs(self) -> list[str]:
        return self.body.split("\n")

    def to_source(self, offset: int) -> int:
        """Map a body offset to an offset in the source file (end offsets map too)."""
        for seg in self.segments:
            if seg.body_start <= offset <= seg.body_start + seg.length:
                return seg.source_start + offset - seg.body_start
        raise ValueError(f"offset {offset} outside the article body")

    def source_span(self, span: Span) -> Span:
        return Span(self.to_source(span.start), self.to_source(span.end))


@dataclass(frozen=True)
class Evidence:
    """The sentence a fact was read from and where the mention sits (both in body offsets)."""

    sentence: str
    sentence_span: Span
    mention_span: Span


@dataclass(frozen=True)
class Post:
    """A post as the text states it (``label`` exactly as printed, e.g. 市委书记).

    ``org`` names the organisation the post is in where the text names it or the locality implies
    it (市委书记 in a paper of 太原市 → 中共太原市委), as a key into ``Extraction.organizations``.
    """

    label: str
    org: str | None = None


@dataclass
class Person:
    """A person named in the article. ``key`` is unique within one extraction."""

    key: str
    name: str
    alternate_names: list[str] = field(default_factory=list)
    posts: list[Post] = field(default_factory=list)  # held, as stated anywhere in the article
    mentions: list[Evidence] = field(default_factory=list)
    post_evidence: dict[str, Evidence] = field(default_factory=dict)  # post label -> evidence


@dataclass
class Organization:
    key: str
    name: str  # the fullest name the article gives
    alternate_names: list[str] = field(default_factory=list)
    kind: str | None = None  # party, government, company, university, institute, party-dp, ...
    mentions: list[Evidence] = field(default_factory=list)


@dataclass
class Place:
    key: str
    name: str
    mentions: list[Evidence] = field(default_factory=list)


@dataclass
class Participation:
    """One agent taking one or more roles in one event."""

    agent: str  # key of a Person or an Organization
    agent_kind: AgentKind
    roles: list[RoleName]
    post: Post | None = None  # as stated for the agent in this mention; for Elected the post won
    evidence: Evidence | None = None


@dataclass
class MonetaryAmount:
    """An amount of money: ``value`` in yuan as a decimal (1.53亿元 → 153000000)."""

    value: Decimal
    text: str  # as printed
    currency: str = "CNY"
    recipient: str | None = None  # key of a Person or Organization receiving it
    funder: str | None = None  # key of an Organization paying it
    event: str | None = None  # key of the Event it was granted at
    purpose: str | None = None  # what it pays for, as printed
    evidence: Evidence | None = None


@dataclass
class Event:
    key: str
    type: EventType
    name: str  # as written
    subtype: str | None = None  # finer class, e.g. Symposium, Lecture, StandingCommitteeMeeting
    date: _dt.date | None = None
    month_day: tuple[int, int] | None = None  # when the year cannot be known
    place: str | None = None  # key of a Place
    organizers: list[str] = field(default_factory=list)  # Organization keys
    super_event: str | None = None  # key of the enclosing Event
    participations: list[Participation] = field(default_factory=list)
    evidence: Evidence | None = None


@dataclass
class Extraction:
    """Everything extracted from one article."""

    people: list[Person] = field(default_factory=list)
    organizations: list[Organization] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    amounts: list[MonetaryAmount] = field(default_factory=list)
