"""Identity rules: which context makes a written name mean one person, one body, one post, one event.

Pure and local: every decision here reads one article (its extraction and its publication) and
nothing else, so the IRI a mention gets cannot depend on what else is in the store, on the order of
ingest or on ``--jobs`` (the issue-14 requirement "deterministic and independent of order" holds by
construction). The rules, with examples (docs/identity.md has the long form):

- **People** are (written name, jurisdiction). The jurisdiction is the city of the bodies the person
  holds posts in (市长 of 太原 in a 济南 paper is 太原's; a district or county body printed in a city's
  paper counts as that city's, so 区长 → 副市长 is one career), preferring the paper's own locality when
  one of the posts is there (unless it is a province and another post is of one city: 某省委常委、某市委书记
  in the province's paper is the city's), then a national body (全国), then the most local place; a person with no
  placed post takes the paper's locality, else the paper, else the page file. So 王伟 of eight cities are
  eight people, one 王伟 with three posts in 太原 over three years is one, and 张伟/章伟 never meet
  (the written name is part of the key, see ``kg.rdf.iris``). Within one jurisdiction, one person
  per **line of work** (``post_sector``): a 区长 and a 小学校长 named 王伟 in one city are two, a
  career on the general track (副区长 → 区长 → 副市长) is one. Two written names are one person
  only where the article states it (曾用名, 原名: ``stated_aliases``).
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

from kg.extract.gazetteer import ancestors
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
    r = rules()
    short_levels = "".join(r["short_place_levels"])
    bodies = "|".join(map(re.escape, sorted(r["short_place_bodies"], key=len, reverse=True)))
    # a one-character place (沁县) only where its body follows at once, the level maybe repeated (沁县委,
    # 沁县县委, 沁县人民政府): so 城市管理局, 市场监管局 and a bare 县委 hold no place
    short = rf"[^{re.escape(r['short_place_not_first'])}][{short_levels}](?=[{short_levels}]?(?:{bodies}))"
    # one or more place names, each 2-7 characters then a level (太原市, 太原市迎泽区, 山西省), or short
    return re.compile(rf"^((?:{short}|.{{2,7}}?(?:{alt}))+)")


def level_of(place: str) -> int:
    """3 province, 2 city, 1 county/district, 0 township; -1 when the name shows no level."""
    for suffix, rank in sorted(rules()["levels"].items(), key=lambda kv: -len(kv[0])):
        if place.endswith(suffix):
            return int(rank)
    return -1


def is_national_title(label: str) -> bool:
    """总书记, 国家主席, 国务院总理: a post that exists once in the country, whatever body is printed."""
    return label in rules()["national_titles"]


def titled_national(text: str, name: str) -> bool:
    """The text prints ``name`` right before a title only a national leader bears (柯某总书记): the
    person is the country's even where the article gives them no post (reported speech), so one
    person in every paper, not one per paper's town."""
    titles = tuple(rules()["national_titles_after_name"])
    at = text.find(name)
    while at >= 0:
        if text.startswith(titles, at + len(name)):
            return True
        at = text.find(name, at + 1)
    return False


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
    sector: str = ""  # the line of work of the posts ("" = the general track), part of the qualifier

    @property
    def ident(self) -> str:
        return iris.person_id(self.name, self.qualifier)


def city_of(place: str, locality: str | None) -> str:
    """The city-level jurisdiction a body's place belongs to, where the text lets us know it.

    太原市迎泽区 → 太原市 (the city is in the name); a bare 迎泽区 or 清徐县 printed in a paper of a city
    (太原市) → that city, since a city's paper reports its own districts and counties (a district the
    standard of administrative divisions puts elsewhere may be a newer one of the paper's city); in a
    province's paper (or no paper's place) the city the standard gives; otherwise the place itself.
    Why: a career runs through a city's cadre pool (区长 → 副市长), so people are placed per city;
    namesakes of two cities stay apart. A county's or district's own paper keeps its people in the
    county: namesakes of two counties of one city (far more common than two cities') stay apart.
    """
    m = _place_re().match(place)
    if m:
        first = re.match(r"^(.{2,7}?(?:市|州|盟))(?=.)", place)
        if first and level_of(first.group(1)) == 2:
            return first.group(1)
    if 0 <= level_of(place) <= 1:
        if locality and level_of(locality) == 2:
            return locality  # a city's paper reports its own counties (the standard may be older than a new one)
        if rules().get("county_city_from_gazetteer") and not (locality and 0 <= level_of(locality) <= 1):
            # a county's post in a province's paper: the city the standard puts it in (kg.extract.gazetteer)
            return ancestors(place).get("市", place)
    return place


@cache
def _sector_table() -> tuple[tuple[tuple[str, str], ...], dict[str, int]]:
    pairs = tuple((str(k), str(v)) for k, v in rules()["sectors"])
    order: dict[str, int] = {}
    for _, sector in pairs:
        order.setdefault(sector, len(order))
    for sector in rules()["sector_kinds"].values():
        order.setdefault(sector, len(order))
    return pairs, order


def post_sector(label: str, body: str | None = None, kind: str | None = None) -> str:
    """The line of work of one post ("" for the general track): the first keyword of the rules'
    ``sectors`` found in the body's name, else in the printed post, else the body's kind.

    Why: two people of one written name in one city are told apart by what they do — a 教育局局长
    and a 组织部副部长, a 区长 and a 小学校长 — while a leader's career (副区长 → 区长 → 副市长,
    副市长 → 市委副书记 → 市长) stays on the general track and is one person.
    """
    pairs, _ = _sector_table()
    for text in (body or "", label):
        for keyword, sector in pairs:
            if keyword in text:
                return sector
    return str(rules()["sector_kinds"].get(kind or "", ""))


def person_sector(sectors: list[str]) -> str:
    """The line of a person given posts of ``sectors`` in one article: a line wins over the general
    track (市委常委、组织部部长 is of the organisation line: 常委 is a rank several department heads
    hold), and of several lines the first in the rules' list (the same whatever the order of posts)."""
    _, order = _sector_table()
    lines = sorted({s for s in sectors if s}, key=lambda s: (order.get(s, len(order)), s))
    return lines[0] if lines else ""


def line_qualifier(qualifier: str, sector: str | None) -> str:
    """A context's qualifier with a line of work: ``{qualifier}_{sector}`` (``_`` never occurs in a
    qualifier, and no sector starts with ``c-``, so it collides neither with a place nor with a curated
    split); the qualifier alone for the general track."""
    return f"{qualifier}_{sector}" if sector else qualifier


def jurisdiction_qualifier(jurisdiction: str, sector: str | None = None) -> str:
    """The qualifier ``person_key`` gives a person placed in ``jurisdiction`` on line ``sector``: what the
    career joins and the known aliases recompute from a mention's own jurisdiction and line."""
    return line_qualifier(iris.ident(jurisdiction, 30), sector)


def _with_sector(pk: PersonKey, sector: str) -> PersonKey:
    """The key of one line of work within the context (``line_qualifier``)."""
    if not sector:
        return pk
    return PersonKey(pk.name, pk.basis, pk.jurisdiction, line_qualifier(pk.qualifier, sector), sector)


def _local_post_place(places: list[str], locality: str | None) -> str | None:
    """The one place of the level the rules' ``local_post_over_locality`` names for the paper's level
    (a city in a province's paper), when the person also holds a post of the paper's own place:
    江北省委常委、青禾市委书记 in the 江北省 paper → 青禾市. Why: the city's paper prints the same
    person as 省委常委、市委书记 (the province unnamed, so placed in the city) and other papers as
    青禾市委书记; keyed by the province here, one person would be two nodes. None otherwise (two such
    places, or none, leave the paper's locality rule as it was)."""
    if not locality or locality not in places:
        return None
    want = rules().get("local_post_over_locality", {}).get(str(level_of(locality)))
    if want is None:
        return None
    local = [p for p in places if p != locality and level_of(p) == int(want)]
    return local[0] if len(local) == 1 else None


def person_key(name: str, post_places: list[str], national: bool, ctx: Context,
               sectors: list[str] | None = None) -> PersonKey:
    """The key of a person named ``name`` holding posts in bodies of ``post_places`` (see module doc);
    ``sectors`` are the lines of work of the posts (``post_sector``): within one jurisdiction, one
    person per line. A national leader is one person whatever the line."""
    sector = person_sector(sectors or [])
    places = sorted({city_of(p, ctx.locality) for p in post_places})
    local = _local_post_place(places, ctx.locality)
    if local:
        pk = PersonKey(name, "PostJurisdiction", local, iris.ident(local, 30))
    elif ctx.locality and ctx.locality in places:
        pk = PersonKey(name, "PostJurisdiction", ctx.locality, iris.ident(ctx.locality, 30))
    elif national:
        return PersonKey(name, "NationalPost", "全国", iris.ident("全国", 30))
    elif places:
        place = min(places, key=lambda p: (level_of(p) if level_of(p) >= 0 else 9, p))
        pk = PersonKey(name, "PostJurisdiction", place, iris.ident(place, 30))
    else:
        basis, qual = ctx.scope()
        pk = PersonKey(name, basis, ctx.locality if basis == "PaperLocality" else None, qual)
    return _with_sector(pk, sector)


def stated_aliases(text: str, names: list[str]) -> list[tuple[str, str]]:
    """(name, other written name) pairs the text states with a marker of the rules' ``alias_markers``:
    柯望舒（曾用名柯望书） or 柯望舒，原名柯望书， → (柯望舒, 柯望书). Only after a name the article
    names (the extractor's people), so a marker in other prose joins nothing; sorted, so the same
    text gives the same pairs."""
    if not any(marker in text for marker in rules()["alias_markers"]):
        return []  # most texts state none: no pattern per name to compile (re's cache holds 512)
    markers = "|".join(map(re.escape, rules()["alias_markers"]))
    out: set[tuple[str, str]] = set()
    for name in sorted(set(names)):
        pat = re.escape(name) + rf"\s*[（(，,]\s*(?:{markers})\s*[：:]?\s*([\u4e00-\u9fff·]{{2,5}}?)\s*[）)，,。；;、]"
        for m in re.finditer(pat, text):
            if m.group(1) != name:
                out.add((name, m.group(1)))
    return sorted(out)


def stated_short_forms(text: str) -> list[tuple[str, str]]:
    """(full name, short form) pairs of the bodies the text gives a short form:
    青禾市生态环境保护委员会办公室（以下简称“市环委办”） → (青禾市生态环境保护委员会办公室, 市环委办). The full
    name is the run of characters before the bracket less a leading word of the rules' ``short_form_lead``
    (由…, 近日…), or less what comes before such a word followed by a place (会议由青禾市…); whether it
    names a body is for the caller to say. Sorted, so one text gives one list."""
    r = rules()
    markers = "|".join(map(re.escape, sorted(r["short_form_markers"], key=len, reverse=True)))
    pat = (rf"([\u4e00-\u9fff]{{4,40}})\s*[（(]\s*(?:{markers})\s*[：:]?\s*[“\"「『]?([\u4e00-\u9fff]{{2,15}})"
           rf"[”\"」』]?\s*[）)]")
    leads = sorted(r["short_form_lead"], key=len, reverse=True)
    out: set[tuple[str, str]] = set()
    for m in re.finditer(pat, text):
        full, short = m.group(1), m.group(2)
        stripped = True
        while stripped:
            stripped = False
            for word in leads:
                if full.startswith(word) and len(full) - len(word) >= 4:
                    full, stripped = full[len(word) :], True
                    break
        # a lead word inside the run (会议由青禾市…) ends what came before where a place follows it
        cuts = [i + len(w) for w in leads for i in range(1, len(full)) if full.startswith(w, i)]
        for cut in sorted(cuts, reverse=True):
            if len(full) - cut >= 4 and _place_re().match(full[cut:]):
                full = full[cut:]
                break
        if full != short:
            out.add((full, short))
    return sorted(out)


@cache
def rules_version() -> str:
    """A short hash of the rules (the file's entries, less the ``_…`` notes that explain them): written on
    each article graph (``kg:identityRules``) so ``kg resolve`` knows which articles were keyed by other
    rules and re-keys them. Why not the file's text: rewording a note would re-key every article of every
    store at the next ``kg resolve`` (minutes at 100k articles) for nothing."""
    entries = {k: v for k, v in rules().items() if not k.startswith("_")}
    return iris.short_hash(json.dumps(entries, ensure_ascii=False, sort_keys=True), 12)


def org_qualifier(name: str, kind: str | None, ctx: Context) -> tuple[str | None, str | None]:
    """(qualifier, jurisdiction) for an organisation: None unless its name needs a place."""
    if not is_generic_org(name, kind):
        return None, None
    basis, qual = ctx.scope()
    return qual, ctx.locality if basis == "PaperLocality" else None
