"""The role mention both role readers produce: the trigger walk (:mod:`roles`) and the prize patterns
(:mod:`prizes`); kept apart so neither imports the other."""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.extract.orgs import OrgMention
from kg.extract.posts import PersonMention


@dataclass
class RoleMention:
    roles: list[str]
    people: list[PersonMention] = field(default_factory=list)
    orgs: list[OrgMention] = field(default_factory=list)
    start: int = 0  # trigger offsets in the sentence
    end: int = 0
    trigger: str = ""


def chain_start(person: PersonMention) -> int:
    """Where a person's mention begins with the posts printed before the name (their own, not inherited)."""
    return person.posts[0].start if person.posts and not person.inherited else person.start
