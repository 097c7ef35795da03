"""Identity on real text: the seed and the dev gold pages in ONE store — is every gold person one node?

    python benchmarks/identity_gold.py [GOLD ...]      # default: ../shared/eval/seed-gold.json, dev, dev2

Each gold page is ingested with its own publication metadata into one store (so namesakes of
different papers and places meet, as in a real store). Then, per gold file, for every gold person:
the ``schema:Person`` nodes its articles mention whose names match the person's must be exactly one
(split otherwise); and no node may match two gold people (merged) — two gold people of different
files count only when their papers' localities differ or both files state different posts, since the
gold cannot say whether the same name in one city is one person — unless every one of them holds, by
its gold (posts or optional posts), a title only a national leader bears (总书记: one person in every
paper). Prints the counts and every failure; exit status 1 if any.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import unicodedata
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from kg.ingest import ingest_file  # noqa: E402
from kg.store import open_store  # noqa: E402

SHARED = ROOT.parent / "shared" / "eval"
PUNCT = "\"'“”‘’《》〈〉「」『』()（）[]【】 \t\n\u3000·•"
BASE = "http://identity-gold.test"


def norm(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKC", str(text)) if c not in PUNCT)


def gold_files(args: list[str]) -> list[Path]:
    items = args or [str(SHARED / "seed-gold.json"), str(SHARED / "dev"), str(SHARED / "dev2")]
    out: list[Path] = []
    for item in items:
        p = Path(item)
        out += sorted(p.glob("*.json")) if p.is_dir() else [p]
    return out


def source_of(gold: dict, path: Path, tmp: Path) -> Path:
    if "source" in gold:
        return (path.parent / gold["source"]).resolve()
    src = tmp / f"{gold['id']}.txt"
    src.write_text(f"# {gold['title']}\n\n{gold['text']}\n", encoding="utf-8")
    return src


NODES = """PREFIX schema: <https://schema.org/>
SELECT DISTINCT ?p ?n WHERE {
  VALUES ?a { %s }
  GRAPH ?a { ?p a schema:Person . { ?p schema:name ?n } UNION { ?p schema:alternateName ?n } }
}"""


CAREERS = """PREFIX kg: <https://w3id.org/newskg/ontology#>
SELECT ?m WHERE { GRAPH ?a { ?m a kg:PersonMention ; kg:identityBasis kg:CareerJoin } }"""


def national_titled(person: dict) -> bool:
    """A gold person given (as post or optional post) a title only a national leader bears."""
    from kg.rdf.identity import rules

    titles = set(rules()["national_titles"]) | set(rules()["national_titles_after_name"])
    labels = [lab for alts in person.get("posts", []) for lab in (alts if isinstance(alts, list) else [alts])]
    return any(norm(lab) in titles for lab in labels + list(person.get("optional_posts", [])))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("gold", nargs="*")
    args = ap.parse_args()
    files = gold_files(args.gold)
    split, merged, people = [], [], 0
    with tempfile.TemporaryDirectory() as tmp_:
        tmp = Path(tmp_)
        store = open_store(tmp / "store")
        try:
            arts: dict[Path, list[str]] = {}
            golds: dict[Path, dict] = {}
            for path in files:
                gold = json.loads(path.read_text(encoding="utf-8"))
                meta = gold.get("publication") or {}
                res = ingest_file(store, source_of(gold, path, tmp), base=BASE, publication=meta.get("name"),
                                  date=meta.get("date"), locality=meta.get("locality"))
                arts[path], golds[path] = res.articles, gold
            holders: dict[str, set[tuple[str, str, str | None]]] = defaultdict(set)
            national: set[tuple[str, str]] = set()  # (file, first name) of gold people with a national title
            for path in files:
                gold = golds[path]
                values = " ".join(f"<{a}>" for a in arts[path])
                names_of: dict[str, set[str]] = defaultdict(set)
                for r in store.query(NODES % values).rows():
                    names_of[str(r["p"])].add(norm(r["n"]))
                locality = (gold.get("publication") or {}).get("locality")
                for person in gold["people"]:
                    people += 1
                    want = {norm(n) for n in person["names"]}
                    nodes = sorted(p for p, ns in names_of.items() if ns & want)
                    if len(nodes) > 1:
                        split.append(f"{path.name} {person['names'][0]}: {len(nodes)} nodes {nodes}")
                    for node in nodes:
                        holders[node].add((path.name, person["names"][0], locality))
                    if national_titled(person):
                        national.add((path.name, person["names"][0]))
            for node, held in sorted(holders.items()):
                if len({(f, n) for f, n, _ in held}) < 2:
                    continue
                localities = {loc for _, _, loc in held}
                files_ = {f for f, _, _ in held}
                one_leader = len(files_) > 1 and all((f, n) in national for f, n, _ in held)
                if len(files_) == 1 or (len(localities) > 1 and not one_leader):  # one page, or two places
                    merged.append(f"{node}: {sorted(held, key=str)}")
            careers = len(list(store.query(CAREERS).rows()))
        finally:
            store.close()
    print(f"gold files {len(files)}, gold people {people}")
    print(f"split (a gold person on several nodes): {len(split)}")
    for line in split:
        print("  " + line)
    print(f"merged (a node holding two gold people): {len(merged)}")
    for line in merged:
        print("  " + line)
    print(f"career joins (mentions moved onto another line of work's person, kg.careers): {careers}")
    return 1 if split or merged else 0


if __name__ == "__main__":
    sys.exit(main())
