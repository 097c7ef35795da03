"""Chinese and English labels of classes, properties and roles, read from the ontology files once."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import rdflib
from rdflib.namespace import RDFS, SKOS

from kg.rdf.kinds import KIND_OF_CLASS as _KIND_OF_CLASS
from kg.resources import ONTOLOGY_DIR

KG = "https://w3id.org/newskg/ontology#"
SCHEMA = "https://schema.org/"
ORG = "http://www.w3.org/ns/org#"

# What an entity page is for each class (the path segment of its IRI).
KIND_OF_CLASS = _KIND_OF_CLASS
FALLBACK = {  # used when the ontology files are not at hand
    SCHEMA + "Person": ("人物", "person"),
    SCHEMA + "Organization": ("机构", "organization"),
    SCHEMA + "NewsMediaOrganization": ("报社", "news media organisation"),
    SCHEMA + "Event": ("事件", "event"),
    SCHEMA + "NewsArticle": ("新闻文章", "news article"),
    ORG + "Post": ("职务", "post"),
}


@dataclass(frozen=True)
class Label:
    """A term's labels: ``zh`` and ``en`` (either may repeat the local name if missing)."""

    zh: str
    en: str

    def __str__(self) -> str:
        return self.zh if self.zh == self.en else f"{self.zh} {self.en}"


ORG_KINDS = {  # kg:orgKind values (kg.extract.orgs) as a reader says them
    "party": Label("党组织", "party"), "party-dp": Label("民主党派", "democratic party"),
    "legislature": Label("人大", "legislature"), "cppcc": Label("政协", "CPPCC"),
    "government": Label("政府机关", "government"), "company": Label("企业", "company"),
    "university": Label("高校", "university"), "institute": Label("研究机构", "institute"),
    "mass-org": Label("群团组织", "mass organisation"), "community": Label("街道社区", "community"),
}


def org_kind(kind: str) -> Label:
    """The labels of an organisation kind (an unknown kind as written)."""
    return ORG_KINDS.get(kind, Label(kind, kind))


def local_name(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


@cache
def _table() -> dict[str, Label]:
    g = rdflib.Graph()
    for name in ("newskg.ttl", "roles.ttl"):
        path = ONTOLOGY_DIR / name
        if path.exists():
            g.parse(path, format="turtle")
    found: dict[str, dict[str, str]] = {}
    for prop in (SKOS.prefLabel, RDFS.label):
        for s, o in g.subject_objects(prop):
            if isinstance(o, rdflib.Literal) and o.language in ("zh", "en"):
                found.setdefault(str(s), {}).setdefault(o.language, str(o))
    out = {iri: Label(*pair) for iri, pair in FALLBACK.items()}
    for iri, langs in found.items():
        name = local_name(iri)
        out[iri] = Label(langs.get("zh", name), langs.get("en", name))
    return out


def label(iri: str) -> Label:
    """The labels of a class, property or role IRI (its local name when the ontology has none)."""
    found = _table().get(str(iri))
    if found is not None:
        return found
    name = local_name(str(iri))
    return Label(name, name)


def kind_of_classes(classes: list[str]) -> str | None:
    """The page kind of an entity with these classes (first match wins)."""
    for c in classes:
        if c in KIND_OF_CLASS:
            return KIND_OF_CLASS[c]
    return None


ROLE_ORDER = ["Chair", "Speaker", "Attendee", "Presenter", "Participant", "Observer", "AwardPresenter",
              "Recipient", "Elected"]


def role_rank(iri: str) -> int:
    """Order of roles on an event page: chairs first, then speakers, attendees …"""
    name = local_name(iri)
    return ROLE_ORDER.index(name) if name in ROLE_ORDER else len(ROLE_ORDER)


@dataclass(frozen=True)
class EventContext:
    """What tells an event of a generic name from its namesakes: the events it is part of, its organisers,
    places and date (names as printed; several of a kind are kept in a stable order)."""

    super_events: tuple[str, ...] = ()
    organizers: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    date: str = ""

    def text(self) -> str:
        """"青禾市第十届人民代表大会第三次会议, 2023-01-05": the enclosing event first, then an organiser and
        a place not already said by a name before them, then the date."""
        said: list[str] = []
        for name in (*self.super_events[:1], *self.organizers[:1], *self.places[:1]):
            if name and not any(name in x for x in said):
                said.append(name)
        return ", ".join([*said, *([self.date] if self.date else [])])


def is_generic_event(name: str) -> bool:
    """Whether an event's name says nothing of which event it is (the rules file's ``generic_events``)."""
    from kg.rdf.identity import is_generic_event as generic

    return generic(name)


def event_label(name: str, context: EventContext | None) -> str:
    """How an event is named wherever a page shows it: a generic name with its context ("选举 — 青禾市第十届
    人民代表大会第三次会议, 2023-01-05", so two 选举 can be told apart), any other name as it is."""
    extra = context.text() if context is not None and is_generic_event(name) else ""
    return f"{name} — {extra}" if extra else name
