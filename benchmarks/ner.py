"""Person / place / organisation recognition on a BIO file (one ``CHAR TAG`` a line, blank between sentences).

    python benchmarks/ner.py ../shared/data/peopledaily-ner/dev.bio [--bare] [--errors N]

Prints precision, recall and F1 per type with exact span match. PER comes from ``kg.extract.ner``
(the tagger plus the repair rules); LOC and ORG are the tagger's own. ``--bare`` scores the tagger
alone, for comparison. Nothing of the corpus is copied anywhere.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kg.extract.ner import LacTagger, person_spans  # noqa: E402

TYPES = ("PER", "LOC", "ORG")


def read_bio(path: Path) -> list[list[tuple[str, str]]]:
    """Sentences as lists of (char, tag)."""
    sents: list[list[tuple[str, str]]] = []
    cur: list[tuple[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if cur:
                sents.append(cur)
                cur = []
            continue
        parts = line.split()
        ch = line[0] if len(parts) == 1 else parts[0]
        cur.append((ch, parts[-1]))
    if cur:
        sents.append(cur)
    return sents


def gold_spans(tags: list[str]) -> set[tuple[int, int, str]]:
    out, i = set(), 0
    while i < len(tags):
        if tags[i].startswith("B-"):
            ty, j = tags[i][2:], i + 1
            while j < len(tags) and tags[j] == "I-" + ty:
                j += 1
            out.add((i, j, ty))
            i = j
        else:
            i += 1
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("bio", type=Path)
    ap.add_argument("--bare", action="store_true", help="score the tagger alone, without the person rules")
    ap.add_argument("--errors", type=int, default=0, help="print this many person errors")
    args = ap.parse_args()
    tagger = LacTagger()
    tp, fp, fn = Counter(), Counter(), Counter()
    errors: list[str] = []
    chars = 0
    start = time.perf_counter()
    for sent in read_bio(args.bio):
        text = "".join(c for c, _ in sent)
        chars += len(text)
        gold = gold_spans([t for _, t in sent])
        toks = tagger.tag(text)
        pred = {(t.start, t.end, t.tag) for t in toks if t.tag in ("LOC", "ORG")}
        if args.bare:
            pred |= {(t.start, t.end, "PER") for t in toks if t.tag == "PER"}
        else:
            pred |= {(s, e, "PER") for s, e in person_spans(text, toks)}
        for sp in pred:
            (tp if sp in gold else fp)[sp[2]] += 1
        for sp in gold - pred:
            fn[sp[2]] += 1
        if len(errors) < args.errors:
            gp = {text[s:e] for s, e, t in gold if t == "PER"}
            pp = {text[s:e] for s, e, t in pred if t == "PER"}
            if gp != pp:
                errors.append(f"missing {sorted(gp - pp)} extra {sorted(pp - gp)} | {text[:50]}")
    seconds = time.perf_counter() - start
    print(f"{'type':<6}{'P':>7}{'R':>7}{'F1':>7}   tp/fp/fn")
    for ty in TYPES:
        p = tp[ty] / (tp[ty] + fp[ty]) if tp[ty] + fp[ty] else 0.0
        r = tp[ty] / (tp[ty] + fn[ty]) if tp[ty] + fn[ty] else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        print(f"{ty:<6}{p:7.3f}{r:7.3f}{f:7.3f}   {tp[ty]}/{fp[ty]}/{fn[ty]}")
    print(f"{chars} chars in {seconds:.1f}s")
    for line in errors:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
