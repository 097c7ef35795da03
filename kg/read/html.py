"""An HTML page (an e-paper article page or a news site's article) into the text page the text reader reads.

Why a text page and not Articles directly: the text reader (``kg.read.page``) already knows kickers, subtitles,
bylines, photo credits and continuation markers; writing the HTML's parts out as the lines of a text page
(kicker, ``# headline``, subtitle, author line, paragraphs) gives the extractor exactly the text the same
article given as a ``.txt`` page gives it, so both yield the same facts. Offsets then point into that text
page, which is stored with the article like any page's text.

Known layouts are read from their markup (fast, and the kicker/subtitle/author fields are kept apart);
other pages go through trafilatura, a maintained boilerplate remover, for the main text.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from kg.errors import InputError

_GB = {"gb2312", "gbk", "gb_2312-80", "x-gbk", "gb18030", "cp936", "euc-cn", "hz-gb-2312"}
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_DATE = re.compile(r"(20\d\d|19\d\d)\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})")
_PAGE = re.compile(r"第\s*([A-Za-z]?\d{1,3}|[一二三四五六七八九十]{1,3})\s*版|(?<![A-Za-z0-9])([A-H]\d{1,2})\s*版")
_BOILER = re.compile(
    r"^\s*[\[【（(]?\s*(责任编辑|责编|编辑|校对|审核|审校|来源|分享到|版权所有|Copyright|扫一扫|打印|关闭窗口)"
    r"|^\s*©|^\s*(上一篇|下一篇|返回目录|返回版面)",
    re.I,
)
_WS = " \t\r\n\u3000\u00a0\ufeff"

# class/id names the e-paper systems and news sites use for the parts of an article
_KICKER = ("introtitle", "yinti", "pretitle", "leadtitle", "kicker", "yt")
_TITLE = ("founder-title", "article-title", "arttitle", "newstitle", "title", "biaoti")
_SUBTITLE = ("subtitle", "sub-title", "futi", "subhead")
_AUTHOR = ("founder-author", "author", "byline", "zuozhe")
_BODY = ("founder-content", "ozoom", "article-content", "articlecontent", "content", "text", "zhengwen")


@dataclass(frozen=True)
class Layout:
    """Where one e-paper system or site template puts an article's parts, as XPath expressions.

    Why a table of XPaths: the e-paper systems most Chinese local papers run on print every article page from
    one template, and public crawlers of those papers read them with exactly such expressions; a class-name
    guess (below) misses them (``newsdetatit`` is no ``title``) or takes the wrong element (an editor line
    in ``show_author``). An expression may select an element or an attribute (a ``<meta>`` content).
    """

    name: str
    title: str
    body: str
    kicker: str = ""
    subtitle: str = ""
    author: str = ""
    info: str = ""  # where the date and 版次 are printed
    page: str = ""  # where the 版次 alone is printed, as "A02:综合" or "02版"


LAYOUTS = (
    # Founder e-paper, "pc/con" pages: div.newsdetatit (p.intro, h3, p.sub, date line), div.newsdetatext
    Layout("founder-pc", title='//div[@class="newsdetatit"]/h3', body='//div[@class="newsdetatext"]',
           kicker='//div[@class="newsdetatit"]/*[@class="intro"]',
           subtitle='//div[@class="newsdetatit"]/*[@class="sub"]',
           info='//div[@class="newsdetatit"]'),
    # Founder e-paper, "pc/con" pages with ids: p#PreTitle, h2#Title, p#SubTitle, div#ozoom
    Layout("founder-ids", title='//*[@id="Title"]', body='//div[@id="ozoom"]', kicker='//*[@id="PreTitle"]',
           subtitle='//*[@id="SubTitle"]', info='//*[@id="layout"]/..', page='//*[@id="layout"]'),
    # People's Daily style e-paper: div.text_c with h3 (引题), h1, h2 (副题), h4 (byline); div#ozoom
    Layout("text_c", title='//div[contains(@class,"text_c")]/h1', body='//div[@id="ozoom"]',
           kicker='//div[contains(@class,"text_c")]/h3', subtitle='//div[contains(@class,"text_c")]/h2',
           author='//div[contains(@class,"text_c")]/h4', info='//div[contains(@class,"text_c")]'),
    # cnepaper/old Founder table pages: rows of table.wz (引题, 主题, 副题), text in table#newspic or div#ozoom
    Layout("cnepaper", title='//table[@class="wz"]//table//tr[@valign="top"][2]/td',
           body='//div[@id="ozoom"] | //table[@id="newspic"]//table//td',
           kicker='//table[@class="wz"]//table//tr[@valign="top"][1]/td',
           subtitle='//table[@class="wz"]//table//tr[@valign="top"][3]/td', info='//table[@class="wz"]'),
    # TRS WCM, the content system of many government sites: ArticleTitle/PubDate metas, div.TRS_Editor
    Layout("trs", title='//meta[@name="ArticleTitle"]/@content',
           body='//div[contains(concat(" ", normalize-space(@class), " "), " TRS_Editor ")]',
           info='//meta[@name="PubDate"]/@content'),
)


def _xtext(root, xpath: str) -> str:  # type: ignore[no-untyped-def]
    """The first match's text (an element's text content, or an attribute's value), normalised."""
    if not xpath:
        return ""
    hit = root.xpath(xpath)
    if not hit:
        return ""
    first = hit[0]
    return _norm(str(first) if isinstance(first, str) else first.text_content())


def _layout(root, art: HtmlArticle):  # type: ignore[no-untyped-def]
    """The first known layout whose title and body the page has: fills what ENP metadata left empty and
    returns the body element, else None."""
    for lay in LAYOUTS:
        bodies = root.xpath(lay.body)
        title = _xtext(root, lay.title)
        if not bodies or not title:
            continue
        _layout_fields(root, lay, title, art)
        return bodies[0]
    return None


def _layout_fields(root, lay: Layout, title: str, art: HtmlArticle) -> None:  # type: ignore[no-untyped-def]
    """The fields ``lay``'s XPath table finds, where ENP metadata left them empty."""
    art.layout = art.layout or lay.name
    art.headline = art.headline or title
    art.kickers = art.kickers or [x for x in [_xtext(root, lay.kicker)] if x]
    art.subtitles = art.subtitles or [x for x in [_xtext(root, lay.subtitle)] if x]
    author = _xtext(root, lay.author)
    if author and not art.author and not _BOILER.search(author):
        art.author = author
    info = _xtext(root, lay.info)[:200]
    art.date = art.date or _date(info)
    m = _PAGE.search(info)
    if m and not art.page:
        art.page = m.group(1) or m.group(2)
    m = re.match(r"第?\s*([A-Za-z]{0,2}\d{1,3})\s*(?:版|[:：\s]|$)", _xtext(root, lay.page))
    if m and not art.page:
        art.page = m.group(1)


@dataclass
class HtmlArticle:
    """What one HTML page states about its article, and the text page written from it."""

    headline: str = ""
    kickers: list[str] = field(default_factory=list)
    subtitles: list[str] = field(default_factory=list)
    author: str = ""
    paragraphs: list[str] = field(default_factory=list)
    url: str = ""
    date: dt.date | None = None
    page: str = ""  # 版次 as printed (e.g. 03, A2)
    layout: str = ""  # which reader found the parts: enp, markup, generic

    def text_page(self) -> str:
        """The page as the text reader reads it: kickers, ``# headline``, subtitles, author, paragraphs."""
        lines = [*self.kickers, f"# {self.headline}", *self.subtitles]
        if self.author:
            lines.append(self.author if re.search(r"记者|作者|通讯员|本报|摄|文[/／:：]", self.author)
                         else f"作者：{self.author}")
        return "\n".join(lines) + "\n\n" + "\n".join(self.paragraphs) + "\n"


def decode_html(data: bytes, name: str, encoding: str | None = None) -> str:
    """Bytes to text: ``--encoding``, else a BOM, else the page's own ``<meta charset>``/http-equiv, else UTF-8,
    else charset-normalizer's guess. GB2312/GBK are read as GB18030, their superset (pages labelled
    GB2312 routinely hold GBK characters). A few broken bytes are replaced rather than failing the page."""
    if not data.strip():
        raise InputError(f"{name}: empty file")
    if encoding:
        try:
            return data.decode(encoding)
        except LookupError:
            raise InputError(f"{name}: unknown encoding {encoding!r}") from None
        except UnicodeDecodeError as exc:
            raise InputError(f"{name}: not valid {encoding} at byte {exc.start}") from None
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    declared = None
    m = _META_CHARSET.search(data[:8192])
    if m:
        declared = m.group(1).decode("ascii").lower()
        declared = "gb18030" if declared in _GB else declared
        try:
            return data.decode(declared)
        except LookupError:
            declared = None
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    guess = best.encoding if best is not None else None
    enc = "gb18030" if guess in _GB or guess is None else guess
    if declared:
        enc = declared
    return data.decode(enc, errors="replace")


def _norm(s: str) -> str:
    return re.sub(r"[ \t\r\u00a0]+", " ", s).strip(_WS)


def _classes(el) -> str:  # type: ignore[no-untyped-def]
    tag = el.tag if isinstance(el.tag, str) else ""
    return f"{tag} {el.get('class', '')} {el.get('id', '')}".lower()


def _paragraphs(el) -> list[str]:  # type: ignore[no-untyped-def]
    """The body's paragraphs: block elements and ``<br>`` end a paragraph; boilerplate lines are dropped."""
    from lxml import etree

    for bad in el.xpath(".//script|.//style|.//noscript"):
        bad.getparent().remove(bad)
    for br in el.xpath(".//br"):
        br.tail = "\n" + (br.tail or "")
    for blk in el.xpath(".//p|.//div|.//li|.//h1|.//h2|.//h3|.//h4|.//tr"):
        blk.tail = "\n" + (blk.tail or "")
        if len(blk) or blk.text:
            blk.text = "\n" + (blk.text or "")
    text = etree.tostring(el, method="text", encoding="unicode", with_tail=False)
    return [p for p in (_norm(x) for x in text.split("\n")) if p and not _BOILER.search(p)]


def _date(value: str) -> dt.date | None:
    m = _DATE.search(value or "")
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _enp(html: str) -> dict[str, str]:
    """Founder ENP e-paper pages carry the article's fields in an ``<!--enpproperty ...-->`` comment."""
    m = re.search(r"<!--\s*enpproperty(.*?)/enpproperty\s*-->", html, re.S | re.I)
    if not m:
        return {}
    return {k.lower(): _norm(v) for k, v in re.findall(r"<(\w+)>(.*?)</\1>", m.group(1), re.S)}


_WORDS = re.compile(r"[\s_]+")


def _first(root, names: tuple[str, ...], within=None) -> object | None:  # type: ignore[no-untyped-def]
    """The first element (in document order) named by the first of ``names`` that any element has.

    Each element's words are split once per call, not once per name: this search was most of an HTML
    page's reading time."""
    scope = within if within is not None else root
    words = [(el, set(_WORDS.split(_classes(el)))) for el in scope.iter() if isinstance(el.tag, str)]
    for name in names:
        for el, have in words:
            if name in have:
                return el
    return None


def generic_text(html: str) -> str:
    """The main text of a page of no known layout, by trafilatura: for precision first, then for recall.

    Why tables and a second try (benchmarks/html_extractors.py, on the fixture pages): e-paper pages are often
    laid out in tables, and without tables trafilatura found no text in 5 of 12 pages; for precision alone
    it still found none in two short pages that the recall setting reads whole."""
    import trafilatura

    for mode in ({"favor_precision": True, "fast": True}, {"favor_recall": True}):
        text = trafilatura.extract(html, output_format="txt", include_comments=False, include_tables=True,
                                   deduplicate=False, **mode)
        if text and text.strip():
            return text
    return ""


def _parse(html: str, name: str):  # type: ignore[no-untyped-def]
    """The page's element tree; an InputError when lxml cannot read it."""
    import lxml.html
    from lxml import etree

    try:
        return lxml.html.document_fromstring(html.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8"))
    except (etree.ParserError, ValueError) as exc:
        raise InputError(f"{name}: not readable as HTML ({exc})") from None


def _canonical_url(root) -> str:  # type: ignore[no-untyped-def]
    """The page's own address as it states it (``<link rel=canonical>``, else ``og:url``), or ""."""
    for xp in ('//link[@rel="canonical"]/@href', '//meta[@property="og:url"]/@content'):
        hit = root.xpath(xp)
        if hit and str(hit[0]).strip().startswith(("http://", "https://")):
            return str(hit[0]).strip()
    return ""


def _meta_date(root) -> dt.date | None:  # type: ignore[no-untyped-def]
    """The publication date from the page's ``<meta>`` tags, the first that reads as a date."""
    for xp in ('//meta[@name="publishdate" or @name="PubDate" or @name="pubdate" or @name="date"]/@content',
               '//meta[@property="article:published_time"]/@content'):
        hit = root.xpath(xp)
        if hit:
            found = _date(str(hit[0]))
            if found:
                return found
    return None


def _apply_enp(art: HtmlArticle, enp: dict[str, str]) -> None:
    """The fields of a Founder ENP comment, which win over the page's meta tags."""
    if not enp:
        return
    art.layout = "enp"
    art.headline = enp.get("title", "")
    art.kickers = [x for x in [enp.get("introtitle", "")] if x]
    art.subtitles = [x for x in [enp.get("subtitle", "")] if x]
    art.author = enp.get("author", "")
    art.date = _date(enp.get("date", "")) or art.date
    art.page = enp.get("pagenum", "") or enp.get("pagename", "")


def _body(root, art: HtmlArticle):  # type: ignore[no-untyped-def]
    """The article body element: a known layout's (filling its fields), else one named like a body, else None."""
    body = _layout(root, art)
    if body is None:
        body = _first(root, _BODY[:2])
    if body is None:
        body = _first(root, _BODY[2:])
    return body


def _text(el) -> str:  # type: ignore[no-untyped-def]
    return _norm(el.text_content()) if el is not None else ""


def _markup_heads(root, scope, art: HtmlArticle) -> None:  # type: ignore[no-untyped-def]
    """Kicker, headline and subtitle guessed from class names (or bare h3/h1/h2) within ``scope``."""
    kick = _first(root, _KICKER, scope)
    title = _first(root, _TITLE, scope) if scope is not root else None
    if title is None:
        h1 = scope.xpath(".//h1")
        title = h1[0] if h1 else None
    sub = _first(root, _SUBTITLE, scope)
    if title is not None and kick is None and sub is None and title.tag == "h1" and scope is not root:
        # the e-paper convention with bare tags: <h3>引题</h3><h1>主题</h1><h2>副题</h2>
        kick = next(iter(scope.xpath(".//h3")), None)
        sub = next(iter(scope.xpath(".//h2")), None)
    if title is not None:
        art.layout = "markup"
        art.headline = _norm(title.text_content())
        art.kickers = [t for t in [_text(kick)] if t]
        art.subtitles = [t for t in [_text(sub)] if t]


def _markup_author(root, scope, art: HtmlArticle) -> None:  # type: ignore[no-untyped-def]
    """The byline from an element named like an author's, unless it is an editor line."""
    auth = _first(root, _AUTHOR, scope)
    if auth is not None and not art.author and not _BOILER.search(auth.text_content()):
        art.author = re.sub(r"^(作者|记者)\s*[:：]\s*", "", _norm(auth.text_content())) or ""
        if auth.text_content().strip().startswith("记者"):
            art.author = "记者 " + art.author


def _markup_fields(root, body, art: HtmlArticle) -> None:  # type: ignore[no-untyped-def]
    """A page of no known layout: its heads and byline from the markup around the body (or the whole page)."""
    container = body.getparent() if body is not None else None
    scope = container if container is not None else root
    _markup_heads(root, scope, art)
    _markup_author(root, scope, art)


def _generic_fields(html: str, art: HtmlArticle) -> None:
    """What the markup did not give, from trafilatura: the paragraphs, then the headline and date."""
    import trafilatura

    text = generic_text(html)
    if not art.paragraphs and text:
        art.layout = art.layout or "generic"
        art.paragraphs = [p for p in (_norm(x) for x in text.split("\n")) if p and not _BOILER.search(p)]
    if not art.headline:
        meta = trafilatura.extract_metadata(html)
        art.headline = _norm(meta.title or "") if meta else ""
        if meta and not art.date:
            art.date = _date(meta.date or "")


def _title_headline(root) -> str:  # type: ignore[no-untyped-def]
    """The ``<title>``'s first part (before the site name), the last resort for a headline."""
    title = root.xpath("//title")
    return re.split(r"\s*[_|｜—-]\s*", _norm(title[0].text_content()))[0] if title else ""


def _info_fields(root, art: HtmlArticle) -> None:  # type: ignore[no-untyped-def]
    """Date and 版次 as printed in the page's info line (2025年03月12日 第A03版), where still missing."""
    info = " ".join(_norm(t.text_content())[:80] for t in root.xpath(
        "//title|//*[contains(@class,'page') or contains(@class,'date') or contains(@class,'info')"
        " or contains(@class,'time') or contains(@class,'banci')]")[:12])
    if not art.page:
        m = _PAGE.search(info)
        if m:
            art.page = m.group(1) or m.group(2)
    if not art.date:
        art.date = _date(info)


def read_html(html: str, name: str) -> HtmlArticle:
    """Find the article's parts in one HTML page; raises InputError when the page holds no article text.

    The steps, most specific source first (each fills only what the ones before left empty): the page's
    URL and meta date, a Founder ENP comment, a known layout's XPath table, class-name guesses around the
    body, trafilatura, the ``<title>``, the page's info line."""
    root = _parse(html, name)
    art = HtmlArticle(url=_canonical_url(root))
    art.date = _meta_date(root)
    _apply_enp(art, _enp(html))
    body = _body(root, art)
    if not art.headline:
        _markup_fields(root, body, art)
    if body is not None:
        art.paragraphs = _paragraphs(body)
    if not art.paragraphs or not art.headline:
        _generic_fields(html, art)
    if not art.headline:
        art.headline = _title_headline(root)
    # the headline is printed again in some bodies (at the top, or inside a body element that holds it)
    heads = {art.headline, *art.kickers, *art.subtitles}
    art.paragraphs = [p for p in art.paragraphs if p not in heads]
    _info_fields(root, art)
    if not art.paragraphs:
        raise InputError(f"{name}: no article text found in this HTML page")
    if not art.headline:
        raise InputError(f"{name}: no headline found in this HTML page (no <title>, <h1> or title field)")
    return art
