"""Which main-text extractor reads Chinese article pages best (issue 18): this reader, trafilatura, readability-lxml.

    python benchmarks/html_extractors.py

Pages: the HTML fixture pages (tests/fixtures/html: seven real reports in seven e-paper and site layouts;
tests/data/html: one invented article in five layouts), each beside the text page of the same article, which
is the known article text. Each extractor gets the page's HTML (decoded as the reader decodes it) and returns
text; measured against the known paragraphs:

- paragraph recall: the share of the article's paragraphs found whole in the extracted text;
- character recall and precision: the characters (punctuation and spaces left out) the extracted text has in
  common with the article's, as a share of the article's and of the extracted text's;
- milliseconds per page (a shared machine: compare the extractors with each other, not across runs).

``kg`` is ``kg.read.html.read_html`` (the layout adapters first, trafilatura for pages of no known layout);
``trafilatura`` is ``kg.read.html.generic_text`` alone, trafilatura as the reader calls it for a page of no
known layout (tables kept; for precision, then for recall); ``trafilatura (before)`` is how it was called
before this measurement (no tables, precision only); ``readability`` is readability-lxml's ``Document.summary()``.
The headline, kicker and byline are not part of the article text here: an extractor that keeps them loses
some precision, as it would in the store.
"""

from __future__ import annotations

import re
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PUNCT = re.compile(r"[\s\W_]+", re.U)


def norm(text: str) -> str:
    return PUNCT.sub("", unicodedata.normalize("NFKC", text))


def pages() -> list[tuple[str, str, list[str]]]:
    """(name, html, the article's paragraphs) for every fixture page."""
    from kg.read.html import decode_html
    from kg.read.inputs import read_input

    out = []
    for folder in (ROOT / "tests" / "fixtures" / "html", ROOT / "tests" / "data" / "html"):
        for page in sorted(folder.glob("*.html")):
            text = folder / (page.name.split(".")[0] + ".txt")
            if not text.exists():
                text = next(folder.glob("*.txt"))  # tests/data/html: one article in every layout
            a = read_input(text)[1][0]
            paras = [p for p in a.body[a.text_start:].split("\n") if p.strip()]
            out.append((f"{folder.name}/{page.name}", decode_html(page.read_bytes(), page.name), paras))
    return out


def ours(html: str) -> str:
    from kg.read.html import read_html

    return "\n".join(read_html(html, "page").paragraphs)


def trafilatura_alone(html: str) -> str:
    from kg.read.html import generic_text

    return generic_text(html)


def trafilatura_before(html: str) -> str:
    """trafilatura as the reader called it before this benchmark: no tables, precision only."""
    import trafilatura

    return trafilatura.extract(html, output_format="txt", include_comments=False, include_tables=False,
                               favor_precision=True, deduplicate=False, fast=True) or ""


def readability_lxml(html: str) -> str:
    import lxml.html
    from readability import Document

    summary = Document(html).summary(html_partial=True)
    root = lxml.html.fromstring(summary)
    for br in root.iter("br"):
        br.tail = "\n" + (br.tail or "")
    for blk in root.iter("p", "div", "li", "tr", "td"):
        blk.tail = "\n" + (blk.tail or "")
    return root.text_content()


EXTRACTORS: dict[str, Callable[[str], str]] = {"kg": ours, "trafilatura": trafilatura_alone,
                                                "trafilatura (before)": trafilatura_before,
                                                "readability": readability_lxml}


def score(got: str, paras: list[str]) -> tuple[float, float, float]:
    """(paragraph recall, character recall, character precision)."""
    flat = norm(got)
    para_r = sum(norm(p) in flat for p in paras) / len(paras)
    want, have = Counter(norm("".join(paras))), Counter(flat)
    common = sum((want & have).values())
    return para_r, common / max(1, sum(want.values())), common / max(1, sum(have.values()))


def main(argv: list[str] | None = None) -> int:
    data = pages()
    for _, html, _ in data[:2]:  # load every library once before timing
        for fn in EXTRACTORS.values():
            fn(html)
    print(f"{len(data)} pages")
    print("| extractor | paragraph recall | char recall | char precision | pages with every paragraph | ms/page |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, fn in EXTRACTORS.items():
        rows, worst = [], []
        t0 = time.perf_counter()
        for page, html, paras in data:
            try:
                got = fn(html)
            except Exception:  # an extractor that fails on a page scores zero on it
                got = ""
            rows.append(score(got, paras))
            if rows[-1][0] < 1:
                worst.append(page)
        ms = (time.perf_counter() - t0) * 1000 / len(data)
        n = len(rows)
        print(f"| {name} | {sum(r[0] for r in rows) / n:.3f} | {sum(r[1] for r in rows) / n:.3f} | "
              f"{sum(r[2] for r in rows) / n:.3f} | {n - len(worst)}/{n} | {ms:.1f} |")
        if worst:
            print(f"|   missed paragraphs in: {', '.join(worst)} | | | | | |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
