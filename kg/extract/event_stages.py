"""The event stages: which events a sentence reports, merged across the article, and their dates.

A mention of a meeting (:func:`kg.extract.events.find_events`) becomes an event of the article, or
joins one already reported (本次会议, a headline naming the body's 会议, a session held inside a
congress); an award handed out is a ceremony of its own; 会见 is a meeting when nothing else is.
"""

from __future__ import annotations

import dataclasses
import re

from kg.extract.builder import Builder, Doc, TaggedSentence
from kg.extract.dates import find_date
from kg.extract.events import EventMention, find_events
from kg.extract.orgs import expand_local, org_kind
from kg.extract.posts import ends_with_title
from kg.extract.roles import meeting_guests, trigger_pattern
from kg.extract.sentences import Sentence
from kg.model import Article, Event, Evidence, Place

CONGRESS_PARTS = re.compile(
    r"^(大会|会议)?(开幕式|闭幕式|开幕会|闭幕会|闭幕大会|开幕大会|全体会议|预备会议|大会|会议|第.{1,4}次(全体)?(大会|会议))$"
)
# (not 颁发当选证书: the certificate of an election is no prize)
AWARD_VERB = re.compile(r"颁奖|授牌|表彰|颁发[^，,。；;]{0,30}?(奖|荣誉|称号|奖牌|奖杯|奖金|(?<!当选)证书)")
DESCRIBED_AWARDED = re.compile(r"[受被获](?:表彰|颁奖)的")
AWARD_NAME = re.compile(r"[“\"]([^”\"]{2,40}?奖)[”\"]")
VOTE_WORD = re.compile(r"(换届选举|补选|增选|选举)")
BARE_NAMES = {"会议", "大会", "本次会议", "此次会议", "这次会议", "本次大会", "此次大会", "这次大会", "该会议"}
CONTAINS = re.compile(r"(?:在[^，,。；;在]{1,20}?)?(隆重)?(举行|召开)了?")  # 某会议(在某剧院)召开预备会
MEETING_VERB = re.compile(r"(会见|会晤|接见)了?")
ORGANIZER_BEFORE = re.compile(r"([^，,。；;：:\s]{2,40}?)(隆重|胜利)?(召开|举行|举办)了?$")
HOSTED_BY = re.compile(r"由([^，,。；;]{2,60}?)(主办|举办|承办)的")
PLACE = re.compile(r"在([^，,。；;在]{2,25}?)(隆重)?(举行|召开|举办|亲切会见|会见)")
NAME_ORGANIZER = re.compile(
    r"^((?:中共)?[\u4e00-\u9fff]{0,8}?[省市县区镇](?:委常委会|委|人民政府|政府|政协|人大常委会|人大"
    r"|总工会|妇联|团委|工商联|科协|残联|文联|侨联))"
    r"(?=[^委会府协大])"
)
PREPARATORY = re.compile(r"^(主席团|预备|召集人|代表团团长)")
TITLE_QUOTE = re.compile(r"《[^《》]*》")
LEAD_TRIM = re.compile(r"^.*?(\d+月\d+日|[上下]午|晚上|昨天|今天|昨日|今日|昨晚)[,，]?")
NEW_SESSION_BEFORE = re.compile(r"(主持召开|召开|举行|组织召开)了?$")


# ---- stages


def headlines(doc: Doc) -> None:
    """Sets ``heads``: the body paragraphs that repeat the article's headlines."""
    doc.heads = headline_paragraphs(doc.article)


def events(doc: Doc) -> None:
    """The events each sentence reports: the body first, then the headline lines printed at its top,
    which only add names."""
    heads = doc.heads
    order = [st for st in doc.sents if st.s.paragraph not in heads] + [
        st for st in doc.sents if st.s.paragraph in heads]
    trig_re = trigger_pattern()
    for st in order:
        _events_of_sentence(doc.b, st, st.s.paragraph in heads, trig_re)


def merge_early_generic(doc: Doc) -> None:
    """大会闭幕现场 (a caption) before 某县人代会…闭幕: a bare 大会/会议 reported before the event it
    stands for is named is that event, not one of its own."""
    b = doc.b
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
        for st in doc.sents:
            st.event_keys = [later.key if k == e.key else k for k in st.event_keys]
        if later.date is None and later.month_day is None:
            later.date, later.month_day = e.date, e.month_day
        return


def lead_dates(doc: Doc) -> None:
    """Dates nobody stated next to the event: the event it is part of, else the lead's date."""
    b, pub = doc.b, doc.article.publication
    lead = [st for st in doc.sents if st.s.paragraph not in doc.heads][:5]
    lead_date = next(((d, md) for st in lead for d, md, pos in [find_date(st.s.text, pub.date)] if pos >= 0),
                     (None, None))
    for e in b.events:
        if e.date is None and e.month_day is None:
            sup = b.event(e.super_event) if e.super_event else None
            if sup is not None and (sup.date or sup.month_day):
                e.date, e.month_day = sup.date, sup.month_day
            else:
                e.date, e.month_day = lead_date


# ---- one sentence


def _events_of_sentence(b: Builder, st: TaggedSentence, head: bool, trig_re: re.Pattern[str]) -> None:
    text = st.s.text
    voting = bool(VOTE_WORD.search(text) or "当选" in text)
    has_role = bool(trig_re.search(text)) or bool(MEETING_VERB.search(text)) or voting
    found, holder = _held_sessions(text, find_events(text, st.tokens, has_role))
    mentions = [m for m in found if m.reported or head or _outer_of(holder, m) is not None]
    keys: list[tuple[EventMention, str]] = []  # each mention taken, with its event
    for m in mentions:
        if voting and (m.at_phrase or text[m.end : m.end + 1] == "上"):
            if st.venue is None:
                st.venue = m.name
            # 在县第五次党代会上，甲当选…: the congress voted at is reported, when no other one is
            if not (m.type == "Congress" and not m.generic and not any(e.type == "Congress" for e in b.events)):
                continue
        key = _mention_key(b, m, b.evidence(st.s, m.start, m.end), head)
        if key is None:
            continue
        st.events.append(m)
        st.event_keys.append(key)
        keys.append((m, key))
        _describe(b, st, m, b.event(key), _outer_key(holder, keys, m))
    _reception(b, st, mentions)
    _award_ceremony(b, st)


def _held_sessions(
    text: str, found: list[EventMention]
) -> tuple[list[EventMention], list[tuple[EventMention, EventMention]]]:
    """The mentions, and (outer, inner) pairs of 某会议举行主席团第一次会议: the first holds the second.

    A preparatory meeting of the session (主席团会议, 预备会议) is one event named by both (Meeting),
    not a meeting inside a congress event that the article does not report."""
    holder = [(a, c) for a, c in zip(found, found[1:], strict=False) if CONTAINS.fullmatch(text[a.end : c.start])]
    for a, c in zip(found, found[1:], strict=False):
        if _outer_of(holder, c) is a and PREPARATORY.match(c.name) and a.type == "Congress":
            merged = dataclasses.replace(c, name=a.name + c.name, type="Meeting", subtype=None, start=a.start,
                                         reported=True, generic=False)
            found = [merged if x is c else x for x in found if x is not a]
            holder = [(o, i) for o, i in holder if i is not c]
    return found, holder


def _outer_of(holder: list[tuple[EventMention, EventMention]], m: EventMention) -> EventMention | None:
    return next((a for a, c in holder if c is m), None)


def _outer_key(holder: list[tuple[EventMention, EventMention]], keys: list[tuple[EventMention, str]],
               m: EventMention) -> str | None:
    """The event of the mention that holds ``m`` (某会议举行主席团第一次会议), when it was taken."""
    outer = _outer_of(holder, m)
    if outer is None:
        return None
    return next((k for x, k in keys if x is outer), None)


def _mention_key(b: Builder, m: EventMention, ev: Evidence, head: bool) -> str | None:
    """The event a mention names; a headline only adds a name to the event of its type."""
    same = [e for e in b.events if e.type == m.type]
    if head and same:
        key = same[0].key
        b.aliases[key].append(m.name)
        if len(same[0].name) <= 3 and not m.generic:
            same[0].name = m.name  # the body only said 会议; the headline names it
        return key
    if head and not m.reported:
        return None
    return _resolve_event(b, m, ev)


def _describe(b: Builder, st: TaggedSentence, m: EventMention, e: Event, outer_key: str | None) -> None:
    """Date, organisers and place of the event, from the sentence that reports it."""
    pub = b.article.publication
    if outer_key is not None and outer_key != e.key:
        e.super_event = outer_key
        b.focus = b.focus or e.key
        e.organizers = e.organizers or []
        if e.date is None and e.month_day is None:
            d, md, _ = find_date(st.s.text, pub.date)
            e.date, e.month_day = d, md
        return
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


def _reception(b: Builder, st: TaggedSentence, mentions: list[EventMention]) -> None:
    """会见: a meeting of its own when nothing else is reported in the article."""
    mv = MEETING_VERB.search(st.s.text)
    if not mv or mentions or b.events:
        return
    pub = b.article.publication
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


def _award_ceremony(b: Builder, st: TaggedSentence) -> None:
    """An award handed out at a meeting is a ceremony of its own, inside that meeting.

    Not a 表彰 inside a document title 《关于表彰…的决定》, nor prizes handed to unnamed ranks:
    对优秀会员、优秀理事等进行表彰 at a congress is a part of its agenda, not a ceremony of its own."""
    text = st.s.text
    am = AWARD_NAME.search(text)
    named = [am.start()] if am else []
    named += [p.start for p in st.people]
    # the prize or a person in the clause of the award verb (…表彰了10名先进；甲与乙签订了…: nobody named is awarded)
    verbs = [v for v in AWARD_VERB.finditer(TITLE_QUOTE.sub(_blank, text)) if not DESCRIBED_AWARDED.match(
        text, max(0, v.start() - 1))]  # 受表彰的先进人员参加会议: describes who attended
    awarded = any(any(lo <= k < hi for k in named) for lo, hi in (_clause_span(text, v.start()) for v in verbs))
    if not awarded or any(e.type == "AwardCeremony" for e in b.events):
        return
    main = b.main_event()
    name = am.group(1) if am else "颁奖"
    e = b.new_event("AwardCeremony", name, None, b.evidence(st.s, 0, len(st.s.text)))
    if main is not None:
        e.super_event = main.key
        e.date, e.month_day = main.date, main.month_day
    if e.date is None and e.month_day is None:
        d, md, _ = find_date(st.s.text, b.article.publication.date)
        e.date, e.month_day = d, md


def _clause_span(text: str, pos: int) -> tuple[int, int]:
    """The stretch between the semicolons around ``pos`` (the sentence when it has none)."""
    lo = max(text.rfind("；", 0, pos), text.rfind(";", 0, pos)) + 1
    ends = [k for k in (text.find("；", pos), text.find(";", pos)) if k >= 0]
    return lo, min(ends, default=len(text))


def _blank(m: re.Match[str]) -> str:
    """The same number of spaces: masks a span without moving offsets."""
    return " " * len(m.group(0))


def _resolve_event(b: Builder, m: EventMention, ev: Evidence) -> str | None:
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
    named = _named_alike(b, m, same)
    if named is not None:
        return named
    fresh = m.generic and bool(same) and _new_session(b, m, ev, same)
    if m.generic and same and not fresh:
        return same[-1].key
    if m.generic and m.type == "Meeting" and b.main_event() is not None and not fresh:
        return b.main_event().key  # type: ignore[union-attr]
    same = [e for e in same if not _other_body_or_session(m.name, b.aliases[e.key])]
    if same and m.type != "Meeting":
        b.aliases[same[0].key].append(m.name)
        return same[0].key
    e = b.new_event(m.type, m.name, m.subtype, ev)
    main = b.main_event()
    if main is not None and main is not e and m.type == "AwardCeremony" and main.type != "AwardCeremony":
        e.super_event = main.key
    return e.key


SESSION_OF = re.compile(
    r"^(?:中国共产党|中共|共青团)?(?P<body>[\u4e00-\u9fff]*?)第(?P<nth>[\d一二三四五六七八九十百]+)次"
)


def _other_body_or_session(name: str, aliases: list[str]) -> bool:
    """甲镇第十一次代表大会 / 乙乡第十一次代表大会: congresses of two named places, or two sessions of
    one body (第十一次 / 第十二次), are two events even in one article (each town's party congress)."""
    m = SESSION_OF.match(name)
    if not m:
        return False
    for alias in aliases:
        a = SESSION_OF.match(alias)
        if not a:
            continue
        if a.group("nth") != m.group("nth"):
            return True
        x, y = m.group("body"), a.group("body")
        if len(x) >= 2 and len(y) >= 2 and not (x.endswith(y) or y.endswith(x)):
            return True
    return False


def _named_alike(b: Builder, m: EventMention, same: list[Event]) -> str | None:
    """The event of the same type one of whose names holds the mention's, or is held in it."""
    for e in same:
        # a bare 会议 said of one meeting does not make every later 某某会议 the same one
        named = [a for a in b.aliases[e.key] if not (m.generic and a == m.name) and a not in BARE_NAMES]
        if m.name not in BARE_NAMES and any(m.name in a or a in m.name for a in named):
            b.aliases[e.key].append(m.name)
            return e.key
    return None


def _new_session(b: Builder, m: EventMention, ev: Evidence, same: list[Event]) -> bool:
    """当天下午，乙主持召开专题会议: a meeting of another kind, called by its own verb, is another event."""
    if m.name in BARE_NAMES or m.name != m.name.strip() or len(m.name) < 3:
        return False
    start = ev.mention_span.start - ev.sentence_span.start
    if not NEW_SESSION_BEFORE.search(ev.sentence[:start]):
        return False
    return not any(a.endswith(m.name) for e in same for a in b.aliases[e.key])


def _organizers(b: Builder, sent: Sentence, m: EventMention) -> list[str]:
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
        # 我区在某宾馆某厅举行: the venue after 在 is where, not who (the body is before it)
        subj = re.sub(r"在[^在]*$", "", LEAD_TRIM.sub("", om.group(1)))
        for item in re.split(r"[、和]", subj):
            item = item.strip()
            if ends_with_title(item) or "主持" in item:
                continue  # 市委副书记、市长某某主持召开…: the subject is a person, not a body
            if 2 <= len(item) <= 30 and org_kind(expand_local(item, b.locality)) is not None:
                out.append(b.org(item, b.evidence(sent, om.start(1), om.end(1))))
    return out


def headline_paragraphs(article: Article) -> set[int]:
    """Indexes of body paragraphs that repeat the article's headlines (the reader keeps them in the body)."""
    texts = {h.text.strip() for h in article.headlines} | {article.headline.strip()}
    parts = {t for h in texts for t in h.split()}
    out = set()
    for i, para in enumerate(article.body.split("\n")):
        para = para.strip()
        if para and (para in texts or para in parts or any(para in t for t in texts if len(para) >= 4)):
            out.add(i)
    return out
