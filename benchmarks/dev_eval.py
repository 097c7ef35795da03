"""Score ``extract()`` on the seed and dev gold without the CLI, reader or mapper.

    python benchmarks/dev_eval.py [GOLD ...] [--misses]

Builds Articles from the gold files (a crude page splitter stands in for the reader: ``#`` lines
start an article), turns each Extraction into the structure ``score.py`` reads back from RDF
(merging people by name and events by type, name and date across the articles of one page, as
the mapper does), and reuses ``score.py``'s own comparison. Articles and credits are the reader's,
so they are left out of the overall figure here.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.extract.pipeline import extract  # noqa: E402
from kg.model import Article, Extraction, Publication, Segment  # noqa: E402

SHARED = ROOT.parent / "shared"
KINDS = ("persons", "posts", "events", "participations", "elected", "amounts")


def load_scorer():
    spec = importlib.util.spec_from_file_location("score", SHARED / "eval" / "score.py")
    mod = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    return mod


def split_page(text: str) -> list[tuple[str, str]]:
    """(headline, body) pairs: a run of ``#`` lines starts an article."""
    arts: list[tuple[str, list[str]]] = []
    in_head = False
    for line in text.splitlines():
        short = len(line.strip()) <= 30 and not line.strip().endswith(("。", "”", ")", "）"))
        if line.startswith("#") or (short and line.strip() and "本报讯" not in line):
            head = line.lstrip("#").strip()
            if not in_head or not arts:
                arts.append((head, []))
            in_head = True
            continue
        if line.strip():
            in_head = False
            if not arts:
                arts.append(("", []))
            arts[-1][1].append(line.strip())
    return [(h, "\n".join(lines)) for h, lines in arts]


def articles_of(gold: dict, path: Path) -> list[Article]:
    meta = gold.get("publication") or {}
    date = dt.date.fromisoformat(meta["date"]) if meta.get("date") else None
    pub = Publication(meta.get("name"), date, meta.get("locality"))
    if "source" in gold:
        text = (path.parent / gold["source"]).read_text(encoding="utf-8")
    else:
        text = f"# {gold['title']}\n\n{gold['text']}\n"
    try:
        from kg.read import read_page

        return read_page(text, pub, path.name, "")
    except ImportError:  # before the reader landed: the crude splitter
        pairs = split_page(text)
    out = []
    for i, (h, body) in enumerate(pairs):
        out.append(Article(headline=h, body=body, segments=[Segment(0, 0, len(body))], publication=pub, index=i))
    return out


def to_pred(score, exts: list[Extraction], arts: list[Article]) -> dict:
    """What score.read_prediction would find in the mapped graph."""
    norm = score.norm
    persons: dict[str, dict] = {}
    for a in arts:  # credited people are mapped as persons too
        for c in a.credits:
            persons.setdefault(c.name, {"names": {norm(c.name)}, "posts": set()})
    events: dict[str, dict] = {}
    amounts = []
    for ext in exts:
        for p in ext.people:
            d = persons.setdefault(p.name, {"names": set(), "posts": set()})
            d["names"] |= {norm(p.name)} | {norm(a) for a in p.alternate_names}
            d["posts"] |= {norm(x.label) for x in p.posts}
            d.setdefault("by_org", {})
            for x in p.posts:  # one post per (organisation, title): the mapper keeps the longest label
                from kg.extract.posts import title_of

                k = (x.org, title_of(x.label)) if x.org else (x.label, None)
                old = d["by_org"].get(k)
                if old is None or len(x.label) > len(old):
                    d["by_org"][k] = x.label
            d["posts"] = {norm(v) for v in d["by_org"].values()}
        orgs = {o.key: o for o in ext.organizations}
        people = {p.key: p for p in ext.people}
        local: dict[str, str] = {}
        for e in ext.events:
            date = e.date.isoformat() if e.date else (f"--{e.month_day[0]:02d}-{e.month_day[1]:02d}"
                                                      if e.month_day else None)
            iri = f"{e.type}|{e.name}|{date}"
            local[e.key] = iri
            ev = events.setdefault(iri, {"types": {e.type}, "names": {norm(e.name)}, "dates": set(),
                                         "super": set(), "organizers": [], "parts": {}})
            if date:
                ev["dates"].add(date)
            for part in e.participations:
                if part.agent_kind == "Person":
                    names = {norm(people[part.agent].name)}
                else:
                    o = orgs[part.agent]
                    names = {norm(o.name)} | {norm(a) for a in o.alternate_names}
                slot = ev["parts"].setdefault(part.agent, {"roles": set(), "posts": set(), "names": names})
                slot["roles"] |= set(part.roles)
                if part.post:
                    slot["posts"].add(norm(part.post.label))
        for e in ext.events:
            if e.super_event:
                events[local[e.key]]["super"].add(local[e.super_event])
        amounts += [a.value for a in ext.amounts]
    for d in persons.values():
        d.pop("by_org", None)
    return {"articles": [], "persons": persons, "events": events, "amounts": amounts, "credits": set()}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("gold", nargs="*", default=[str(SHARED / "eval" / "seed-gold.json"), str(SHARED / "eval" / "dev")])
    ap.add_argument("--misses", action="store_true")
    args = ap.parse_args()
    score = load_scorer()
    files: list[Path] = []
    for item in args.gold:
        p = Path(item)
        files += sorted(p.glob("*.json")) if p.is_dir() else [p]
    total = {k: score.Tally() for k in KINDS}
    per_file = {}
    for path in files:
        gold = json.loads(path.read_text(encoding="utf-8"))
        gold = {k: v for k, v in gold.items() if k not in ("articles", "credits")}
        gold["articles"] = []
        arts = articles_of(gold, path)
        exts = [extract(a) for a in arts]
        tallies = score.score_one(gold, to_pred(score, exts, arts))
        per_file[path.stem] = round(sum(tallies[k].prf()[2] for k in KINDS) / len(KINDS), 3)
        for k in KINDS:
            total[k].add(tallies[k])
            if args.misses:
                for m in tallies[k].misses:
                    print(f"  {path.stem} {k}: {m}")
    print(f"{'kind':<15}{'P':>7}{'R':>7}{'F1':>7}   tp/fp/fn")
    f1s = []
    for k in KINDS:
        p, r, f = total[k].prf()
        f1s.append(f)
        print(f"{k:<15}{p:7.3f}{r:7.3f}{f:7.3f}   {total[k].tp_r}/{total[k].fp}/{total[k].fn}")
    print("per file:", json.dumps(per_file))
    print(f"mean F1 over these kinds {sum(f1s) / len(f1s):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
