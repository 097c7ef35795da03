"""Which province and city a paper's locality lies in: the places a local paper leaves unprinted.

A city's paper prints its province's leaders as 省委书记某, 省长某, 副省长某 and a county's paper its
city's as 市委书记某: the level is printed, the place is not. The publication's locality names only the
paper's own place (太原市, 叶县), so without knowing what contains it, 省委 in a 太原 paper was a body
of its own, keyed by the city (kg.rdf.identity): the province's leader was a different person in every
city's paper. The national standard of administrative divisions (GB/T 2260, through the ``GB2260``
package, all revisions it ships) says which province and city hold each county and city, so
``ancestors`` gives the bodies' places back: 省委 in a 太原市 paper is 中共山西省委, 市委 in a 叶县 paper
中共平顶山市委.

Only unambiguous names are used: a name held by two divisions of different parents in any revision
(鼓楼区, 城区, 郊区 …) has no known parent, and its paper keeps today's behaviour. A locality printed as
a chain (重庆市渝中区, 安化县滔溪镇) names its own parents, whatever the standard says. Places the
standard does not know (a town, a new district, an invented place) have no parents.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache

# names the standard gives to groupings, not places (a municipality's districts sit under 市辖区)
_PLACEHOLDERS = ("市辖区", "县", "省直辖县级行政单位", "省直辖行政单位", "省直辖县级行政区划", "自治区直辖县级行政区划")
_LEVEL_CHARS = "省市县区州盟旗"


def _level_char(place: str) -> str | None:
    """The level a name ends in, as the extractor reads levels (自治区 → 省: a province's level)."""
    if place.endswith("自治区") or place.endswith("特别行政区"):
        return "省"
    return place[-1] if place[-1:] in _LEVEL_CHARS else None


@cache
def _parents() -> dict[str, tuple[str, ...]]:
    """Place name → its parents, nearest first (迎泽区 → (太原市, 山西省)), for names whose parents are
    the same in every revision of the standard; the others are left out (see module doc)."""
    from gb2260.data import data  # the standard's tables, one per revision: code → name

    seen: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for table in data.values():
        for code, name in table.items():
            if name in _PLACEHOLDERS:
                continue
            province = table.get(code // 10000 * 10000)
            prefecture = table.get(code // 100 * 100)
            if code % 10000 == 0:
                chain: tuple[str, ...] = ()
            elif code % 100 == 0:
                chain = (province,) if province else ()
            elif prefecture and prefecture not in _PLACEHOLDERS:
                chain = (prefecture, province) if province else (prefecture,)
            else:  # a municipality's district (重庆市渝中区) or a county the province holds directly
                chain = (province,) if province else ()
            seen[name].add(tuple(p for p in chain if p))
    return {name: next(iter(chains)) for name, chains in seen.items() if len(chains) == 1}


def _split_chain(locality: str) -> list[str]:
    """A locality printed as a chain of known places, outermost first: 重庆市渝中区 → [重庆市, 渝中区];
    [locality] when it is not one (太原市, or a name the standard does not know)."""
    known = _parents()
    out: list[str] = []
    rest = locality
    while rest:
        head = next((rest[:i] for i in range(len(rest) - 1, 1, -1) if rest[:i] in known), None)
        if head is None or head == rest:
            break
        out.append(head)
        rest = rest[len(head):]
    return [*out, rest] if out and rest else [locality]


@cache
def ancestors(locality: str | None) -> dict[str, str]:
    """Level → the place of that level containing the paper's locality: 太原市 → {省: 山西省};
    迎泽区 → {市: 太原市, 省: 山西省}; 重庆市渝中区 → {市: 重庆市}. The locality's own level is not in it
    (a paper's own bodies are expanded with the locality itself); empty when nothing is known."""
    if not locality:
        return {}
    chain = _split_chain(locality)
    own = _level_char(chain[-1])
    out: dict[str, str] = {}
    # the chain as printed first (nearest first), then what the standard says of each of its places
    places = list(reversed(chain[:-1]))
    for place in [chain[-1], *reversed(chain[:-1])]:
        places += list(_parents().get(place, ()))
    for place in places:
        level = _level_char(place)
        if level and level != own and level not in out:
            out[level] = place
    return out


def places_within(place: str | None) -> list[str]:
    """The places whose nearest parent is ``place`` (a province's cities, a city's districts and counties;
    None: the provinces and municipalities), sorted: for synthetic corpora of real places
    (benchmarks/identity.py) and lists of a place's parts."""
    want = (place,) if place else ()
    return sorted(name for name, chain in _parents().items() if chain[:1] == want)
