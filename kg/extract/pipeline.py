"""``extract(article) -> Extraction``: the extraction pipeline over one article.

Each sentence is tagged once; then, like the components of a spaCy pipeline, people and posts,
events, roles, elections and money are read from it by the pure functions of the sibling modules,
and assembled here into the plain objects of :mod:`kg.model` with evidence offsets into the body.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field

from kg.extract.dates import find_date
from kg.extract.elections import ElectedMention, find_appointed, find_elected
from kg.extract.events import EventMention, find_events
from kg.extract.money import find_amounts
from kg.extract.ner import NameTagger, Token, default_tagger
from kg.extract.orgs import expand_local, org_kind, party_full_name, post_org
from kg.extract.posts import PersonMention, ends_with_title, find_people, title_of
from kg.extract.roles import RoleMention, find_roles, listed_recipients, meeting_guests, trigger_pattern
from kg.extract.script import simplified_view
from kg.extract.sentences import Sentence, split_sentences
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

CONGRESS_PARTS = re.compile(
    r"^(大会|会议)?(开幕式|闭幕式|开幕会|闭幕会|闭幕大会|开幕大会|全体会议|预备会议|大会|会议|第.{1,4}次(全体)?(大会|会议))$"
)
# (not 颁发当选证书: the certificate of an election is no prize)
AWARD_VERB = re.compile(r"颁奖|授牌|表彰|颁发[^，,。；;]{0,30}?(奖|荣誉|称号|奖牌|奖杯|奖金|(?<!当选)证书)")
AWARD_NAME = re.compile(r"[“\"]([^”\"]{2,40}?奖)[”\"]")
VOTE_WORD = re.compile(r"(换届选举|补选|增选|选举)")
BARE_NAMES = {"会议", "大会", "本次会议", "此次会议", "这次会议", "本次大会", "此次大会", "这次大会", "该会议"}
CONTAINS = re.compile(r"(隆重)?(举行|召开)了?")
MEETING_VERB = re.compile(r"(会见|会晤|接见)了?")
ORGANIZER_BEFORE = re.compile(r"([^，,。；;：:\s]{2,40}?)(隆重|胜利)?(召开|举行|举办)了?$")
HOSTED_BY = re.compile(r"由([^，,。；;]{2,60}?)(主办|举办|承办)的")
PLACE = re.compile(r"在([^，,。；;在]{2,25}?)(隆重)?(举行|召开|举办|亲切会见|会见)")
NAME_ORGANIZER = re.compile(
    r"^((?:中共)?[\u4e00-\u9fff]{0,8}?[省市县区镇](?:委常委会|委|人民政府|政府|政协|人大常委会|人大))"
    r"(?=[^委会府协大])"
)
PREPARATORY = re.compile(r"^(主席团|预备|召集人|代表团团长)")
TITLE_QUOTE = re.compile(r"《[^《》]*》")
PURPOSE = re.compile(r"助学金|奖补资金|奖金|补助|补贴|奖励|资助|经费|资金|捐款|助学款")
LEAD_TRIM = re.compile(r"^.*?(\d+月\d+日|[上下]午|晚上|昨天|今天|昨日|今日|昨晚)[,，]?")


@dataclass
class _Sent:
    s: Sentence
    tokens: list[Token]
    people: list[PersonMention]
    events: list[EventMention] = field(default_factory=list)
    event_keys: list[str] = field(default_factory=list)  # resolved event of each reported mention


class _Builder:
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
        for post in m.posts:
            self.add_post(p, post.label, self.evidence(sent, post.start, post.end))
        return key

    def add_post(self, p: Person, label: str, ev: Evidence) -> Post:
        """A post of ``p``; one printing per (organisation, title), the fullest one kept."""
        org_name = post_org(label, self.locality)
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


def _short_title(label: str) -> str:
    return re.sub(r"主任委员$", "主委", label)


def _same_org(a: str | None, b: str | None) -> bool:
    """One body under two printings: 某汽车 / 某汽车股份有限公司 (keys are org:NAME)."""
    if a is None or b is None:
        return False
    a, b = a.removeprefix("org:"), b.removeprefix("org:")
    return a == b or (min(len(a), len(b)) >= 3 and (a.startswith(b) or b.startswith(a)))


def _resolve_event(b: _Builder, m: EventMention, ev: Evidence) -> str | None:
    """The event a reported mention refers to, creating it when it is new."""
    if m.generic and b.focus is not None:
        return b.focus
    main = b.main_event()
    if main is not None and m.type == "Meeting" and m.name.endswith("仪式"):
        b.aliases[main.key].append(m.name)
        return main.key  # 大会还举行了宣誓仪式: a part of the event already reported
    congress = next((e for e in b.events if e.type == "Congress"), None)
    if m.type == "Meeting" and congress is not None and (m.generic or CONGRESS_PARTS.match(m.name)):
        b.aliases[congress.key].append(m.name)
        return congress.key
    same = [e for e in b.events if e.type == m.type and e.type != "Election"]
    for e in same:
        # a bare 会议 said of one meeting does not make every later 某某会议 the same one
        named = [a for a in b.aliases[e.key] if not (m.generic and a == m.name) and a not in BARE_NAMES]
        if m.name not in BARE_NAMES and any(m.name in a or a in m.name for a in named):
            b.aliases[e.key].append(m.name)
            return e.key
    fresh = m.generic and bool(same) and _new_session(b, m, ev, same)
    if m.generic and same and not fresh:
        return same[-1].key
    if m.generic and m.type == "Meeting" and b.main_event() is not None and not fresh:
        return b.main_event().key  # type: ignore[union-attr]
    if same and m.type != "Meeting":
        b.aliases[same[0].key].append(m.name)
        return same[0].key
    e = b.new_event(m.type, m.name, m.subtype, ev)
    main = b.main_event()
    if main is not None and main is not e and m.type == "AwardCeremony" and main.type != "AwardCeremony":
        e.super_event = main.key
    return e.key


NEW_SESSION_BEFORE = re.compile(r"(主持召开|召开|举行|组织召开)了?$")


def _new_session(b: _Builder, m: EventMention, ev: Evidence, same: list[Event]) -> bool:
    """当天下午，乙主持召开专题会议: a meeting of another kind, called by its own verb, is another event."""
    if m.name in BARE_NAMES or m.name != m.name.strip() or len(m.name) < 3:
        return False
    start = ev.mention_span.start - ev.sentence_span.start
    if not NEW_SESSION_BEFORE.search(ev.sentence[:start]):
        return False
    return not any(a.endswith(m.name) for e in same for a in b.aliases[e.key])


def _organizers(b: _Builder, sent: Sentence, m: EventMention) -> list[str]:
    text = sent.text
    out: list[str] = []
    hm = HOSTED_BY.search(text, 0, m.start + 1)
    if hm:
        for item in re.split(r"[、和及]", hm.group(1)):
            if len(item) >= 2:
                out.append(b.org(item.strip(), b.evidence(sent, hm.start(1), hm.end(1))))
        return out
    nm = NAME_ORGANIZER.match(m.name)
    if nm:  # 市委人才工作会议, 县政协十一届一次会议: the body the name starts with
        return [b.org(nm.group(1), b.evidence(sent, m.start, m.start + len(nm.group(1))))]
    om = ORGANIZER_BEFORE.search(text[: m.start])
    if om:
        subj = LEAD_TRIM.sub("", om.group(1))
        for item in re.split(r"[、和]", subj):
            item = item.strip()
            if ends_with_title(item) or "主持" in item:
                continue  # 市委副书记、市长某某主持召开…: the subject is a person, not a body
            if 2 <= len(item) <= 30 and org_kind(expand_local(item, b.locality)) is not None:
                out.append(b.org(item, b.evidence(sent, om.start(1), om.end(1))))
    return out


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
    tagger = tagger or default_tagger()
    printed = article.body
    body = same_length_normal(printed)
    if body != printed:
        article = dataclasses.replace(article, body=body)
    b = _Builder(article)
    pub = article.publication
    trig_re = trigger_pattern()
    sents: list[_Sent] = []
    for s, toks in _tag_sentences(tagger, article.body):
        sents.append(_Sent(s, toks, find_people(s.text, toks)))

    # people and their posts
    for st in sents:
        for m in st.people:
            b.person(m, st.s)

    # events: the body first, then the headline lines printed at its top, which only add names
    heads = _headline_paragraphs(article)
    order = [st for st in sents if st.s.paragraph not in heads] + [st for st in sents if st.s.paragraph in heads]
    venue: dict[int, str] = {}  # sentence -> the meeting it says a vote was held at (在…全会上，选举…)
    for st in order:
        _events_of_sentence(b, st, st.s.paragraph in heads, venue, trig_re)

    _merge_early_generic(b, sents)

    # appointments give posts, not elections
    for st in sents:
        for am in find_appointed(st.s.text, st.people):
            pkey = "person:" + am.person.name
            if pkey in b.people:
                b.add_post(b.people[pkey], am.post, b.evidence(st.s, am.post_start, am.post_end))

    # elections
    elected: list[tuple[_Sent, ElectedMention]] = []
    for st in sents:
        for em in find_elected(st.s.text, st.people):
            elected.append((st, em))
    if elected:
        # one Election per place of voting: the congress's own vote, a plenary held during it …
        congress = next((e for e in b.events if e.type == "Congress"), None) or b.main_event()
        vm = VOTE_WORD.search(article.body)
        elections: dict[str | None, Event] = {}
        for st, em in elected:
            where = venue.get(id(st))
            elec = elections.get(where)
            if elec is None:
                name = where or (vm.group(1) if vm else "选举")
                elec = b.new_event("Election", name, None, b.evidence(st.s, 0, len(st.s.text)))
                if congress is not None:
                    elec.super_event = congress.key
                elections[where] = elec
            pkey = "person:" + em.person.name
            if pkey not in b.people:
                continue
            ev = b.evidence(st.s, em.post_start, em.post_end)
            post = b.add_post(b.people[pkey], em.post, ev)
            b.participate(elec, pkey, "Person", ["Elected"], post, b.evidence(st.s, em.person.start, em.person.end))

    # dates nobody stated next to the event: the lead's date
    lead = [st for st in sents if st.s.paragraph not in heads][:5]
    lead_date = next(((d, md) for st in lead for d, md, pos in [find_date(st.s.text, pub.date)] if pos >= 0),
                     (None, None))
    for e in b.events:
        if e.date is None and e.month_day is None:
            sup = b.event(e.super_event) if e.super_event else None
            if sup is not None and (sup.date or sup.month_day):
                e.date, e.month_day = sup.date, sup.month_day
            else:
                e.date, e.month_day = lead_date

    # roles
    last_subject: PersonMention | None = None
    recipients: dict[int, list[tuple[str, int]]] = {}  # sentence -> (agent key, trigger offset) of Recipients
    if b.events:
        current: str | None = None  # the meeting the article last reported, for sentences naming none
        previous = ""  # the sentence before, for a list of winners that follows it
        for st in sents:
            if st.s.paragraph not in heads:
                tops = [k for k in st.event_keys if b.event(k).super_event is None or k == b.focus]
                if tops and b.event(tops[-1]).type != "Election":
                    current = tops[-1]
            mentions = find_roles(st.s.text, st.people, b.locality, last_subject, st.tokens)
            listed = listed_recipients(st.s.text, previous, st.people)
            previous = st.s.text
            for rm in mentions + ([listed] if listed else []):
                target = _target_event(b, st, rm, current)
                if target is None:
                    continue
                _add_roles(b, st, rm, target)
                if "Recipient" in rm.roles:
                    recipients.setdefault(id(st), []).extend(
                        [("person:" + p.name, rm.start) for p in rm.people if "person:" + p.name in b.people]
                        + [("org:" + o.name, rm.start) for o in rm.orgs]
                    )
            mv = MEETING_VERB.search(st.s.text)
            if mv:
                _meeting_guest(b, st, mv)
            if st.people:
                first = st.people[0]
                lead = st.s.text[: first.posts[0].start if first.posts else first.start]
                if len(lead.strip(" ，,")) <= 12:
                    last_subject = first

    # money: linked to the ceremony (or the meeting) it was granted at, its receiver and what it pays for
    seen: set = set()
    award = next((e for e in b.events if e.type == "AwardCeremony"), None) or b.main_event()
    funder = award.organizers[0] if award is not None and award.organizers else None
    for st in sents:
        for a in find_amounts(st.s.text):
            # the receiver of a grant is named in the same clause as the amount, never for a total
            receivers = list(dict.fromkeys(
                k for k, pos in recipients.get(id(st), [])
                if not re.search(r"[，,；;]", st.s.text[min(pos, a.start) : max(pos, a.start)])
            ))  # one receiver named by two triggers (某奖获得者甲, 对甲颁发) is one
            if re.search(r"(总额|共计|合计|总计|累计)[达为]?$", st.s.text[: a.start]):
                receivers = []
            if (a.value, a.currency) in seen:
                continue
            seen.add((a.value, a.currency))
            pm = PURPOSE.search(st.s.text, max(0, a.start - 6), a.end + 6)
            b.amounts.append(MonetaryAmount(
                a.value, a.text, a.currency,
                recipient=receivers[0] if len(receivers) == 1 else None,
                funder=funder,
                event=award.key if award else None,
                purpose=pm.group(0) if pm else None,
                evidence=b.evidence(st.s, a.start, a.end),
            ))
    for head in [article.headline] + [h.text for h in article.headlines]:
        for a in find_amounts(head or ""):
            if (a.value, a.currency) not in seen:
                seen.add((a.value, a.currency))
                b.amounts.append(MonetaryAmount(a.value, a.text, a.currency, funder=funder,
                                                event=award.key if award else None))

    for e in b.events:
        for part in e.participations:
            if part.post is not None and part.agent_kind == "Person":
                part.post = b.current_post(part.agent, part.post)
    _drop_quoted_words(b, article.body)
    if body != printed:  # 约翰・史密斯 as printed is also the person's name
        for p in b.people.values():
            for ev in p.mentions[:1]:
                form = printed[ev.mention_span.start : ev.mention_span.end]
                if form != p.name and form not in p.alternate_names:
                    p.alternate_names.append(form)
    return Extraction(
        people=list(b.people.values()),
        organizations=list(b.orgs.values()),
        places=list(b.places.values()),
        events=b.events,
        amounts=b.amounts,
    )


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


def _headline_paragraphs(article: Article) -> set[int]:
    """Indexes of body paragraphs that repeat the article's headlines (the reader keeps them in the body)."""
    texts = {h.text.strip() for h in article.headlines} | {article.headline.strip()}
    parts = {t for h in texts for t in h.split()}
    out = set()
    for i, para in enumerate(article.body.split("\n")):
        para = para.strip()
        if para and (para in texts or para in parts or any(para in t for t in texts if len(para) >= 4)):
            out.add(i)
    return out


def _events_of_sentence(
    b: _Builder, st: _Sent, head: bool, venue: dict[int, str], trig_re: re.Pattern[str]
) -> None:
    pub = b.article.publication
    voting = bool(VOTE_WORD.search(st.s.text) or "当选" in st.s.text)
    has_role = bool(trig_re.search(st.s.text)) or bool(MEETING_VERB.search(st.s.text)) or voting
    found = find_events(st.s.text, st.tokens, has_role)
    # 某会议举行主席团第一次会议: the first holds the second
    holder = {
        id(c): a
        for a, c in zip(found, found[1:], strict=False)
        if CONTAINS.fullmatch(st.s.text[a.end : c.start])
    }
    # 某会议举行主席团第一次会议 / 预备会议: a preparatory meeting of the session is one event, named
    # by both (Meeting), not a meeting inside a congress event that the article does not report
    for a, c in zip(found, found[1:], strict=False):
        if holder.get(id(c)) is a and PREPARATORY.match(c.name) and a.type == "Congress":
            merged = dataclasses.replace(c, name=a.name + c.name, type="Meeting", subtype=None, start=a.start,
                                         reported=True, generic=False)
            found = [merged if x is c else x for x in found if x is not a]
            holder.pop(id(c))
    mentions = [m for m in found if m.reported or head or id(m) in holder]
    keys: dict[int, str] = {}
    for m in mentions:
        ev = b.evidence(st.s, m.start, m.end)
        if voting and (m.at_phrase or st.s.text[m.end : m.end + 1] == "上"):
            venue.setdefault(id(st), m.name)
            continue
        same = [e for e in b.events if e.type == m.type]
        if head and same:
            key = same[0].key
            b.aliases[key].append(m.name)
            if len(same[0].name) <= 3 and not m.generic:
                same[0].name = m.name  # the body only said 会议; the headline names it
        elif head and not m.reported:
            continue
        else:
            key = _resolve_event(b, m, ev)
        st.events.append(m)
        st.event_keys.append(key)
        keys[id(m)] = key
        e = b.event(key)
        outer = holder.get(id(m))
        if outer is not None and keys.get(id(outer)) not in (None, key):
            e.super_event = keys[id(outer)]
            b.focus = b.focus or key
            e.organizers = e.organizers or []
            if e.date is None and e.month_day is None:
                d, md, _ = find_date(st.s.text, pub.date)
                e.date, e.month_day = d, md
            continue
        if e.date is None and e.month_day is None:
            d, md, _ = find_date(st.s.text, pub.date)
            e.date, e.month_day = d, md
        if not e.organizers:
            e.organizers = _organizers(b, st.s, m)
        if e.place is None:
            pm = PLACE.search(st.s.text)
            if pm:
                pkey = "place:" + pm.group(1)
                b.places.setdefault(pkey, Place(pkey, pm.group(1)))
                b.places[pkey].mentions.append(b.evidence(st.s, pm.start(1), pm.end(1)))
                e.place = pkey
    # 会见: a meeting of its own when nothing else is reported in the article
    mv = MEETING_VERB.search(st.s.text)
    if mv and not mentions and not b.events:
        guest = meeting_guests(st.s.text, mv.start())
        name = "会见" + (guest or "")
        e = b.new_event("Meeting", name, "Reception", b.evidence(st.s, mv.start(), mv.end()))
        d, md, _ = find_date(st.s.text, pub.date)
        e.date, e.month_day = d, md
        st.events.append(EventMention(name, "Meeting", "Reception", mv.start(), mv.end(), True, False))
        st.event_keys.append(e.key)
        pm = PLACE.search(st.s.text)
        if pm:
            pkey = "place:" + pm.group(1)
            b.places.setdefault(pkey, Place(pkey, pm.group(1)))
            e.place = pkey
    # an award handed out at a meeting is a ceremony of its own, inside that meeting
    # (not a 表彰 inside a document title 《关于表彰…的决定》, nor prizes handed to unnamed ranks:
    # 对优秀会员、优秀理事等进行表彰 at a congress is a part of its agenda, not a ceremony of its own)
    am = AWARD_NAME.search(st.s.text)
    if (
        AWARD_VERB.search(TITLE_QUOTE.sub(_blank, st.s.text))
        and (am is not None or st.people)
        and not any(e.type == "AwardCeremony" for e in b.events)
    ):
        main = b.main_event()
        name = am.group(1) if am else "颁奖"
        e = b.new_event("AwardCeremony", name, None, b.evidence(st.s, 0, len(st.s.text)))
        if main is not None:
            e.super_event = main.key
            e.date, e.month_day = main.date, main.month_day
        if e.date is None and e.month_day is None:
            d, md, _ = find_date(st.s.text, pub.date)
            e.date, e.month_day = d, md


QUOTED_SENTENCE = re.compile(r"“[^“”]*?[，,。！？!?；;][^“”]*?”")


def _drop_quoted_words(b: _Builder, body: str) -> None:
    """“杨柳轻吐绿芽眉，…。”: words of a quoted line (verse, a slogan) that the tagger read as a name.

    A person counts only if named somewhere outside a quoted sentence, holds a post, or takes part in
    something; a name seen nowhere but inside quoted sentences is dropped (leaving a fact out rather
    than inventing a person)."""
    quotes = [(m.start(), m.end()) for m in QUOTED_SENTENCE.finditer(body)]
    if not quotes:
        return
    acting = {part.agent for e in b.events for part in e.participations}
    for key, p in list(b.people.items()):
        if p.posts or key in acting or not p.mentions:
            continue
        if all(any(a < ev.mention_span.start and ev.mention_span.end < z for a, z in quotes) for ev in p.mentions):
            del b.people[key]


NAME_DOT_VARIANTS = str.maketrans({c: "·" for c in "・･‧∙⋅•"})
ASCII_NAME_DOT = re.compile(r"(?<=[\u4e00-\u9fff])\.(?=[\u4e00-\u9fff])")


def same_length_normal(text: str) -> str:
    """The middle dots of transliterated names in one form (・, ‧, • and 约翰.史密斯's full stop → ·).

    Each character is replaced by one character, so every offset into the body stays valid; the
    tagger and the name rules know only ·, and a name printed with another dot was lost or split."""
    return ASCII_NAME_DOT.sub("·", text.translate(NAME_DOT_VARIANTS))


def _blank(m: re.Match[str]) -> str:
    """The same number of spaces: masks a span without moving offsets."""
    return " " * len(m.group(0))


def _merge_early_generic(b: _Builder, sents: list[_Sent]) -> None:
    """大会闭幕现场 (a caption) before 某县人代会…闭幕: a bare 大会/会议 reported before the event it
    stands for is named is that event, not one of its own."""
    if b.focus is not None:
        return
    for i, e in enumerate(list(b.events)):
        if e.type != "Meeting" or not CONGRESS_PARTS.match(e.name) or e.super_event is not None:
            continue
        later = next((x for x in b.events[i + 1 :] if x.type in ("Congress", "Meeting") and x.super_event is None
                      and not CONGRESS_PARTS.match(x.name)), None)
        if later is None or any(x.super_event == e.key for x in b.events):
            continue
        b.events.remove(e)
        b.aliases[later.key] += b.aliases.pop(e.key, [])
        for st in sents:
            st.event_keys = [later.key if k == e.key else k for k in st.event_keys]
        if later.date is None and later.month_day is None:
            later.date, later.month_day = e.date, e.month_day
        return


def _target_event(b: _Builder, st: _Sent, rm: RoleMention, current: str | None = None) -> Event | None:
    if rm.roles[0] in ("Recipient", "AwardPresenter"):
        award = next((e for e in b.events if e.type == "AwardCeremony"), None)
        if award is not None:
            return award
        if rm.trigger == "获得":
            return None  # 获得…称号 outside any award ceremony is news, not a role
    if st.event_keys:
        # the event named nearest before the trigger, else the first one named in the sentence
        before = [k for m, k in zip(st.events, st.event_keys, strict=True) if m.start < rm.start]
        return b.event(before[-1] if before else st.event_keys[0])
    if current is not None:
        return b.event(current)
    main = b.main_event()
    if main is None:
        return b.events[0] if b.events else None
    return main


def _add_roles(b: _Builder, st: _Sent, rm: RoleMention, event: Event) -> None:
    if rm.trigger in ("会见", "会晤", "接见") and event.subtype != "Reception":
        return  # a courtesy call during another event is not a role in it
    for p in rm.people:
        key = "person:" + p.name
        if key not in b.people:
            continue
        post = None
        if p.posts:
            label = p.posts[-1].label
            post = next((x for x in b.people[key].posts if x.label == label), None)
        b.participate(event, key, "Person", list(rm.roles), post, b.evidence(st.s, p.start, p.end))
    for o in rm.orgs:
        ev = b.evidence(st.s, o.start, o.end)
        key = b.org(o.printed, ev, full=o.name)
        b.participate(event, key, "Organization", list(rm.roles), None, ev)


def _meeting_guest(b: _Builder, st: _Sent, mv: re.Match[str]) -> None:
    target = next((e for e in b.events if e.subtype == "Reception"), None)
    if target is None:
        return
    guest = meeting_guests(st.s.text, mv.start())
    if not guest:
        return
    gstart = st.s.text.find(guest, mv.end())
    people = [p for p in st.people if gstart <= p.start < gstart + len(guest)]
    ev = b.evidence(st.s, gstart, gstart + len(guest))
    if people:
        for p in people:
            if "person:" + p.name in b.people:
                b.participate(target, "person:" + p.name, "Person", ["Participant"], None, ev)
        return
    key = b.org(guest, ev, full=guest)
    b.participate(target, key, "Organization", ["Participant"], None, ev)
