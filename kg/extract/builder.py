"""The state of one article while the extraction stages read it.

:class:`Builder` collects people, organisations, places, events and money by key, merging what two
sentences say of one entity; :class:`TaggedSentence` is a sentence with its tokens and what the
stages found in it; :class:`Doc` is the one object every stage reads and sets (see ``pipeline.STAGES``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.extract.events import EventMention
from kg.extract.ner import NameTagger, Token
from kg.extract.orgs import expand_local, org_kind, party_full_name, post_org
from kg.extract.posts import PersonMention, title_of
from kg.extract.sentences import Sentence
from kg.model import (
    Article,
    Event,
    Evidence,
    MonetaryAmount,
    Organization,
    Participation,
    Person,
    Place,
    Post,
    Span,
)


@dataclass
class TaggedSentence:
    """A sentence, its tokens and people, and what later stages found in it."""

    s: Sentence
    tokens: list[Token]
    people: list[PersonMention]
    events: list[EventMention] = field(default_factory=list)
    event_keys: list[str] = field(default_factory=list)  # resolved event of each reported mention
    venue: str | None = None  # the meeting it says a vote was held at (在…全会上，选举…)
    recipients: list[tuple[str, int]] = field(default_factory=list)  # (agent key, trigger offset) of Recipients


class Builder:
    """Collects entities by key while the article is read."""

    def __init__(self, article: Article) -> None:
        self.article = article
        self.locality = article.publication.locality
        self.people: dict[str, Person] = {}
        self.orgs: dict[str, Organization] = {}
        self.places: dict[str, Place] = {}
        self.events: list[Event] = []
        self.aliases: dict[str, list[str]] = {}  # event key -> names seen
        self.amounts: list[MonetaryAmount] = []
        self.replaced: dict[tuple[str, str], Post] = {}  # (person, label) -> the fuller post in its place
        self.minted = 0  # events minted so far (keys stay unique when one is merged away)
        self.focus: str | None = None  # the session held inside a congress, when reported so

    # ---- evidence
    def evidence(self, s: Sentence, start: int, end: int) -> Evidence:
        return Evidence(s.text, Span(s.start, s.end), Span(s.start + start, s.start + end))

    # ---- organisations
    def org(self, printed: str, ev: Evidence | None = None, full: str | None = None) -> str:
        name = full or expand_local(printed, self.locality)
        key = "org:" + name
        o = self.orgs.get(key)
        if o is None:
            o = Organization(key=key, name=name, kind=org_kind(name))
            self.orgs[key] = o
        for alt in (printed, party_full_name(name), party_full_name(printed)):
            if alt and alt != o.name and alt not in o.alternate_names:
                o.alternate_names.append(alt)
        if ev is not None:
            o.mentions.append(ev)
        return key

    # ---- people
    def person(self, m: PersonMention, sent: Sentence) -> str | None:
        if len(m.name) < 2:
            return None
        key = "person:" + m.name
        p = self.people.get(key)
        if p is None:
            p = Person(key=key, name=m.name)
            if "·" in m.name:
                p.alternate_names.append(m.name.replace("·", ""))  # 某某·某某 is also printed without the dot
            self.people[key] = p
        p.mentions.append(self.evidence(sent, m.start, m.end))
        chain: list[str] = []  # the organisations of the chain so far (市委常委、宣传部部长)
        for post in m.posts:
            held = self.add_post(p, post.label, self.evidence(sent, post.start, post.end), chain)
            org = self.orgs.get(held.org or "")
            if org is not None:
                chain.append(org.name)
        return key

    def add_post(self, p: Person, label: str, ev: Evidence, chain: list[str] | None = None) -> Post:
        """A post of ``p``; one printing per (organisation, title), the fullest one kept.

        ``chain`` holds the organisations of the posts printed before it in the same chain: a bare
        party department after the committee (市委常委、统战部部长) is that committee's department, and a
        bare mass organisation after a body of a place (市政协副主席、工商联主席) is that place's."""
        org_name = _in_chain(label, post_org(label, self.locality), chain or [])
        org_key = self.org(org_name, full=org_name) if org_name else None
        title = title_of(label)
        for i, existing in enumerate(p.posts):
            if existing.label == label:
                return existing
            same = org_key is not None and title_of(existing.label) == title and _same_org(existing.org, org_key)
            same = same or (existing.label.endswith(label) and existing.org in (org_key, None))
            # 镇人民政府镇长 then 某镇人民政府镇长: the fuller printing of the same post
            same = same or (label.endswith(existing.label) and title_of(existing.label) == title)
            same = same or (existing.label.endswith(label) and label == title)  # then 当选镇长甲: the bare title
            # 某党派市委主委 / 主任委员 (elected): one post under its short and long title
            a, z = _short_title(existing.label), _short_title(label)
            same = same or (a != existing.label or z != label) and (
                (a.endswith(z) and org_key is None) or (z.endswith(a) and existing.org is None))
            if same:
                if len(label) > len(existing.label) and label.endswith(existing.label):
                    p.posts[i] = Post(label=label, org=org_key or existing.org)
                    p.post_evidence[label] = ev
                    self.replaced[(p.key, existing.label)] = p.posts[i]
                    return p.posts[i]
                if len(label) > len(existing.label) and org_key is not None:
                    p.posts[i] = Post(label=label, org=org_key)
                    p.post_evidence[label] = ev
                    self.replaced[(p.key, existing.label)] = p.posts[i]
                    return p.posts[i]
                return existing
        post = Post(label=label, org=org_key)
        p.posts.append(post)
        p.post_evidence.setdefault(label, ev)
        return post

    def current_post(self, person_key: str, post: Post) -> Post:
        while (person_key, post.label) in self.replaced:
            post = self.replaced[(person_key, post.label)]
        return post

    # ---- events
    def new_event(self, etype: str, name: str, sub: str | None, ev: Evidence | None) -> Event:
        self.minted += 1
        e = Event(key=f"event:{self.minted}", type=etype, name=name, subtype=sub, evidence=ev)  # type: ignore[arg-type]
        self.events.append(e)
        self.aliases[e.key] = [name]
        return e

    def event(self, key: str) -> Event:
        return next(e for e in self.events if e.key == key)

    def main_event(self) -> Event | None:
        """The event the article is about: a session held inside a congress (X举行Y) if so reported."""
        if self.focus is not None:
            return self.event(self.focus)
        return next((e for e in self.events if e.type != "Election" and e.super_event is None), None)

    def participate(self, event: Event, agent: str, kind: str, roles: list[str], post: Post | None,
                    ev: Evidence | None) -> None:
        for part in event.participations:
            if part.agent == agent:
                for r in roles:
                    if r not in part.roles:
                        part.roles.append(r)  # type: ignore[arg-type]
                if part.post is None and post is not None:
                    part.post = post
                return
        event.participations.append(Participation(agent, kind, list(roles), post, ev))  # type: ignore[arg-type]


PARTY_COMMITTEE = re.compile(r"^中共.*[省市县区州旗]委$")
# a department of a party committee printed without the committee (统战部长, 宣传部部长, 组织部副部长)
PARTY_DEPARTMENT = re.compile(r"^(?P<dept>组织部|宣传部|统战部)(?:常务副部长|副部长|部长|长)$")
# a mass organisation printed without its place (工商联主席, 总工会副主席)
MASS_BODY = re.compile(r"^(?P<body>工商联|总工会|妇联|科协|文联|侨联|残联)(?:常务副主席|副主席|主席|党组书记)$")
PLACE_OF_BODY = re.compile(r"^(?:中共)?(?!中共)(?P<place>.+?(?:自治区|[省市县区州旗]))(?=.)")


LEVEL_CHARS = "省市县区州旗"


def _in_chain(label: str, org_name: str | None, chain: list[str]) -> str | None:
    """The organisation of a post printed bare after others in one chain (see ``Builder.add_post``)."""
    dept = PARTY_DEPARTMENT.match(label)
    party = next((o for o in reversed(chain) if PARTY_COMMITTEE.search(o)), None)
    if party and dept and (org_name is None or org_name == dept.group("dept")):
        # 统战部长 holds the department in its title (the post is the committee's); 统战部部长 does not
        return party if title_of(label) == label else party + dept.group("dept")
    mass = MASS_BODY.match(label)
    place = next((m.group("place") for o in reversed(chain) if (m := PLACE_OF_BODY.match(o))), None)
    if place and label[:1] in LEVEL_CHARS and place.endswith(label[0]) and not place.startswith(label[0]):
        # 揭阳市委统战部副部长、市工商联党组书记: the 市 of the second post is the city named before it, read
        # as the paper of that city would read it
        return post_org(label, place) or org_name
    if place and mass and (org_name is None or org_name == mass.group("body")):
        return place + mass.group("body")
    return org_name


def _short_title(label: str) -> str:
    return re.sub(r"主任委员$", "主委", label)


def _same_org(a: str | None, b: str | None) -> bool:
    """One body under two printings: 某汽车 / 某汽车股份有限公司 (keys are org:NAME)."""
    if a is None or b is None:
        return False
    a, b = a.removeprefix("org:"), b.removeprefix("org:")
    return a == b or (min(len(a), len(b)) >= 3 and (a.startswith(b) or b.startswith(a)))


@dataclass
class Doc:
    """One article being read: the input, and what the stages have found so far."""

    article: Article  # the body with the middle dots of names in one form (offsets as printed)
    printed: str  # the body as printed
    tagger: NameTagger
    b: Builder
    sents: list[TaggedSentence] = field(default_factory=list)
    heads: set[int] = field(default_factory=set)  # body paragraphs that repeat the headlines
