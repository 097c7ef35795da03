"""Identity rules: which context makes a written name mean one person, one body, one post, one event.

Pure and local: every decision here reads one article (its extraction and its publication) and
nothing else, so the IRI a mention gets cannot depend on what else is in the store, on the order of
ingest or on ``--jobs`` (the issue-14 requirement "deterministic and independent of order" holds by
construction). The rules, with examples (docs/identity.md has the long form):

- **People** are (written name, jurisdiction). The jurisdiction is the city of the bodies the person
  holds posts in (市长 of 太原 in a 济南 paper is 太原's; a district or county body printed in a city's
  paper counts as that city's, so 区长 → 副市长 is one career), preferring the paper's own locality when
  one of the posts is there, then a national body (全国), then the most local place; a person with no
  placed post takes the paper's locality, else the paper, else the page file. So 王伟 of eight cities are
  eight people, one 王伟 with three posts in 太原 over three years is one, and 张伟/章伟 never meet
  (the written name is part of the key, see ``kg.rdf.iris``).
- **Organisations** whose name carries no place (组织部, 社区党支部, an unexpanded 市委) and that are
  public bodies are qualified by the paper's locality (else paper, else page): one 组织部 per city.
  Names with a place or a national prefix stand alone.
- **Posts** are one per (organisation, title): 市委书记 and 太原市委书记 in a 太原 paper are both 书记 of
  中共太原市委. A post with no known body is (context, label as printed).
- **Events** with a generic name (选举, 座谈会, 开幕式) are scoped by their enclosing event, else by the
  article; other events by the paper's locality (else paper, else page), name and date.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache

from kg.rdf import iris
from kg.resources import LEXICON_DIR

RULES_FILE = LEXICON_DIR / "identity_rules.json"


@cache
def rules() -> dict:
    return json.loads(RULES_FILE.read_text(encoding="utf-8"))


@cache
def _place_re() -> re.Pattern[str]:
    levels = sorted(rules()["levels"], key=len, reverse=True)
    alt = "|".join(map(re.escape, levels))
    # one or more place names, each 2-7 characters then a level: 太原市, 忻州市, 太原市迎泽区, 山西省
    # (two characters at least, so 城市管理局 and 市场监管局 hold no place; 沁县-like names are lost)
    return re.compile(rf"^((?:.{{2,7}}?(?:{alt}))+)")


def level_of(place: str) -> int:
    """3 province, 2 city, 1 county/district, 0 township; -1 when the name shows no level."""
    for suffix, rank in sorted(rules()["levels"].items(), key=lambda kv: -len(kv[0])):
        if place.endswith(suffix):
            return int(rank)
    return -1


def is_national_title(label: str) -> bool:
    """总书记, 国家主席, 国务院总理: a post that exists once in the country, whatever body is printed."""
    return label in rules()["national_titles"]


def is_national(name: str) -> bool:
    """中共中央, 国务院, 全国人大, 民进中央: bodies of the whole country."""
    return any(name.startswith(p) for p in rules()["national_prefixes"]) or name.endswith("中央")


def org_place(name: str) -> str | None:
    """The place an organisation's name puts it in: 中共太原市委组织部 → 太原市, 迎泽区政府 → 迎泽区.

    Party prefixes (中共, 民进 …) are skipped; a name whose place part is not followed by more name
    (a bare 太原市) is the place itself.
    """
    n = name.removeprefix("中共").removeprefix("中国共产党")
    for short in ("民革", "民盟", "民建", "民进", "农工党", "致公党", "九三学社", "台盟"):
        if n.startswith(short):
            n = n[len(short) :]
            break
    m = _place_re().match(n)
    if not m:
        return None
    return m.group(1)


def is_generic_org(name: str, kind: str | None) -> bool:
    """A public body's name that only means one body together with a place (组织部, 社区党支部)."""
    if is_national(name) or org_place(name):
        return False
    return name in rules()["generic_orgs"] or (kind in rules()["public_kinds"] and len(name) <= 6)


def is_generic_event(name: str) -> bool:
    return name in rules()["generic_events"]


@dataclass(frozen=True)
class Context:
    """What an article offers to place a name: the paper's locality, the paper, the page file."""

    locality: str | None = None
    paper: str | None = None
    page: str | None = None  # the source file's content hash
    article: str | None = None  # the article's id, the last resort when nothing else is known

    def scope(self) -> tuple[str, str]:
        """(basis, qualifier) of the widest context that still means one place or one paper."""
        if self.locality:
            return "PaperLocality", iris.ident(self.locality, 30)
        if self.paper:
            return "SamePaper", "p-" + iris.ident(self.paper, 30)
        if self.page:
            return "SamePage", "s-" + self.page[:16]
        return "SameArticle", "a-" + iris.short_hash(self.article or "", 16)


@dataclass(frozen=True)
class PersonKey:
    """Where one person's mention is resolved: the written name and its qualifier, and why."""

    name: str
    basis: str  # a kg:IdentityReason local name: PostJurisdiction, NationalPost, PaperLocality, …
    jurisdiction: str | None  # the place, when the basis is one
    qualifier: str

    @property
    def ident(self) -> str:
        return iris.person_id(self.name, self.qualifier)


def city_of(place: str, locality: str | None) -> str:
    """The city-level jurisdiction a body's place belongs to, where the text lets us know it.

    太原市迎泽区 → 太原市 (the city is in the name); a bare 迎泽区 or 清徐县 printed in a paper of a city
    (太原市) → that city, since a city's paper reports its own districts and counties; otherwise the
    place itself. Why: a career runs through a city's cadre pool (区长 → 副市长), so people are placed
    per city; namesakes of two cities stay apart. Without a gazetteer a district paper's people stay
    in the district.
    """
    m = _place_re().match(place)
    if m:
        first = re.match(r"^(.{2,7}?(?:市|州|盟))(?=.)", place)
        if first and level_of(first.group(1)) == 2:
            return first.group(1)
    if 0 <= level_of(place) <= 1 and locality and level_of(locality) == 2:
        return locality
    return place


def person_key(name: str, post_places: list[str], national: bool, ctx: Context) -> PersonKey:
    """The key of a person named ``name`` holding posts in bodies of ``post_places`` (see module doc)."""
    places = sorted({city_of(p, ctx.locality) for p in post_places})
    if ctx.locality and ctx.locality in places:
        return PersonKey(name, "PostJurisdiction", ctx.locality, iris.ident(ctx.locality, 30))
    if national:
        return PersonKey(name, "NationalPost", "全国", iris.ident("全国", 30))
    if places:
        place = min(places, key=lambda p: (level_of(p) if level_of(p) >= 0 else 9, p))
        return PersonKey(name, "PostJurisdiction", place, iris.ident(place, 30))
    basis, qual = ctx.scope()
    return PersonKey(name, basis, ctx.locality if basis == "PaperLocality" else None, qual)


def org_qualifier(name: str, kind: str | None, ctx: Context) -> tuple[str | None, str | None]:
    """(qualifier, jurisdiction) for an organisation: None unless its name needs a place."""
    if not is_generic_org(name, kind):
        return None, None
    basis, qual = ctx.scope()
    return qual, ctx.locality if basis == "PaperLocality" else None
