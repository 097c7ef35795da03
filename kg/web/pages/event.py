"""The event page: date, place, organiser, super- and sub-events, participants by role, grants, articles."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from rdflib import URIRef

from kg.store.base import Store
from kg.web.pages import labels as L
from kg.web.pages.common import (
    KG_AGENT,
    KG_POST,
    KG_ROLE,
    RDF_TYPE,
    Link,
    Linker,
    all_values,
    event_contexts,
    first,
    first_value,
    fmt_date,
    links_of,
    local_nodes,
    lookup,
    name_in,
    node_evidence,
    s,
    types_of,
)
from kg.web.pages.lists import ArticleRef, Grant, article_list, grant_list
from kg.web.pages.paging import Dated, Paging, keep_together
from kg.web.pages.queries import run, values_of
from kg.web.pages.text import Highlight, marks


@dataclass
class Participant:
    agent: Link | None
    agent_kind: str
    post: Link | None
    article: Link | None
    evidence: Highlight | None


@dataclass
class SentenceGroup:
    """Participants of one role stated by one sentence: the sentence is shown once, every mention marked."""

    participants: list[Participant]
    sentence: list[tuple[str, bool]]
    article: Link | None


@dataclass
class RoleGroup:
    role: L.Label
    participants: list[Participant]

    @property
    def by_sentence(self) -> list[SentenceGroup]:
        groups: dict[tuple[str, str], SentenceGroup] = {}
        spans: dict[tuple[str, str], list[tuple[int, int]]] = {}
        out: list[SentenceGroup] = []
        for p in self.participants:
            if p.evidence is None:
                out.append(SentenceGroup([p], [], p.article))
                continue
            text = p.evidence.before + p.evidence.mark + p.evidence.after
            key = (text, p.article.iri if p.article else "")
            a = len(p.evidence.before)
            spans.setdefault(key, []).append((a, a + len(p.evidence.mark)))
            if key not in groups:
                groups[key] = SentenceGroup([], [], p.article)
                out.append(groups[key])
            groups[key].participants.append(p)
        for key, g in groups.items():
            g.sentence = marks(key[0], spans[key])
        return out


@dataclass
class EventPage:
    iri: str
    name: str
    types: list[L.Label]
    date: str
    places: list[Link]
    organizers: list[Link]
    super_events: list[Link]
    sub_events: list[Link]
    evidence: list[str]
    roles: list[RoleGroup]
    participant_count: int
    grants: list[Grant]
    articles: list[ArticleRef]
    articles_paging: Paging
    grants_paging: Paging | None = None
    kind: str = "event"
    context: str = ""  # for a generic name (选举): which one — its enclosing event, organiser, place, date



def event(store: Store, lk: Linker, iri: str, page: int = 1,
          lists: dict[str, int] | None = None) -> EventPage | None:
    """The event page. ``page`` pages the articles (``?page=``), ``lists["grants_page"]`` the grants."""
    lists = lists or {}
    this = URIRef(iri)
    head = run(store, "event", this=this)
    types = types_of(head)
    if not any(L.KIND_OF_CLASS.get(t) == "event" for t in types):
        return None
    groups: dict[str, list[Participant]] = defaultdict(list)
    parts = run(store, "event_participants", this=this)
    nodes = local_nodes(store, values_of(parts, "part"))
    agents = {s(r["part"]): first(nodes, r["part"], KG_AGENT) for r in parts}
    posts = {s(r["part"]): first(nodes, r["part"], KG_POST) for r in parts}
    info = lookup(store, [x for x in (*agents.values(), *posts.values()) if x is not None]
                  + values_of(parts, "article"))
    for r in sorted(parts, key=lambda r: name_in(info, agents[s(r["part"])])):
        node = nodes.get(s(r["part"]), {})
        agent, post = agents[s(r["part"])], posts[s(r["part"])]
        if agent is None:
            continue
        agent_name = name_in(info, agent)
        agent_types = [s(x) for x in info.get(s(agent), {}).get(RDF_TYPE, [])]
        p = Participant(lk.link(agent, agent_name), L.kind_of_classes(agent_types) or "person",
                        lk.link(post, name_in(info, post)), lk.link(r["article"], name_in(info, r["article"])),
                        node_evidence(node, (agent_name,)))
        for role in sorted({s(x) for x in node.get(KG_ROLE, [])}) or ["?"]:
            groups[role].append(p)
    roles = [RoleGroup(L.label(k) if k != "?" else L.Label("角色不详", "role unknown"), v)
             for k, v in sorted(groups.items(), key=lambda kv: L.role_rank(kv[0]))]
    shown = [t for t in types if t not in (L.SCHEMA + "Event",)] or types
    arts, apaging = article_list(store, lk, this, page, Dated(store))
    grants, gpaging = grant_list(store, lk, this, lists.get("grants_page", 1))
    keep_together(apaging, gpaging)
    name, date = s(first_value(head, "name")) or L.local_name(iri), fmt_date(first_value(head, "date"))
    places, organizers = links_of(lk, head, "place", "placeName"), links_of(lk, head, "organizer", "organizerName")
    supers = links_of(lk, head, "super", "superName")
    # said as every link to this event says it (common.event_contexts), under the bare name
    context = L.event_label(name, event_contexts(store, [this]).get(iri)).removeprefix(name).removeprefix(" — ")
    return EventPage(iri, name, [L.label(t) for t in shown], date, places, organizers, supers,
                     links_of(lk, head, "sub", "subName"), all_values(head, "evidence"), roles, len(parts),
                     grants, arts, apaging, gpaging, context=context)


