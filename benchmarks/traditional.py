"""The dev sets in traditional characters score as in simplified (issue 22), and what the check costs.

    python benchmarks/traditional.py [GOLD_DIR ...] [--misses]

Each gold article of ``../shared/eval/dev`` and ``dev2`` is converted to traditional characters by
OpenCC (s2t), text and gold alike (names, posts, event names: a traditional print states them in
traditional characters), and scored with ``benchmarks/dev_eval.py``'s path (reader, ``extract()``,
``score.py``'s comparison) beside the simplified original. Goal: every set within 0.02 of its
simplified figure. Then the cost on simplified text: the script check per article of the seed page
and the dev sets, against the extraction time of the same articles.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.dev_eval import KINDS, SHARED, articles_of, load_scorer, to_pred  # noqa: E402
from kg.extract.pipeline import extract  # noqa: E402
from kg.model import Publication  # noqa: E402
from kg.read import read_page  # noqa: E402
from kg.script import has_traditional  # noqa: E402

KEEP = {"key", "types", "roles", "alt_roles", "kind", "role", "date", "value", "id", "source", "publication"}


def to_traditional(gold: dict) -> dict:
    """The gold article as a traditional print would state it (structure and dates untouched)."""
    import opencc

    s2t = opencc.OpenCC("s2t").convert

    def conv(v, key: str = ""):  # noqa: ANN001, ANN202 - walks JSON
        if key in KEEP:
            return v
        if isinstance(v, str):
            return s2t(v)
        if isinstance(v, list):
            return [conv(x) for x in v]
        if isinstance(v, dict):
            return {k: conv(x, k) for k, x in v.items()}
        return v

    return conv(gold)


def score_set(score, files: list[Path], traditional: bool, misses: bool) -> tuple[float, dict, float]:  # noqa: ANN001
    """Mean F1 over dev_eval's kinds, the per-kind figures and the seconds spent in extract()."""
    total = {k: score.Tally() for k in KINDS}
    seconds = 0.0
    for path in files:
        gold = json.loads(path.read_text(encoding="utf-8"))
        gold = {k: v for k, v in gold.items() if k not in ("articles", "credits")}
        if traditional:
            gold = to_traditional(gold)
        gold["articles"] = []
        arts = articles_of(gold, path)
        t0 = time.perf_counter()
        exts = [extract(a) for a in arts]
        seconds += time.perf_counter() - t0
        tallies = score.score_one(gold, to_pred(score, exts, arts))
        for k in KINDS:
            total[k].add(tallies[k])
            if misses:
                for m in tallies[k].misses:
                    print(f"  {'trad' if traditional else 'simp'} {path.stem} {k}: {m}")
    f1 = {k: round(total[k].prf()[2], 3) for k in KINDS}
    return sum(f1.values()) / len(KINDS), f1, seconds


def check_cost(repeat: int = 2000) -> None:
    """The script check on simplified articles (seed page and dev sets), beside their extraction time."""
    arts = []
    seed = ROOT / "seeds" / "000_bd3172a97833ae3d.txt"
    arts += read_page(seed.read_text(encoding="utf-8"), Publication(locality="太原市"), seed.name, "")
    n_seed = len(arts)
    for path in sorted([*(SHARED / "eval" / "dev").glob("*.json"), *(SHARED / "eval" / "dev2").glob("*.json")]):
        arts += articles_of(json.loads(path.read_text(encoding="utf-8")), path)
    chars = sum(len(a.body) for a in arts)
    flagged = [a.source_name for a in arts if has_traditional(a.body) or has_traditional(a.headline)]
    runs = []
    for _ in range(5):
        t0 = time.perf_counter()
        for _ in range(repeat):
            for a in arts:
                has_traditional(a.body) or has_traditional(a.headline)
        runs.append((time.perf_counter() - t0) / repeat)
    check = statistics.median(runs)
    for a in arts[:2]:
        extract(a)  # warm the tagger
    t0 = time.perf_counter()
    for a in arts:
        extract(a)
    ext = time.perf_counter() - t0
    print(f"check on {len(arts)} simplified articles ({n_seed} of the seed page), {chars} chars: "
          f"{check * 1e6:.1f} µs in all ({check / chars * 1e9:.2f} ns/char); extraction {ext:.2f} s "
          f"-> the check is {check / ext * 100:.4f}% of extraction")
    print(f"articles converted although simplified (a traditional-only character in a simplified print): {flagged}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("gold", nargs="*", default=[str(SHARED / "eval" / "dev"), str(SHARED / "eval" / "dev2")])
    ap.add_argument("--misses", action="store_true")
    ap.add_argument("--no-cost", action="store_true", help="skip the cost measurement")
    args = ap.parse_args(argv)
    score = load_scorer()
    worst = 0.0
    for folder in args.gold:
        files = sorted(Path(folder).glob("*.json"))
        simp, fs, ss = score_set(score, files, False, args.misses)
        trad, ft, st = score_set(score, files, True, args.misses)
        worst = max(worst, simp - trad)
        print(f"{Path(folder).name}: {len(files)} articles  simplified {simp:.3f}  traditional {trad:.3f}  "
              f"diff {trad - simp:+.3f}   extract {ss:.1f} s / {st:.1f} s")
        for k in KINDS:
            if fs[k] != ft[k]:
                print(f"    {k}: {fs[k]:.3f} -> {ft[k]:.3f}")
    if not args.no_cost:
        check_cost()
    print(f"largest drop {worst:.3f} (goal: at most 0.02)")
    return 0 if worst <= 0.02 else 1


if __name__ == "__main__":
    sys.exit(main())
