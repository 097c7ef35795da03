"""Helpers for the extraction tests: build an Article from a body, as the reader would."""

from __future__ import annotations

import datetime as dt

from kg.model import Article, Extraction, Publication, Segment


def article(body: str, date: str | None = "2023-05-20", locality: str | None = "临川市", headline: str = "") -> Article:
    pub = Publication("测试日报", dt.date.fromisoformat(date) if date else None, locality)
    return Article(headline=headline or body[:10], body=body, segments=[Segment(0, 0, len(body))], publication=pub)


def roles_of(x: Extraction, name: str, etype: str | None = None) -> set[str]:
    """Every role the person or organisation named ``name`` takes in the extraction's events."""
    keys = {p.key for p in x.people if p.name == name} | {o.key for o in x.organizations if o.name == name}
    out: set[str] = set()
    for e in x.events:
        if etype and e.type != etype:
            continue
        for part in e.participations:
            if part.agent in keys:
                out |= set(part.roles)
    return out


def posts_of(x: Extraction, name: str) -> list[str]:
    return [p.label for person in x.people if person.name == name for p in person.posts]
