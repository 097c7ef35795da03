"""The stages after the events: posts from appointments, elections, roles, money, and the last tidying.

Each reads the sentences (their people and the events they report) and sets facts on the builder;
:data:`kg.extract.pipeline.STAGES` says what each one reads and sets.
"""

from __future__ import annotations

import re

from kg.extract.builder import Builder, Doc, TaggedSentence
from kg.extract.elections import ElectedMention, find_appointed, find_elected
from kg.extract.event_stages import MEETING_VERB, VOTE_WORD
from kg.extract.money import find_amounts
from kg.extract.posts import PersonMention
from kg.extract.roles import RoleMention, find_roles, listed_recipients, meeting_guests
from kg.model import Event, MonetaryAmount

PURPOSE = re.compile(r"助学金|奖补资金|奖金|补助|补贴|奖励|资助|经费|资金|捐款|助学款")
# a quoted line, or a long title printed as a slogan (《高举…·奋进…·让…》, the title of a report)
QUOTED_SENTENCE = re.compile(r"“[^“”]*?[，,。！？!?；;][^“”]*?”|《[^《》]{6,}?[，,。！？!?；;·—][^《》]{3,}》")


def appointments(doc: Doc) -> None:
    """Appointments give posts, not elections."""
    b = doc.b
    for st in doc.sents:
        for am in find_appointed(st.s.text, st.people):
            pkey = "person:" + am.person.name
            if pkey in b.people:
                b.add_post(b.people[pkey], am.post, b.evidence(st.s, am.post_start, am.post_end))


def elections(doc: Doc) -> None:
    """One Election per place of voting (the congress's own vote, a plenary held during it …), inside
    the congress; the elected get the post they were elected to."""
    b = doc.b
    elected: list[tuple[TaggedSentence, ElectedMention]] = [
        (st, em) for st in doc.sents for em in find_elected(st.s.text, st.people)]
    if not elected:
        return
    congress = next((e for e in b.events if e.type == "Congress"), None) or b.main_event()
    vm = VOTE_WORD.search(doc.article.body)
    by_venue: dict[tuple[str | None, int], Event] = {}
    for st, em in elected:
        pkey = "person:" + em.person.name
        # 甲 elected to the committee, then its chair at the committee's first meeting: a second vote
        round_ = 0
        while (elec := by_venue.get((st.venue, round_))) is not None and _elected_to_other(elec, pkey, em.post):
            round_ += 1
        if elec is None:
            held = _meeting_reported(b, st, congress) if round_ else None
            name = st.venue or (held.name if held else None) or (vm.group(1) if vm else "选举")
            elec = b.new_event("Election", name, None, b.evidence(st.s, 0, len(st.s.text)))
            outer = held or congress
            if outer is not None:
                elec.super_event = outer.key
            by_venue[(st.venue, round_)] = elec
        if pkey not in b.people:
            continue
        ev = b.evidence(st.s, em.post_start, em.post_end)
        post = b.add_post(b.people[pkey], em.post, ev)
        b.participate(elec, pkey, "Person", ["Elected"], post, b.evidence(st.s, em.person.start, em.person.end))


def _elected_to_other(elec: Event, pkey: str, post: str) -> bool:
    """The person is elected in ``elec`` to another post (the same post said twice is the same vote)."""
    def same(label: str) -> bool:
        return label.endswith(post) or post.endswith(label)

    return any(p.agent == pkey and "Elected" in p.roles and p.post is not None and not same(p.post.label)
               for p in elec.participations)


def _meeting_reported(b: Builder, st: TaggedSentence, congress: Event | None) -> Event | None:
    """The meeting (not the congress) the sentence reports, where a second vote was held."""
    for key in reversed(st.event_keys):
        e = b.event(key)
        if e is not congress and e.type == "Meeting":
            return e
    return None


def roles(doc: Doc) -> None:
    """The roles each sentence gives, in the event it names (else the one last reported); sets each
    sentence's ``recipients`` for the money stage."""
    b = doc.b
    if not b.events:
        return
    last_subject: PersonMention | None = None
    current: str | None = None  # the meeting the article last reported, for sentences naming none
    previous = ""  # the sentence before, for a list of winners that follows it
    for st in doc.sents:
        if st.s.paragraph not in doc.heads:
            current = _current_event(b, st, current)
        mentions = find_roles(st.s.text, st.people, b.locality, last_subject, st.tokens)
        listed = listed_recipients(st.s.text, previous, st.people)
        previous = st.s.text
        for rm in mentions + ([listed] if listed else []):
            target = _target_event(b, st, rm, current)
            if target is not None:
                for event in [target, *_held_with(b, st, target)]:
                    _add_roles(b, st, rm, event)
                _note_recipients(b, st, rm)
        mv = MEETING_VERB.search(st.s.text)
        if mv:
            _meeting_guest(b, st, mv)
        last_subject = _subject_of(st) or last_subject


def _held_with(b: Builder, st: TaggedSentence, target: Event) -> list[Event]:
    """主持召开A会议和B会议: the meetings printed next to the target with only 和/及/与 between them,
    which the same people chair or attend."""
    pairs = list(zip(st.events, st.event_keys, strict=False))
    at = next((i for i, (_m, k) in enumerate(pairs) if k == target.key), None)
    if at is None:
        return []
    out: list[Event] = []
    for step in (1, -1):
        i = at
        while 0 <= i + step < len(pairs):
            left, right = sorted((pairs[i][0], pairs[i + step][0]), key=lambda m: m.start)
            if st.s.text[left.end : right.start] not in ("和", "及", "与"):
                break
            i += step
            if pairs[i][1] != target.key:
                out.append(b.event(pairs[i][1]))
    return out


def _current_event(b: Builder, st: TaggedSentence, current: str | None) -> str | None:
    """The last top-level event (not an election) the sentence names, else the one before (a bare 会议
    refers back to the one last named, not to the article's first)."""
    named = [k for m, k in zip(st.events, st.event_keys, strict=False) if not m.generic] or (
        [] if current is not None else st.event_keys)
    tops = [k for k in named if b.event(k).super_event is None or k == b.focus]
    if tops and b.event(tops[-1]).type != "Election":
        return tops[-1]
    return current


def _subject_of(st: TaggedSentence) -> PersonMention | None:
    """The person a sentence opens with (what 他/她 of the next ones refers to), or who opens its first
    clause after a phrase of time or place (在全市某某视频连线活动中，甲介绍了…)."""
    if not st.people:
        return None
    first = st.people[0]
    lead = st.s.text[: first.posts[0].start if first.posts else first.start]
    return first if len(re.split(r"[，,]", lead)[-1].strip(" ")) <= 12 else None


def _note_recipients(b: Builder, st: TaggedSentence, rm: RoleMention) -> None:
    if "Recipient" in rm.roles:
        st.recipients.extend(
            [("person:" + p.name, rm.start) for p in rm.people if "person:" + p.name in b.people]
            + [("org:" + o.name, rm.start) for o in rm.orgs]
        )


def _target_event(b: Builder, st: TaggedSentence, rm: RoleMention, current: str | None = None) -> Event | None:
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


def _add_roles(b: Builder, st: TaggedSentence, rm: RoleMention, event: Event) -> None:
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


GENERIC_GUEST_AFTER = re.compile(r"(?:亲切|热情)?(?:了)?(?:来访的|远道而来的)?(?:客人|来宾|嘉宾|客商)(?:一行)?")


def _meeting_guest(b: Builder, st: TaggedSentence, mv: re.Match[str]) -> None:
    target = next((e for e in b.events if e.subtype == "Reception"), None)
    if target is None:
        return
    guest = meeting_guests(st.s.text, mv.start())
    if not guest:
        # 甲一行来我市考察，市委书记乙会见了客人: the guests named before, as the party 一行 leads
        if GENERIC_GUEST_AFTER.match(st.s.text, mv.end()):
            for p in st.people:
                if p.end <= mv.start() and st.s.text.startswith("一行", p.end) and "person:" + p.name in b.people:
                    b.participate(target, "person:" + p.name, "Person", ["Participant"], None,
                                  b.evidence(st.s, p.start, p.end))
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


def money(doc: Doc) -> None:
    """Amounts, linked to the ceremony (or the meeting) they were granted at, their receiver and what
    they pay for; an amount in a headline only when the body does not state it."""
    b = doc.b
    seen: set[tuple[float, str]] = set()
    award = next((e for e in b.events if e.type == "AwardCeremony"), None) or b.main_event()
    funder = award.organizers[0] if award is not None and award.organizers else None
    for st in doc.sents:
        here: set[tuple[float, str]] = set()
        for a in find_amounts(st.s.text):
            # an amount said again in a later sentence (or the headline) is the same money; printed twice in
            # one sentence (甲捐款5万元；乙、丙各捐款5万元) it is two sums
            if (a.value, a.currency) in seen and (a.value, a.currency) not in here:
                continue
            seen.add((a.value, a.currency))
            here.add((a.value, a.currency))
            receivers = _receivers(st, a.start)
            pm = PURPOSE.search(st.s.text, max(0, a.start - 6), a.end + 6)
            b.amounts.append(MonetaryAmount(
                a.value, a.text, a.currency,
                recipient=receivers[0] if len(receivers) == 1 else None,
                funder=funder,
                event=award.key if award else None,
                purpose=pm.group(0) if pm else None,
                evidence=b.evidence(st.s, a.start, a.end),
            ))
    article = doc.article
    for head in [article.headline] + [h.text for h in article.headlines]:
        for a in find_amounts(head or ""):
            if (a.value, a.currency) not in seen:
                seen.add((a.value, a.currency))
                b.amounts.append(MonetaryAmount(a.value, a.text, a.currency, funder=funder,
                                                event=award.key if award else None))


def _receivers(st: TaggedSentence, at: int) -> list[str]:
    """The receivers of an amount: named in the same clause, never for a total."""
    text = st.s.text
    if re.search(r"(总额|共计|合计|总计|累计)[达为]?$", text[:at]):
        return []
    # one receiver named by two triggers (某奖获得者甲, 对甲颁发) is one
    return list(dict.fromkeys(
        k for k, pos in st.recipients if not re.search(r"[，,；;]", text[min(pos, at) : max(pos, at)])
    ))


def current_posts(doc: Doc) -> None:
    """A participant's post as finally printed (镇长 replaced by the fuller 某镇人民政府镇长)."""
    b = doc.b
    for e in b.events:
        for part in e.participations:
            if part.post is not None and part.agent_kind == "Person":
                part.post = b.current_post(part.agent, part.post)


def drop_quoted_words(doc: Doc) -> None:
    """“杨柳轻吐绿芽眉，…。”: words of a quoted line (verse, a slogan) that the tagger read as a name.

    A person counts only if named somewhere outside a quoted sentence, holds a post, or takes part in
    something; a name seen nowhere but inside quoted sentences is dropped (leaving a fact out rather
    than inventing a person)."""
    b = doc.b
    quotes = [(m.start(), m.end()) for m in QUOTED_SENTENCE.finditer(doc.article.body)]
    if not quotes:
        return
    acting = {part.agent for e in b.events for part in e.participations}
    for key, p in list(b.people.items()):
        if p.posts or key in acting or not p.mentions:
            continue
        if all(any(a < ev.mention_span.start and ev.mention_span.end < z for a, z in quotes) for ev in p.mentions):
            del b.people[key]


def printed_forms(doc: Doc) -> None:
    """约翰・史密斯 as printed (another middle dot) is also the person's name."""
    if doc.article.body == doc.printed:
        return
    for p in doc.b.people.values():
        for ev in p.mentions[:1]:
            form = doc.printed[ev.mention_span.start : ev.mention_span.end]
            if form != p.name and form not in p.alternate_names:
                p.alternate_names.append(form)
