"""Extraction throughput beside the bare NER tagger's, on the same text in the same run.

    python benchmarks/ingest.py [--repeat N] [--rounds R]

Text: the seed page and the dev articles (../shared/eval/dev), read into articles by the reader,
repeated N times. Prints chars/s of ``extract()`` on one worker and of the bare tagger (LAC) over the
same article bodies, and their ratio (goal: extraction at least 0.5x the bare tagger).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.extract.ner import LacTagger  # noqa: E402
from kg.extract.pipeline import extract  # noqa: E402
from kg.extract.sentences import split_sentences  # noqa: E402
from kg.model import Article, Publication  # noqa: E402
from kg.read import read_page  # noqa: E402

SHARED = ROOT.parent / "shared"


def corpus() -> list[Article]:
    arts: list[Article] = []
    seed = ROOT / "seeds" / "000_bd3172a97833ae3d.txt"
    arts += read_page(seed.read_text(encoding="utf-8"), Publication(locality="太原市"), seed.name, "")
    for path in sorted((SHARED / "eval" / "dev").glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        text = f"# {gold['title']}\n\n{gold['text']}\n"
        arts += read_page(text, Publication(locality=(gold.get("publication") or {}).get("locality")), path.name, "")
    return arts


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=2, help="how many times the corpus is repeated")
    ap.add_argument("--rounds", type=int, default=3, help="timed rounds; the best of each is kept")
    args = ap.parse_args()
    arts = corpus() * args.repeat
    chars = sum(len(a.body) for a in arts)
    tagger = LacTagger()
    tagger.tag("预热")  # load the model outside the timings
    extract(arts[0], tagger)

    def bare_bodies() -> None:
        for a in arts:
            tagger.tag(a.body)

    def bare_sentences() -> None:
        for a in arts:
            for s in split_sentences(a.body):
                tagger.tag(s.text)

    def full() -> None:
        for a in arts:
            extract(a, tagger)

    # best of several interleaved rounds: the machine is shared, so the slowest rounds measure the
    # neighbours, not the code
    best = {"bodies": 0.0, "sentences": 0.0, "extract": 0.0}
    for _ in range(args.rounds):
        for key, fn in (("bodies", bare_bodies), ("sentences", bare_sentences), ("extract", full)):
            start = time.perf_counter()
            fn()
            best[key] = max(best[key], chars / (time.perf_counter() - start))
    bare, bare_sent, full_rate = best["bodies"], best["sentences"], best["extract"]

    print(f"articles {len(arts)}, chars {chars}")
    print(f"bare tagger, whole bodies     {bare:10.0f} chars/s")
    print(f"bare tagger, sentence by sentence {bare_sent:6.0f} chars/s")
    print(f"extraction                    {full_rate:10.0f} chars/s")
    print(f"ratio to the faster bare run  {full_rate / max(bare, bare_sent):10.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
