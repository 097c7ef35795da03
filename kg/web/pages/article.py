"""The article page: header, credits, the text with every mentioned name linked, and the review
of what was read from it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import URIRef

from kg.store.base import Store
from kg.web.pages import labels as L
from kg.web.pages.common import (
    Link,
    Linker,
    all_values,
    first_value,
    fmt_date,
    fmt_yuan,
    n,
    roles_of,
    s,
)
from kg.web.pages.queries import Row, run
from kg.web.pages.sentences import Runs, Sentence, anchor, excerpt, locate, paragraphs, row_marks


@dataclass
class Credit:
    role: L.Label
    person: Link | None


@dataclass
class Mention:
    link: Link
    kind: str
    names: list[str]


@dataclass
class Fact:
    event: Link | None
    event_date: str
    agent: Link | None
    roles: list[L.Label]
    post: Link | None
    evidence: str
    anchor: str = ""  # id of the evidence sentence in the text (``s-<offset>``); empty when not found
    excerpt: Runs = field(default_factory=list)  # the evidence, this row's words marked, long stretches cut


@dataclass
class Holding:
    person: Link | None
    post: Link | None
    org: Link | None
    evidence: str
    anchor: str = ""
    excerpt: Runs = field(default_factory=list)


@dataclass
class Amount:
    amount: str
    text: str
    recipient: Link | None
    funder: Link | None
    event: Link | None
    purpose: str
    evidence: str
    anchor: str = ""
    excerpt: Runs = field(default_factory=list)


@dataclass
class ArticlePage:
    iri: str
    headline: str
    kickers: list[str]
    subtitles: list[str]
    date: str
    publisher: Link | None
    locality: str
    source: str
    credits: list[Credit]
    paragraphs: list[list[Sentence]]
    entities: dict[str, Mention]
    mentions_by_kind: dict[str, list[Mention]]
    facts: list[Fact]
    holdings: list[Holding]
    amounts: list[Amount]
    open_questions: list[str]
    kind: str = "article"
    url: str = ""  # where the article was published (schema:url), shown as a link: a journalist cites it
    pagination: str = ""  # 版次


CREDIT_ORDER = [L.KG + "reporter", L.KG + "correspondent", L.SCHEMA + "author", L.KG + "photographer"]


def article(store: Store, lk: Linker, iri: str, page: int = 1) -> ArticlePage | None:
    this = URIRef(iri)
    head = run(store, "article", this=this)
    if not head:
        return None
    credits_rows = run(store, "article_credits", this=this)
    specific = {s(r["person"]) for r in credits_rows if s(r["prop"]) in (L.KG + "reporter", L.KG + "correspondent")}
    credits = [Credit(L.label(s(r["prop"])), lk.link(r["person"], r["name"]))
               for r in sorted(credits_rows, key=lambda r: (CREDIT_ORDER.index(s(r["prop"])), s(r["name"])))
               if not (s(r["prop"]) == L.SCHEMA + "author" and s(r["person"]) in specific)]
    entities: dict[str, Mention] = {}
    names: dict[str, str] = {}
    for r in run(store, "article_mentions", this=this):
        key = s(r["entity"])
        kind = L.KIND_OF_CLASS.get(s(r["type"])) if r["type"] is not None else None
        m = entities.get(key)
        if m is None:
            m = entities[key] = Mention(lk.link(r["entity"], r["name"]), kind or lk.kind(key) or "other", [])  # type: ignore[arg-type]
        elif kind and m.kind == "other":
            m.kind = kind
        if s(r["name"]) not in m.names:
            m.names.append(s(r["name"]))
        names.setdefault(s(r["name"]), key)
    body = s(first_value(head, "body"))
    by_kind: dict[str, list[Mention]] = defaultdict(list)
    for m in sorted(entities.values(), key=lambda m: m.link.text):
        by_kind[m.kind].append(m)
    fact_rows = run(store, "article_facts", this=this)
    facts = [Fact(lk.link(r["event"], r["eventName"]), fmt_date(r["eventDate"]), lk.link(r["agent"], r["agentName"]),
                  roles_of(r["roles"]), lk.link(r["post"], r["postLabel"]), s(r["evidence"]))
             for r in fact_rows]
    holding_rows = run(store, "article_holdings", this=this)
    holdings = [Holding(lk.link(r["person"], r["name"]), lk.link(r["post"], r["label"]),
                        lk.link(r["org"], r["orgName"]), s(r["evidence"]))
                for r in holding_rows]
    amount_rows = run(store, "article_amounts", this=this)
    amounts = [Amount(fmt_yuan(r["value"]), s(r["text"]), lk.link(r["recipient"], r["recipientName"]),
                      lk.link(r["funder"], r["funderName"]), lk.link(r["event"], r["eventName"]), s(r["purpose"]),
                      s(r["evidence"]))
               for r in amount_rows]

    def said(*links: Link | None) -> list[str]:
        """The words of a row's cells as they may be written: the names an entity has in this article."""
        out: list[str] = []
        for link in links:
            if link is not None:
                out += [link.text, *(entities[link.iri].names if link.iri in entities else [])]
        return out

    tied = [(f, r, said(f.agent, f.post, f.event)) for f, r in zip(facts, fact_rows, strict=True)]
    tied += [(h, r, said(h.person, h.post, h.org)) for h, r in zip(holdings, holding_rows, strict=True)]
    tied += [(a, r, [a.text, *said(a.recipient, a.funder)]) for a, r in zip(amounts, amount_rows, strict=True)]
    headline = s(first_value(head, "headline"))
    kickers, subtitles = all_values(head, "kicker"), all_values(head, "subtitle")
    heads = {"headline": [headline], "kicker": kickers, "subtitle": subtitles}
    cuts = tie(body, tied, {f"{k}-{i}": text for k, texts in heads.items() for i, text in enumerate(texts)})
    return ArticlePage(iri, headline, kickers, subtitles,
                       fmt_date(first_value(head, "date")),
                       lk.link(first_value(head, "publisher"), first_value(head, "publisherName")),
                       s(first_value(head, "locality")), s(first_value(head, "sourceFile")), credits,
                       paragraphs(body, names, cuts),
                       entities,
                       dict(by_kind), facts, holdings, amounts,
                       open_questions(entities, facts, holdings, amounts, credits),
                       url=web_url(s(first_value(head, "url"))), pagination=s(first_value(head, "pagination")))


def tie(body: str, tied: list[tuple[Fact | Holding | Amount, Row, Iterable[str]]],
        heads: dict[str, str] | None = None) -> set[int]:
    """Give each row the anchor of its evidence sentence in ``body`` and the excerpt with its words marked;
    return the body offsets where those sentences start and end (the text is cut there). Evidence read
    from a headline, kicker or subtitle (``heads``: anchor id → text) links to that line instead."""
    where = locate(body, [(r.evidence, n(row.get("es"))) for r, row, _ in tied])
    cuts: set[int] = set()
    for (r, row, words), pos in zip(tied, where, strict=True):
        if not r.evidence:
            continue
        r.excerpt = excerpt(row_marks(r.evidence, n(row.get("es")), n(row.get("ms")), n(row.get("me")), words))
        if pos is not None:
            r.anchor = anchor(pos)
            cuts |= {pos, pos + len(r.evidence)}
        else:
            r.anchor = next((key for key, text in (heads or {}).items() if r.evidence in text), "")
    return cuts


def web_url(url: str) -> str:
    """Only http(s) URLs become links (a stored ``javascript:`` IRI, written by SPARQL Update, must not)."""
    return url if url.lower().startswith(("http://", "https://")) else ""


def open_questions(entities: dict[str, Mention], facts: list[Fact], holdings: list[Holding],
                   amounts: list[Amount], credits: list[Credit]) -> list[str]:
    """What the extraction left undecided, for a reviewer: undated events, roleless or postless facts …"""
    out: list[str] = []
    seen_events = {f.event.iri for f in facts if f.event}
    for m in entities.values():
        if m.kind == "event" and m.link.iri not in seen_events:
            out.append(f"事件「{m.link.text}」没有参与者 / event without participants")
    for f in facts:
        who = f.agent.text if f.agent else "?"
        what = f.event.text if f.event else "?"
        if not f.roles:
            out.append(f"{who} 在「{what}」中的角色不详 / role unknown")
        if "年份不详" in f.event_date:
            out.append(f"「{what}」的年份不详 / year unknown")
        if not f.evidence:
            out.append(f"{who} 在「{what}」中的参与没有证据原句 / no evidence sentence")
    for h in holdings:
        if h.org is None and h.post is not None:
            who = h.person.text if h.person else "?"
            out.append(f"{who} 的职务「{h.post.text}」未确定所属机构 / post without organisation")
    for a in amounts:
        if a.recipient is None and a.event is None and a.funder is None:
            out.append(f"金额 {a.text or a.amount} 未关联到资助或事件 / amount not linked to a grant")
    active = {f.agent.iri for f in facts if f.agent} | {h.person.iri for h in holdings if h.person}
    active |= {c.person.iri for c in credits if c.person}
    for m in entities.values():
        if m.kind == "person" and m.link.iri not in active:
            out.append(f"人物「{m.link.text}」只被提及，无职务或参与 / person named without post or role")
    return list(dict.fromkeys(out))


