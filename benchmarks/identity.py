"""Identity benchmark: a synthetic corpus with true identities, ingested, then scored as clusters.

    python benchmarks/identity.py [--cities 8] [--years 3] [--jobs 2] [--keep DIR] [--hard]

The corpus (written here, from ``benchmarks/corpus.py``'s vocabulary and name generator, without
changing the corpora other benchmarks use) is built to stress identity: every city has its own
leaders, and on top of that

- namesakes across cities: one name is a 市委书记 in one city and a 副市长 in another;
- namesakes within one city: two people of one name in different bodies of the same city;
- homophones: 张-/章- style pairs (same pinyin, other characters) in one city;
- careers: one person 副市长 → 市委副书记 → 市长 over the years, in one city;
- promotions: a district head (某区区长) who becomes the city's 副市长;
- a national leader (国务院副总理) named in every paper;
- visitors: a mayor named in another city's paper as 某市市长;
- generic bodies: every city's 组织部 and 教育局 printed without the city;
- provinces (every four cities one, with a paper of its own whose locality is the province): the
  province's 省委书记 and 省长 named in its paper and in its cities' papers (there printed without the
  province, 省委书记某, as city papers print them); the 市委书记 of its last city also 省委常委
  (省委常委、市委书记某 in the city's paper, 某省委常委、某市委书记某 in the province's); the 市长 of the
  city before it promoted 副省长 in the last year (副省长某 in both papers, 某市市长某 in the province's before).

Two namesakes of one city never share a report (the issue's rule reads one name in one report as one
person). ``--hard`` adds, per city, what the rules are known to get wrong (docs/identity.md), so the
figures show their cost instead of hiding it: a 教育局局长 promoted to 副市长 (another line of work: split),
and two namesakes on the general track (a district's 副区长 and the city's 秘书长: merged).

Every person mention (article, printed post, name) carries its true person, body and post. After
ingest the predicted person is the article's ``kg:PersonMention`` → ``kg:mentionOf``, the predicted
post and body those of the person's ``org:holds`` in the article's graph. Printed: pairwise
precision/recall and B-cubed precision/recall/F1 for persons, bodies and posts, and the counts per
scenario of wrong splits and merges. Goals (issue 14): persons B-cubed F1 >= 0.98 with pairwise
precision >= 0.995; bodies and posts >= 0.97.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.corpus import TOPICS, World  # noqa: E402

# homophone pairs: (character, another character with the same toneless pinyin)
HOMOPHONES = (("张", "章"), ("王", "汪"), ("李", "黎"), ("吴", "武"), ("徐", "许"), ("陈", "程"))


@dataclass(frozen=True)
class Truth:
    person: str
    org: str
    post: str


@dataclass
class Mention:
    page: str  # file stem
    name: str
    printed_post: str
    truth: Truth


class IdentityCorpus:
    """Cities, their officials and the scenarios above, all from one seeded generator."""

    def __init__(self, seed: int, cities: int, years: int, hard: bool = False, invented_places: bool = False) -> None:
        self.hard = hard
        self.world = World(seed, 100)  # for names (and invented city names)
        self.rng = random.Random(seed)
        taken: set[str] = set()
        n_prov = (cities + 3) // 4
        if invented_places:  # places no gazetteer knows: nothing tells a city's paper its province
            self.cities = [self._invented(taken, "市") for _ in range(cities)]
            self.provinces = [self._invented(taken, "省") for _ in range(n_prov)]
        else:  # real provinces and four of their cities each, as real papers are (kg.extract.gazetteer)
            from kg.extract.gazetteer import places_within

            pick = random.Random(seed)
            provinces = [p for p in places_within(None)
                         if p.endswith("省") and sum(c.endswith("市") for c in places_within(p)) >= 4]
            self.provinces = pick.sample(provinces, n_prov)
            self.cities = []
            for prov in self.provinces:
                own = [c for c in places_within(prov) if c.endswith("市")]
                self.cities += pick.sample(own, min(4, cities - len(self.cities)))
        # every four cities (in order) make one province
        self.province_of = {c: self.provinces[i // 4] for i, c in enumerate(self.cities)}
        self.years = years
        self.mentions: list[Mention] = []
        self.visitors: dict[str, str] = {}  # city -> its mayor, named in the previous city's paper
        self.pages: dict[str, tuple[str, str, str, list[str]]] = {}  # stem -> (city, date, headline, sentences)

    def _invented(self, taken: set[str], tail: str) -> str:
        """A generated place name the standard of administrative divisions does not hold (the generator
        also makes real ones: 德阳市), so no paper of it knows its province."""
        from kg.extract.gazetteer import ancestors, places_within

        real = set(places_within(None))
        while True:
            place = self.world._place(taken, tail)
            if not ancestors(place) and place not in real:
                return place

    def name(self) -> str:
        return self.world.name()

    def homophone(self) -> tuple[str, str]:
        for _ in range(200):
            a, b = self.rng.choice(HOMOPHONES)
            given = self.name()[1:] or "伟"
            if a + given not in self.world.used_names and b + given not in self.world.used_names:
                self.world.used_names |= {a + given, b + given}
                return a + given, b + given
        raise RuntimeError("no homophone pair left")

    def province_leaders(self) -> dict[str, dict[str, str]]:
        """Per province: its 省委书记, 省长, the 省委常委 city secretary's city and the riser's city."""
        out: dict[str, dict[str, str]] = {}
        for prov in self.provinces:
            cities = [c for c in self.cities if self.province_of[c] == prov]
            # the last cities, so these scenarios do not fall on the cross-city namesakes of cities 0 and 1
            out[prov] = {"party": self.name(), "governor": self.name(), "standing_city": cities[-1],
                         "riser_city": cities[-2] if len(cities) > 1 else cities[0], "riser": self.name()}
        return out

    def build(self) -> None:
        rng = self.rng
        shared = self.name()  # the cross-city namesake
        national = self.name()
        leaders = self.province_leaders()
        secretaries: dict[str, tuple[str, str]] = {}  # city -> (its 市委书记, true id)
        for i, city in enumerate(self.cities):
            c = city
            prov = self.province_of[c]
            lead = leaders[prov]
            district = self.world._place(set(), "区")
            secretary = shared if i == 0 else self.name()
            deputy = shared if i == 1 else self.name()
            twin = self.name()  # two people of this name in one city
            h1, h2 = self.homophone()
            career = self.name()
            crossline = self.name() if self.hard else ""
            promoted = self.name()
            people = {
                "secretary": (secretary, "市委书记", f"{c}:市委", "书记"),
                "deputy": (deputy, "副市长", f"{c}:政府", "副市长"),
                "organisation": (self.name(), "组织部部长", f"{c}:组织部", "部长"),
                "education": (twin, "教育局局长", f"{c}:教育局", "局长"),
                "twin": (twin, "组织部副部长", f"{c}:组织部", "副部长"),
                "h1": (h1, "宣传部部长", f"{c}:宣传部", "部长"),
                "h2": (h2, "宣传部副部长", f"{c}:宣传部", "副部长"),
            }
            if self.hard:  # two namesakes on the general track of one city
                twin2 = self.name()
                people["hard-district"] = (twin2, f"{district}副区长", f"{c}:{district}政府", "副区长")
                people["hard-secretary"] = (twin2, "秘书长", f"{c}:政府", "秘书长")
            ids = {role: f"{c}:{role}" for role in people}
            ids["secretary"] = "shared:0" if i == 0 else ids["secretary"]
            ids["deputy"] = "shared:1" if i == 1 else ids["deputy"]
            secretaries[c] = (secretary, ids["secretary"])
            for y in range(self.years):
                year = 2019 + y
                for k in range(4):  # four meetings a year
                    date = f"{year}-{3 * k + 2:02d}-{rng.randint(10, 27)}"
                    stem = f"{c}-{date}"
                    chosen = rng.sample(sorted(people), 3)
                    for a, b in (("education", "twin"), ("hard-district", "hard-secretary")):
                        if {a, b} <= set(chosen):
                            # two namesakes in one report read as one person holding both posts (the
                            # issue's "same page or report" rule), so twins never share a report here
                            chosen = [r for r in chosen if r != b]
                            chosen.append(next(r for r in sorted(people) if r not in chosen and r not in (a, b)))
                    sentences = []
                    for role in chosen:
                        n, printed, org, title = people[role]
                        if role == "secretary" and c == lead["standing_city"]:
                            # the city's 市委书记 sits on the province's standing committee
                            sentences.append(f"省委常委、{printed}{n}出席。")
                            porg = f"{prov}:省委"
                            self.mentions.append(Mention(stem, n, "省委常委", Truth(ids[role], porg, f"{porg}|常委")))
                        else:
                            sentences.append(f"{printed}{n}出席。")
                        self.mentions.append(Mention(stem, n, printed, Truth(ids[role], org, f"{org}|{title}")))
                    if c == lead["riser_city"]:  # the mayor, 副省长 in the last year
                        self._riser(stem, sentences, prov, c, lead["riser"], y, home=True)
                    if k == 2:  # the province's leaders, once a year each in every city's paper
                        self._provincial(stem, sentences, prov, "party", lead["party"])
                    if k == 3:
                        self._provincial(stem, sentences, prov, "governor", lead["governor"])
                    # a career: one person's post changes every year
                    cp = ("副市长", "市委副书记", "市长")[y % 3]
                    corg = {"副市长": f"{c}:政府", "市委副书记": f"{c}:市委", "市长": f"{c}:政府"}[cp]
                    ctitle = {"副市长": "副市长", "市委副书记": "副书记", "市长": "市长"}[cp]
                    sentences.append(f"{cp}{career}主持。")
                    self.mentions.append(Mention(stem, career, cp, Truth(f"{c}:career", corg, f"{corg}|{ctitle}")))
                    # a promotion: district head in the first year, the city's vice-mayor later
                    if y == 0:
                        sentences.append(f"{district}区长{promoted}出席。")
                        dorg = f"{c}:{district}政府"
                        self.mentions.append(Mention(stem, promoted, f"{district}区长",
                                                     Truth(f"{c}:promoted", dorg, f"{dorg}|区长")))
                    else:
                        sentences.append(f"副市长{promoted}出席。")
                        self.mentions.append(Mention(stem, promoted, "副市长",
                                                     Truth(f"{c}:promoted", f"{c}:政府", f"{c}:政府|副市长")))
                    if k == 0:  # the national leader, once a year in every paper
                        sentences.append(f"国务院副总理{national}作出批示。")
                        self.mentions.append(Mention(stem, national, "国务院副总理",
                                                     Truth("national", "国务院", "国务院|副总理")))
                    if k == 1 and len(self.cities) > 1:  # a visiting mayor of the next city
                        other = self.cities[(i + 1) % len(self.cities)]
                        vis = self.visitors.setdefault(other, self.name())
                        sentences.append(f"{other}市长{vis}率团考察。")
                        self.mentions.append(Mention(stem, vis, f"{other}市长",
                                                     Truth(f"{other}:mayor", f"{other}:政府", f"{other}:政府|市长")))
                    if self.hard:  # a department head promoted into the city's leadership
                        xp, xorg, xt = (("教育局局长", f"{c}:教育局", "局长") if y == 0 else
                                        ("副市长", f"{c}:政府", "副市长"))
                        sentences.append(f"{xp}{crossline}出席。")
                        self.mentions.append(Mention(stem, crossline, xp,
                                                     Truth(f"{c}:hard-crossline", xorg, f"{xorg}|{xt}")))
                    topic = rng.choice(TOPICS)
                    self.pages[stem] = (c, date, f"{c}召开{topic}会议{k + 1}", sentences)
        self._province_papers(leaders, secretaries, national)
        # the mayors visiting others also appear at home
        for city, mayor in self.visitors.items():
            stem = f"{city}-2022-12-20"
            self.pages[stem] = (city, "2022-12-20", f"{city}召开年终总结会议", [f"市长{mayor}主持。"])
            truth = Truth(f"{city}:mayor", f"{city}:政府", f"{city}:政府|市长")
            self.mentions.append(Mention(stem, mayor, "市长", truth))

    def _riser(self, stem: str, sentences: list[str], prov: str, city: str, name: str, y: int,
               home: bool) -> None:
        """The riser: the city's 市长 until the last year, then the province's 副省长 (printed so in the
        city's paper and in the province's; the province's paper names the mayor with the city)."""
        pid = f"{prov}:riser"
        if y < self.years - 1:
            printed = "市长" if home else f"{city}市长"
            org = f"{city}:政府"
            sentences.append(f"{printed}{name}出席。")
            self.mentions.append(Mention(stem, name, printed, Truth(pid, org, f"{org}|市长")))
        else:
            org = f"{prov}:政府"
            sentences.append(f"副省长{name}出席。")
            self.mentions.append(Mention(stem, name, "副省长", Truth(pid, org, f"{org}|副省长")))

    def _provincial(self, stem: str, sentences: list[str], prov: str, who: str, name: str) -> None:
        """The province's 省委书记 or 省长, printed without the province (city and province papers alike)."""
        printed, org, title = (("省委书记", f"{prov}:省委", "书记") if who == "party" else
                               ("省长", f"{prov}:政府", "省长"))
        sentences.append(f"{printed}{name}作出批示。" if who == "party" else f"{printed}{name}讲话。")
        self.mentions.append(Mention(stem, name, printed, Truth(f"{prov}:{who}", org, f"{org}|{title}")))

    def _province_papers(self, leaders: dict[str, dict[str, str]], secretaries: dict[str, tuple[str, str]],
                         national: str) -> None:
        """Each province's own paper (locality = the province): four reports a year naming its leaders,
        the standing-committee city secretary with province and city printed, the riser, and the
        secretary of one of its cities (named with the city)."""
        rng = self.rng
        for prov in self.provinces:
            lead = leaders[prov]
            cities = [c for c in self.cities if self.province_of[c] == prov]
            sc = lead["standing_city"]
            sname, sid = secretaries[sc]
            for y in range(self.years):
                year = 2019 + y
                for k in range(4):
                    date = f"{year}-{3 * k + 2:02d}-{rng.randint(10, 27)}"
                    stem = f"{prov}-{date}"
                    sentences: list[str] = []
                    self._provincial(stem, sentences, prov, "party" if k % 2 == 0 else "governor",
                                     lead["party"] if k % 2 == 0 else lead["governor"])
                    # 江北省委常委、青禾市委书记某: province and city printed
                    p1, p2 = f"{prov}委常委", f"{sc}委书记"
                    sentences.append(f"{p1}、{p2}{sname}出席。")
                    porg, corg = f"{prov}:省委", f"{sc}:市委"
                    self.mentions.append(Mention(stem, sname, p1, Truth(sid, porg, f"{porg}|常委")))
                    self.mentions.append(Mention(stem, sname, p2, Truth(sid, corg, f"{corg}|书记")))
                    self._riser(stem, sentences, prov, lead["riser_city"], lead["riser"], y, home=False)
                    other = cities[(y * 4 + k) % len(cities)]  # a city's secretary named with the city
                    if other != sc:
                        oname, oid = secretaries[other]
                        sentences.append(f"{other}委书记{oname}陪同。")
                        self.mentions.append(Mention(stem, oname, f"{other}委书记",
                                                     Truth(oid, f"{other}:市委", f"{other}:市委|书记")))
                    if k == 0:
                        sentences.append(f"国务院副总理{national}作出批示。")
                        self.mentions.append(Mention(stem, national, "国务院副总理",
                                                     Truth("national", "国务院", "国务院|副总理")))
                    topic = rng.choice(TOPICS)
                    self.pages[stem] = (prov, date, f"{prov}召开{topic}会议{k + 1}", sentences)

    def write(self, out: Path) -> None:
        import json

        for stem, (city, date, headline, sentences) in self.pages.items():
            m, d = int(date[5:7]), int(date[8:10])
            text = f"# {headline}\n\n本报讯 {m}月{d}日，{headline}。" + "".join(sentences) + "\n"
            (out / f"{stem}.txt").write_text(text, encoding="utf-8")
            meta = {"publication": city[:-1] + "日报", "date": date, "locality": city}
            (out / f"{stem}.meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")


# ---------------------------------------------------------------- scoring


def pairwise(pred: list[str], gold: list[str]) -> tuple[float, float]:
    """Pairwise precision and recall of a clustering of the same items."""
    def pairs(labels: list[str]) -> set[tuple[int, int]]:
        groups: dict[str, list[int]] = defaultdict(list)
        for i, label in enumerate(labels):
            groups[label].append(i)
        return {(a, b) for g in groups.values() for ai, a in enumerate(g) for b in g[ai + 1 :]}

    p, g = pairs(pred), pairs(gold)
    return (len(p & g) / len(p) if p else 1.0), (len(p & g) / len(g) if g else 1.0)


def bcubed(pred: list[str], gold: list[str]) -> tuple[float, float, float]:
    pc: dict[str, set[int]] = defaultdict(set)
    gc: dict[str, set[int]] = defaultdict(set)
    for i, (p, g) in enumerate(zip(pred, gold, strict=True)):
        pc[p].add(i)
        gc[g].add(i)
    n = len(pred)
    prec = sum(len(pc[pred[i]] & gc[gold[i]]) / len(pc[pred[i]]) for i in range(n)) / n
    rec = sum(len(pc[pred[i]] & gc[gold[i]]) / len(gc[gold[i]]) for i in range(n)) / n
    return prec, rec, (2 * prec * rec / (prec + rec) if prec + rec else 0.0)


PRED = """PREFIX kg: <https://w3id.org/newskg/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/>
SELECT ?a ?file ?name ?person ?printed ?post ?org WHERE {
  GRAPH ?a { ?a kg:sourceFile ?file .
             ?m a kg:PersonMention ; kg:writtenName ?name ; kg:mentionOf ?person .
             OPTIONAL { ?person org:holds ?post . ?post skos:altLabel ?printed . OPTIONAL { ?post org:postIn ?org } } }
}"""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cities", type=int, default=8)
    ap.add_argument("--years", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--keep", type=Path, help="write the corpus and store here instead of a temporary folder")
    ap.add_argument("--hard", action="store_true", help="add the scenarios the rules are known to get wrong")
    ap.add_argument("--invented-places", action="store_true",
                    help="invented cities and provinces (no gazetteer knows which province holds a city)")
    args = ap.parse_args(argv)

    from kg.ingest import ingest_batch
    from kg.store import open_store

    corpus = IdentityCorpus(args.seed, args.cities, args.years, args.hard, args.invented_places)
    corpus.build()
    with tempfile.TemporaryDirectory() as tmp_:
        root = args.keep or Path(tmp_)
        pages = root / "pages"
        pages.mkdir(parents=True, exist_ok=True)
        corpus.write(pages)
        store = open_store(root / "store")
        t0 = time.perf_counter()
        rep = ingest_batch(store, [pages], base="http://identity.bench", jobs=args.jobs)
        secs = time.perf_counter() - t0
        found: dict[tuple[str, str, str], tuple[str, str, str]] = {}
        for r in store.query(PRED).rows():
            stem = str(r["file"]).removesuffix(".txt")
            key = (stem, str(r["name"]), str(r["printed"]) if r.get("printed") is not None else "")
            found[key] = (str(r["person"]), str(r["post"] or ""), str(r["org"] or ""))
        store.close()
    items = []
    missed = 0
    for m in corpus.mentions:
        got = found.get((m.page, m.name, m.printed_post))
        if got is None:
            missed += 1
            continue
        items.append((m, got))
    print(f"identity corpus: {args.cities} {'invented' if args.invented_places else 'real'} cities in "
          f"{len(corpus.provinces)} provinces x {args.years} years, "
          f"{len(corpus.pages)} pages, "
          f"{rep.articles} articles ingested in {secs:.1f} s; {len(corpus.mentions)} true mentions, "
          f"{len(items)} found with their printed post ({missed} not extracted, left out)")
    print(f"{'kind':<10}{'pair P':>8}{'pair R':>8}{'B3 P':>8}{'B3 R':>8}{'B3 F1':>8}")
    for kind, idx in (("persons", 0), ("posts", 1), ("bodies", 2)):
        pred = [got[idx] for _, got in items]
        gold = [getattr(m.truth, ("person", "post", "org")[idx]) for m, _ in items]
        if kind != "persons":  # a mention without a predicted body or post is its own cluster
            pred = [p or f"none-{i}" for i, p in enumerate(pred)]
        pp, pr = pairwise(pred, gold)
        bp, br, bf = bcubed(pred, gold)
        print(f"{kind:<10}{pp:8.3f}{pr:8.3f}{bp:8.3f}{br:8.3f}{bf:8.3f}")
    # where the person errors are
    by_true: dict[str, set[str]] = defaultdict(set)
    by_pred: dict[str, set[str]] = defaultdict(set)
    for m, got in items:
        by_true[m.truth.person].add(got[0])
        by_pred[got[0]].add(m.truth.person)
    splits = defaultdict(int)
    for t, ps in by_true.items():
        if len(ps) > 1:
            splits[t.split(":")[-1]] += 1
    merges = defaultdict(int)
    for _, ts in by_pred.items():
        if len(ts) > 1:
            merges["+".join(sorted(t.split(":")[-1] for t in ts))] += 1
    print("people split over several nodes, by scenario:", dict(sorted(splits.items())) or "none")
    print("nodes holding several people, by scenario:", dict(sorted(merges.items())) or "none")
    return 0


if __name__ == "__main__":
    sys.exit(main())
