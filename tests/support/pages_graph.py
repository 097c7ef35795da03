"""A small hand-made knowledge graph for the page tests: two articles of an invented city paper.

Names are invented. Offsets (kg:evidenceStart, kg:mentionStart/End) are computed from the article
text the same way the mapper writes them (source offsets; here the body starts at source offset 0),
so the pages' mention highlighting is tested against real numbers.
"""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD

from kg.rdf import iris
from kg.rdf.namespaces import KG, ORG, SCHEMA
from kg.store.base import GraphUpdate

BASE = "http://kg.test"

ART1_BODY = (
    "本报讯(记者 赵一鸣) 1月12日,示例市人才工作会议举行。省委常委、市委书记李明远出席并讲话。"
    "市委副书记、市长王晓红主持。\n"
    "会上,示例锅炉集团作交流发言;为青年人才代表陈立颁发“人才引育贡献奖”,发放人才补贴1.14亿元。"
)
ART2_BODY = "本报讯 2021年6月1日,示例市委常委会召开。市委书记王晓红主持会议。李明远出席。"


def zh(text: str) -> Literal:
    return Literal(text, lang="zh")


def person(base: str, name: str) -> URIRef:
    """A hand-made graph: plain pinyin ids keep the page tests readable (minting is tested in test_identity)."""
    return URIRef(iris.iri(base, "person", iris.slug(name)))


def node(base: str, kind: str, ident: str) -> URIRef:
    return URIRef(iris.iri(base, kind, ident))


class _Graph:
    def __init__(self, iri: URIRef, body: str) -> None:
        self.iri = iri
        self.body = body
        self.t: list[tuple] = []
        self.n = 0

    def add(self, s, p, o) -> None:
        self.t.append((s, p, o))

    def local(self, kind: str) -> URIRef:
        self.n += 1
        return URIRef(f"{self.iri}#{kind}-{self.n}")

    def evidence(self, s: URIRef, sentence: str, mention: str) -> None:
        es = self.body.index(sentence)
        ms = es + sentence.index(mention)
        self.add(s, KG.evidence, zh(sentence))
        self.add(s, KG.evidenceStart, Literal(es))
        self.add(s, KG.evidenceEnd, Literal(es + len(sentence)))
        self.add(s, KG.mentionStart, Literal(ms))
        self.add(s, KG.mentionEnd, Literal(ms + len(mention)))

    def person(self, base: str, name: str) -> URIRef:
        p = person(base, name)
        self.add(p, RDF.type, SCHEMA.Person)
        self.add(p, SCHEMA.name, zh(name))
        self.add(p, KG.pinyin, Literal(iris.pinyin(name)))
        self.add(self.iri, SCHEMA.mentions, p)
        return p

    def org(self, base: str, name: str, kind: str | None = None) -> URIRef:
        o = node(base, "organization", iris.slug(name))
        self.add(o, RDF.type, SCHEMA.Organization)
        self.add(o, SCHEMA.name, zh(name))
        if kind:
            self.add(o, KG.orgKind, Literal(kind))
        self.add(self.iri, SCHEMA.mentions, o)
        return o

    def post(self, base: str, label: str, org: URIRef, scope: str) -> URIRef:
        p = node(base, "post", iris.slug(scope + label, 80))
        self.add(p, RDF.type, ORG.Post)
        self.add(p, RDFS.label, zh(label))
        self.add(p, ORG.postIn, org)
        return p

    def holds(self, who: URIRef, post: URIRef, sentence: str, mention: str) -> None:
        self.add(who, ORG.holds, post)
        h = self.local("holding")
        self.add(h, RDF.type, KG.PostHolding)
        self.add(h, KG.holder, who)
        self.add(h, KG.heldPost, post)
        self.add(h, PROV.wasDerivedFrom, self.iri)
        self.add(who, KG.postHolding, h)
        self.evidence(h, sentence, mention)

    def participates(self, event: URIRef, who: URIRef, roles: list[str], post: URIRef | None,
                     sentence: str, mention: str) -> None:
        p = self.local("participation")
        self.add(event, KG.participation, p)
        self.add(p, RDF.type, KG.Participation)
        self.add(p, KG.agent, who)
        for r in roles:
            self.add(p, KG.role, KG[r])
        if post is not None:
            self.add(p, KG.post, post)
        self.add(p, PROV.wasDerivedFrom, self.iri)
        self.evidence(p, sentence, mention)

    def article(self, base: str, headline: str, date: str, paper: str = "示例日报") -> None:
        a = self.iri
        self.add(a, RDF.type, SCHEMA.NewsArticle)
        self.add(a, SCHEMA.headline, zh(headline))
        self.add(a, SCHEMA.datePublished, Literal(date, datatype=XSD.date))
        pub = node(base, "organization", iris.slug(paper))
        self.add(pub, RDF.type, SCHEMA.Organization)
        self.add(pub, RDF.type, SCHEMA.NewsMediaOrganization)
        self.add(pub, SCHEMA.name, zh(paper))
        self.add(a, SCHEMA.publisher, pub)
        self.add(a, KG.locality, zh("示例市"))
        self.add(a, SCHEMA.articleBody, zh(self.body))
        self.add(a, KG.sourceFile, Literal("example.txt"))


def article_iris(base: str = BASE) -> tuple[URIRef, URIRef]:
    return (node(base, "article", iris.article_id("示例日报|2022-01-13|人才", "2022-01-13")),
            node(base, "article", iris.article_id("示例日报|2021-06-02|常委会", "2021-06-02")))


def event_iris(base: str = BASE) -> tuple[URIRef, URIRef, URIRef]:
    return (node(base, "event", iris.event_id("示例市人才工作会议", "2022-01-12", "示例市")),
            node(base, "event", iris.event_id("人才引育贡献奖颁奖", "2022-01-12", "示例市")),
            node(base, "event", iris.event_id("示例市委常委会", "2021-06-01", "示例市")))


def build(
    base: str = BASE, headline: str = "加快人才高地建设", names: dict[str, str] | None = None
) -> list[GraphUpdate]:
    """The two article graphs. ``names`` renames people (the XSS test puts markup in them)."""
    nm = {"李明远": "李明远", "王晓红": "王晓红", "陈立": "陈立", "赵一鸣": "赵一鸣"} | (names or {})
    a1_iri, a2_iri = article_iris(base)
    meeting, award, standing = event_iris(base)

    body1 = ART1_BODY
    for k, v in nm.items():
        body1 = body1.replace(k, v)
    g1 = _Graph(a1_iri, body1)
    g1.article(base, headline, "2022-01-13")
    g1.add(a1_iri, KG.kicker, zh("李明远在示例市人才工作会议上强调"))
    li, wang, chen, zhao = (g1.person(base, nm[k]) for k in ("李明远", "王晓红", "陈立", "赵一鸣"))
    g1.add(a1_iri, SCHEMA.author, zhao)
    g1.add(a1_iri, KG.reporter, zhao)
    party = g1.org(base, "中共示例市委", "party")
    gov = g1.org(base, "示例市人民政府", "government")
    boiler = g1.org(base, "示例锅炉集团", "company")
    secretary = g1.post(base, "市委书记", party, "中共示例市委")
    deputy = g1.post(base, "市委副书记", party, "中共示例市委")
    mayor = g1.post(base, "市长", gov, "示例市人民政府")
    s1 = f"省委常委、市委书记{nm['李明远']}出席并讲话。"
    s2 = f"市委副书记、市长{nm['王晓红']}主持。"
    s3 = f"会上,示例锅炉集团作交流发言;为青年人才代表{nm['陈立']}颁发“人才引育贡献奖”,发放人才补贴1.14亿元。"
    g1.holds(li, secretary, s1, nm["李明远"])
    g1.holds(wang, deputy, s2, nm["王晓红"])
    g1.holds(wang, mayor, s2, nm["王晓红"])
    for ev, name, cls in ((meeting, "示例市人才工作会议", KG.Meeting), (award, "人才引育贡献奖颁奖", KG.AwardCeremony)):
        g1.add(ev, RDF.type, cls)
        g1.add(ev, SCHEMA.name, zh(name))
        g1.add(ev, SCHEMA.startDate, Literal("2022-01-12", datatype=XSD.date))
        g1.add(a1_iri, SCHEMA.about, ev)
        g1.add(a1_iri, SCHEMA.mentions, ev)
    g1.add(meeting, SCHEMA.organizer, party)
    g1.add(award, SCHEMA.superEvent, meeting)
    g1.add(meeting, SCHEMA.subEvent, award)
    g1.evidence(meeting, "1月12日,示例市人才工作会议举行。", "示例市人才工作会议")
    g1.participates(meeting, li, ["Attendee", "Speaker"], secretary, s1, nm["李明远"])
    g1.participates(meeting, wang, ["Chair"], mayor, s2, nm["王晓红"])
    g1.participates(meeting, boiler, ["Presenter"], None, s3, "示例锅炉集团")
    g1.participates(award, chen, ["Recipient"], None, s3, nm["陈立"])
    amount = g1.local("amount")
    g1.add(amount, RDF.type, SCHEMA.MonetaryAmount)
    g1.add(amount, SCHEMA.value, Literal("114000000", datatype=XSD.decimal))
    g1.add(amount, SCHEMA.currency, Literal("CNY"))
    g1.add(amount, KG.amountText, zh("1.14亿元"))
    g1.add(amount, PROV.wasDerivedFrom, a1_iri)
    g1.evidence(amount, s3, "1.14亿元")
    grant = g1.local("grant")
    g1.add(grant, RDF.type, SCHEMA.MonetaryGrant)
    g1.add(grant, SCHEMA.amount, amount)
    g1.add(grant, SCHEMA.funder, gov)
    g1.add(grant, KG.recipient, boiler)
    g1.add(grant, KG.grantedAt, award)
    g1.add(grant, KG.purpose, zh("人才补贴"))
    g1.add(grant, PROV.wasDerivedFrom, a1_iri)

    g2 = _Graph(a2_iri, ART2_BODY)
    g2.article(base, "示例市委常委会召开", "2021-06-02")
    wang2 = g2.person(base, nm["王晓红"])
    li2 = g2.person(base, nm["李明远"])
    party2 = g2.org(base, "中共示例市委", "party")
    secretary2 = g2.post(base, "市委书记", party2, "中共示例市委")
    s4 = "市委书记王晓红主持会议。"
    g2.holds(wang2, secretary2, s4, "王晓红")
    g2.add(standing, RDF.type, KG.Meeting)
    g2.add(standing, RDF.type, KG.StandingCommitteeMeeting)
    g2.add(standing, SCHEMA.name, zh("示例市委常委会"))
    g2.add(standing, SCHEMA.startDate, Literal("2021-06-01", datatype=XSD.date))
    g2.add(standing, SCHEMA.organizer, party2)
    g2.add(a2_iri, SCHEMA.about, standing)
    g2.add(a2_iri, SCHEMA.mentions, standing)
    g2.participates(standing, wang2, ["Chair"], secretary2, s4, "王晓红")
    g2.participates(standing, li2, ["Attendee"], None, "李明远出席。", "李明远")
    return [GraphUpdate(str(a1_iri), g1.t), GraphUpdate(str(a2_iri), g2.t)]


# ---------------------------------------------------------------- a busy person (issue 17)

BUSY_NAME = "高远航"
BUSY_ORGANISER = "示例会务中心"  # organises all 80 meetings (an organisation with more events than a page)
# (post, organisation, first article date, days between articles, articles): 80 statements of four posts.
# The latest statement is 2021-06-21 (书记); 主任 was last stated 233 days before it (current: within a
# year), 市长 579 days before (earlier), 局长 in 2018 (earlier).
BUSY_POSTS = [("书记", "示例市委", "2020-01-10", 12, 45), ("市长", "示例市人民政府", "2019-01-05", 11, 30),
              ("主任", "示例市人大常委会", "2020-09-01", 30, 3), ("局长", "示例市教育局", "2018-03-01", 61, 2)]
# the summary rows the page must show: post, organisation, first, last, statements, current
BUSY_SUMMARY = [("书记", "示例市委", "2020-01-10", "2021-06-21", 45, True),
                ("主任", "示例市人大常委会", "2020-09-01", "2020-10-31", 3, True),
                ("市长", "示例市人民政府", "2019-01-05", "2019-11-20", 30, False),
                ("局长", "示例市教育局", "2018-03-01", "2018-05-01", 2, False)]


def busy(base: str = BASE) -> list[GraphUpdate]:
    """Eighty article graphs about one invented busy person: each states one post (with a sentence)
    and has them attend one dated meeting (so the timeline has 80 entries too)."""
    from datetime import date, timedelta

    out = []
    i = 0
    for label, org_name, start, step, count in BUSY_POSTS:
        for k in range(count):
            day = (date.fromisoformat(start) + timedelta(days=step * k)).isoformat()
            sentence = f"{org_name}{label}{BUSY_NAME}出席第{i}次会议。"
            a = node(base, "article", f"busy-{i:03d}")
            g = _Graph(a, "本报讯 " + sentence)
            g.article(base, f"第{i}次会议召开", day)
            who = g.person(base, BUSY_NAME)
            post = g.post(base, label, g.org(base, org_name), org_name)
            g.holds(who, post, sentence, BUSY_NAME)
            ev = node(base, "event", f"busy-e{i:03d}")
            g.add(ev, RDF.type, KG.Meeting)
            g.add(ev, SCHEMA.name, zh(f"第{i}次会议"))
            g.add(ev, SCHEMA.startDate, Literal(day, datatype=XSD.date))
            g.add(a, SCHEMA.about, ev)
            organiser = g.org(base, BUSY_ORGANISER)
            g.add(ev, SCHEMA.organizer, organiser)
            grant, amount = g.local("grant"), g.local("amount")  # 1,000 yuan times (i + 1): 80 grants
            g.add(grant, RDF.type, SCHEMA.MonetaryGrant)
            g.add(grant, SCHEMA.amount, amount)
            g.add(grant, SCHEMA.funder, organiser)
            g.add(grant, KG.recipient, who)
            g.add(grant, KG.grantedAt, ev)
            g.add(amount, RDF.type, SCHEMA.MonetaryAmount)
            g.add(amount, SCHEMA.value, Literal(str(1000 * (i + 1)), datatype=XSD.decimal))
            g.add(amount, SCHEMA.currency, Literal("CNY"))
            g.add(amount, KG.amountText, zh(f"{i + 1}千元"))
            g.participates(ev, who, ["Attendee"], post, sentence, BUSY_NAME)
            out.append(GraphUpdate(str(a), g.t))
            i += 1
    return out
