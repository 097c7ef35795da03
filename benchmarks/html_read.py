"""HTML reading cost beside extraction, and sameness, on generated articles (issue 18).

    python benchmarks/html_read.py --articles 200 [--seed 1] [--no-extract]

Every article of a generated corpus (benchmarks/corpus.py) is written as an HTML page in three layouts (a
Founder ENP e-paper page, a news site with navigation/share/copyright, a page of no known layout that goes
through trafilatura) and read back with ``kg.read.inputs.read_input``. Reported: CPU milliseconds per article to
read the text page and each HTML page, the extractor's milliseconds per article, HTML reading's extra cost as
a share of (text reading + extraction), and how many articles read back to the same text and the same facts.
CPU time (``time.process_time``), not wall-clock time: on a shared machine the ratio then does not depend on
what the other tenants do. Why here and not in ingest_scale.py: that benchmark measures the pool and the
store; this one isolates the reader, which is what HTML adds.
"""

from __future__ import annotations

import argparse
import html as H
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PAGE = {
    "enp": """<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"><title>日报</title></head>
<body><!--enpproperty <date>{date}</date><author></author><title>{headline}</title><subtitle>{subtitle}</subtitle>
<introtitle>{kicker}</introtitle><pagenum>02</pagenum>/enpproperty-->
<div class="topbar">数字报 | 今日报纸 | 往期回顾</div><h3>{kicker}</h3><h1>{headline}</h1><h2>{subtitle}</h2>
<div id="ozoom"><founder-content>{paras}</founder-content></div><div class="copyright">版权所有</div></body></html>""",
    "site": """<!DOCTYPE html><html><head><meta charset="utf-8"><title>{headline}_要闻_新闻网</title></head><body>
<div class="nav"><a href="/">首页</a> | <a href="/yw/">要闻</a></div>
<div class="main"><div class="kicker">{kicker}</div>
<h1>{headline}</h1><div class="subtitle">{subtitle}</div><div class="info">{date} 来源：日报</div>
<div class="content">{paras}<p>责任编辑：某编辑</p></div><div class="share">分享到：微信 微博</div></div>
<div class="footer">Copyright © 新闻网 版权所有</div></body></html>""",
    "generic": """<!DOCTYPE html><html><head><meta charset="utf-8"><title>{headline} | 在线</title>
<meta property="article:published_time" content="{date}T08:00:00+08:00"></head><body>
<header><nav><a href="/">首页</a> <a href="/local">本地</a> <a href="/login">登录</a></nav></header><main><article>
<h1>{headline}</h1><section class="story">{paras}</section></article>
<aside><h2>热门</h2><ul><li><a href="/1">另一条新闻标题</a>
</li></ul></aside></main><footer><p>Copyright © 在线</p></footer></body></html>""",
}


def facts(x) -> tuple:  # type: ignore[no-untyped-def]
    names = {p.key: p.name for p in x.people} | {o.key: o.name for o in x.organizations}
    return (sorted((p.name, sorted(q.label for q in p.posts)) for p in x.people),
            sorted((e.type, e.name, str(e.date)) for e in x.events),
            sorted((e.name, names.get(r.agent) or "", sorted(r.roles)) for e in x.events for r in e.participations),
            sorted(str(a.value) for a in x.amounts))


def article_pages(corpus: Path) -> Iterator[tuple[str, str, str, dict[str, str]]]:
    """Each article of a generated corpus alone: (name, its text page, its date, its HTML page in each layout).

    Why one article a page: a text page of several articles has no single HTML equivalent; alone, the text page
    and the HTML pages hold the same article, so reading and facts compare like for like."""
    from kg.read.inputs import read_input

    n = 0
    for page in sorted(corpus.rglob("*.txt")):
        for a in read_input(page)[1]:
            kick = next((h.text for h in a.headlines if h.kind == "kicker"), "")
            sub = next((h.text for h in a.headlines if h.kind == "subtitle"), "")
            lines = ([kick] if kick else []) + [f"# {a.headline}"] + ([sub] if sub else [])
            paras = "".join(f"<p>{H.escape(p)}</p>" for p in a.body[a.text_start:].split("\n"))
            html = {layout: tpl.format(date=a.publication.date or "", headline=H.escape(a.headline),
                                       kicker=H.escape(kick), subtitle=H.escape(sub), paras=paras)
                    for layout, tpl in PAGE.items()}
            yield f"a{n:05d}", "\n".join(lines) + "\n\n" + a.body[a.text_start:] + "\n", str(a.publication.date), html
            n += 1


def main(argv: list[str] | None = None) -> int:
    from benchmarks.corpus import generate
    from kg.extract.pipeline import extract
    from kg.read.inputs import read_input

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-extract", action="store_true", help="compare texts only (fast)")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        generate(out / "corpus", args.articles, seed=args.seed)
        singles = []
        for name, text, date, html in article_pages(out / "corpus"):
            (out / f"{name}.txt").write_text(text, encoding="utf-8")
            # the date as the HTML pages state it, so both readings know it (events get their year from it)
            (out / f"{name}.meta.json").write_text(f'{{"date": "{date}"}}', encoding="utf-8")
            for layout, page in html.items():
                (out / f"{name}.{layout}.html").write_text(page, encoding="utf-8")
            singles.append(name)
        read_ms: dict[str, float] = {}
        same_text: dict[str, int] = {}
        same_facts: dict[str, int] = {}
        ref: dict[str, object] = {}
        extract_s = 0.0
        for kind in ["text", *PAGE]:
            t0 = time.process_time()
            got = {n: read_input(out / (f"{n}.txt" if kind == "text" else f"{n}.{kind}.html"))[1][0] for n in singles}
            read_ms[kind] = (time.process_time() - t0) * 1000 / len(singles)
            if kind == "text":
                ref = got
                if not args.no_extract:
                    t0 = time.process_time()
                    ref_facts = {n: facts(extract(a)) for n, a in got.items()}
                    extract_s = time.process_time() - t0
                continue
            same_text[kind] = sum(got[n].body[got[n].text_start:] == ref[n].body[ref[n].text_start:]  # type: ignore[attr-defined]
                                  for n in singles)
            if not args.no_extract:
                same_facts[kind] = sum(facts(extract(got[n])) == ref_facts[n] for n in singles)
    ext_ms = extract_s * 1000 / len(singles)
    print(f"{len(singles)} articles; text page read {read_ms['text']:.2f} ms/article"
          + (f", extraction {ext_ms:.1f} ms/article" if ext_ms else ""))
    for kind in PAGE:
        extra = read_ms[kind] - read_ms["text"]
        share = f", +{extra / (read_ms['text'] + ext_ms):.0%} on text read + extraction" if ext_ms else ""
        facts_s = f", same facts {same_facts[kind]}/{len(singles)}" if same_facts else ""
        print(f"  {kind:8s} read {read_ms[kind]:6.2f} ms/article{share}; same text {same_text[kind]}/{len(singles)}"
              f"{facts_s}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
