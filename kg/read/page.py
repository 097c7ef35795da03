"""A page's text into articles.

A page is lines. Lines starting with ``#``/``##`` are headlines; short unpunctuated lines next to
them are kickers (引题, above) and subtitles (副题, below); a block of such lines followed by body
text starts an article, which runs until the next block. Credits (bylines, photo credits, author
lines, closing signatures) and continuation markers (下转第3版) are taken out of the text and kept as
data; paragraphs broken by a column or page break are joined again. Every piece of text keeps its
offset in the source so later facts can point at their evidence.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

from kg.errors import InputError
from kg.model import Article, Continuation, Credit, Headline, Publication, Segment, Span
from kg.read import script as cr  # the credit finders, for bylines in either script (issue 22)

MAX_HEADLINE = 40
_WS = " \t\r\u3000\u00a0\ufeff"
# Characters no XML 1.0 document can hold, even escaped (C0 controls but tab, LF, CR; U+FFFE, U+FFFF): a stray
# form feed or escape code in a page (text pulled out of a PDF, a dump's "\u0001") would make the article's
# RDF/XML and every XML result holding it unanswerable (406, kg.web.answer). Each reads as a space: the same
# length, so every offset into the page stays where it was.
UNWRITABLE = {c: " " for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF]}
_TERMINAL = "。！？!?…”’」』；;：:）)】》\"'"
_CONT = re.compile(
    r"\s*[（(]\s*(?P<kind>下转|上接|转|接|续)(?:第|至)?\s*(?P<page>\d{1,3}|[一二三四五六七八九十]{1,3})\s*版"
    r"[^()（）]{0,8}[)）]"
)
_SEE = re.compile(r"^[（(]\s*(?:见|详见|相关报道见)第?[\d一二三四五六七八九十、,，\s]+版[^()（）]{0,10}[)）]$")
_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九十")}


@dataclass
class Line:
    text: str  # stripped
    start: int  # source offset of text[0]
    heading: int = 0  # number of leading '#'


@dataclass
class Piece:
    """Source text kept for the body: ``text`` starts at source offset ``start``."""

    text: str
    start: int


@dataclass
class Para:
    pieces: list[Piece] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(p.text for p in self.pieces)


def split_lines(text: str) -> list[Line]:
    out: list[Line] = []
    pos = 0
    for raw in text.split("\n"):
        lead = len(raw) - len(raw.lstrip(_WS))
        body = raw.strip(_WS)
        start = pos + lead
        level = 0
        if body.startswith("#"):
            level = len(body) - len(body.lstrip("#"))
            rest = body[level:]
            inner_lead = len(rest) - len(rest.lstrip(_WS))
            body = rest.strip(_WS)
            start += level + inner_lead
        out.append(Line(body, start, level))
        pos += len(raw) + 1
    return out


def _cn_page(value: str) -> int | None:
    if value.isdigit():
        return int(value)
    if value == "十":
        return 10
    if value.startswith("十"):
        return 10 + _CN_DIGITS.get(value[1:], 0)
    if "十" in value:
        tens, _, ones = value.partition("十")
        return _CN_DIGITS.get(tens, 0) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)
    return _CN_DIGITS.get(value)


def is_credit_line(line: Line) -> cr.FoundCredit | None:
    return (cr.find_photo_credit(line.text) or cr.find_byline_line(line.text) or cr.find_source_line(line.text)
            or cr.find_field_line(line.text))


def is_headlineish(line: Line) -> bool:
    """Short, unpunctuated text that can sit above or below a headline."""
    t = line.text
    if not t or line.heading:
        return bool(t)
    if len(t) > MAX_HEADLINE or t[-1] in "。！？!?；;，,、" or "。" in t:
        return False
    if _CONT.search(t) or _SEE.match(t) or is_credit_line(line):
        return False
    return not cr.find_dateline_byline(t)


@dataclass
class Block:
    """Lines [first, last] of a headline block; ``main`` lists the indices of the main headline."""

    first: int
    last: int
    main: list[int]


def find_blocks(lines: list[Line]) -> list[Block]:
    """Headline blocks, each grown backwards over kickers and forwards over subtitles/credits."""
    blocks: list[Block] = []
    i = 0
    n = len(lines)
    while i < n:
        if not lines[i].heading or not lines[i].text:
            i += 1
            continue
        first = i
        j = i - 1
        floor = blocks[-1].last if blocks else -1
        while j > floor and (not lines[j].text or is_headlineish(lines[j])):
            if lines[j].text:
                first = j
            j -= 1
        # forward: headings, subtitles, captions and credits until the body starts
        last = solid = i
        k = i + 1
        while k < n:
            ln = lines[k]
            if not ln.text:
                k += 1
                continue
            if ln.heading or is_headlineish(ln):
                last = solid = k
            elif is_credit_line(ln) or _caption_before_credit(lines, k):
                last = k
            else:
                break
            k += 1
        if k >= n:
            last = solid  # nothing under the captions and credits: they belong to the text
        heads = [x for x in range(first, last + 1) if lines[x].heading and lines[x].text]
        runs: list[list[int]] = []
        for h in heads:
            prev = runs[-1][-1] if runs else None
            if prev is not None and all(not lines[x].text for x in range(prev + 1, h)):
                runs[-1].append(h)
            else:
                runs.append([h])
        blocks.append(Block(first, last, runs[-1]))
        i = last + 1
    return blocks


_CAPTION = re.compile(r"^(?:图为|上图|下图|图[:：])")


def _caption_before_credit(lines: list[Line], k: int) -> bool:
    """A photo caption: a short line whose next non-blank line is a photo credit."""
    if len(lines[k].text) > 80:
        return False
    for ln in lines[k + 1 :]:
        if ln.text:
            return cr.find_photo_credit(ln.text) is not None
    return False


def _drop(par: Para, start: int, end: int) -> Para:
    """Remove text at [start, end) of the paragraph's text, keeping offsets of the rest."""
    out = Para()
    pos = 0
    for p in par.pieces:
        a, b = pos, pos + len(p.text)
        if b <= start or a >= end:
            out.pieces.append(p)
        else:
            if a < start:
                out.pieces.append(Piece(p.text[: start - a], p.start))
            if b > end:
                out.pieces.append(Piece(p.text[end - a :], p.start + end - a))
        pos = b
    return _strip(out)


def _strip(par: Para) -> Para:
    pieces = [p for p in par.pieces if p.text]
    while pieces and not pieces[0].text.strip(_WS):
        pieces.pop(0)
    while pieces and not pieces[-1].text.strip(_WS):
        pieces.pop()
    if pieces:
        t = pieces[0].text
        lead = len(t) - len(t.lstrip(_WS))
        pieces[0] = Piece(t[lead:], pieces[0].start + lead)
        t = pieces[-1].text
        pieces[-1] = Piece(t.rstrip(_WS), pieces[-1].start)
    return Para([p for p in pieces if p.text])


def _credits(found: cr.FoundCredit, base: int) -> list[Credit]:
    return [Credit(f.name, f.role, Span(base + f.start, base + f.end)) for f in found.names]


def _offset_in_para(par: Para, i: int) -> int:
    """Source offset of character ``i`` of the paragraph's text."""
    pos = 0
    for p in par.pieces:
        if i < pos + len(p.text):
            return p.start + i - pos
        pos += len(p.text)
    last = par.pieces[-1]
    return last.start + len(last.text)


def article_id_key(pub: Publication, headline: str, body: str) -> str:
    """What an article's IRI is minted from.

    With a publication name and date, an article is (paper, day, headline): re-ingesting a corrected
    text replaces it. Without them, the text itself identifies it, so two undated articles that
    share a headline never overwrite each other.
    """
    head = unicodedata.normalize("NFKC", headline).replace(" ", "")
    if pub.name and pub.date:
        return f"{pub.name}|{pub.date.isoformat()}|{head}"
    return f"{pub.name or ''}|{pub.date or ''}|{head}|" + hashlib.sha256(body.encode()).hexdigest()


def read_page(
    text: str, publication: Publication | None = None, source_name: str = "", source_sha256: str = ""
) -> list[Article]:
    """Split a page's text into articles; raises InputError if none can be recognised."""
    publication = publication or Publication()
    text = text.translate(UNWRITABLE)
    if any(v and v != v.translate(UNWRITABLE) for v in (publication.name, publication.locality)):
        publication = dataclasses.replace(publication, name=publication.name and publication.name.translate(
            UNWRITABLE).strip() or None, locality=publication.locality and publication.locality.translate(
            UNWRITABLE).strip() or None)
    lines = split_lines(text)
    if not any(ln.heading and ln.text for ln in lines):
        # no '#' headline: a single article whose first short line is its headline
        first = next((k for k, ln in enumerate(lines) if ln.text), None)
        if first is None or not is_headlineish(lines[first]) or _caption_before_credit(lines, first):
            raise InputError(
                f"{source_name or 'input'}: no recognisable article: no headline (a line starting with # "
                "or ##, or a short first line) was found"
            )
        lines[first].heading = 1
    blocks = find_blocks(lines)
    articles: list[Article] = []
    for b, block in enumerate(blocks):
        end = blocks[b + 1].first if b + 1 < len(blocks) else len(lines)
        body_lines = [lines[k] for k in range(block.last + 1, end) if lines[k].text]
        if not body_lines:
            continue  # a banner or a headline with no text under it
        art = _build_article(lines, block, body_lines, publication, source_name, source_sha256)
        if art is not None:
            art.index = len(articles)
            articles.append(art)
    if not articles:
        raise InputError(f"{source_name or 'input'}: no recognisable article: headlines but no text under them")
    seen: dict[str, int] = {}
    for art in articles:  # the same headline twice on one page: keep both, apart
        key = article_id_key(publication, art.headline, art.body)
        seen[key] = seen.get(key, 0) + 1
        art.id_key = key if seen[key] == 1 else f"{key}#{seen[key]}"
    return articles


def _take(par: Para, found, credits: list[Credit]) -> Para:  # type: ignore[no-untyped-def]
    """Keep the names ``found`` (a credit finder's match in ``par``'s text) as credits and cut its text out."""
    credits += [
        Credit(f.name, f.role, Span(_offset_in_para(par, f.start), _offset_in_para(par, f.end)))
        for f in found.names
    ]
    return _drop(par, found.start, found.end)


def _head_line(lines: list[Line], k: int, block: Block, credits: list[Credit]) -> tuple[Headline | None, Para | None]:
    """One kicker or subtitle line of the block: its headline and the paragraph kept in the body (either may be
    None: a credit line gives neither, a caption only the paragraph, a "see page" line neither)."""
    ln = lines[k]
    found = is_credit_line(ln)
    if found:
        credits += _credits(found, ln.start)
        return None, None
    par = Para([Piece(ln.text, ln.start)])
    author = cr.find_author(ln.text)
    if author:
        credits += _credits(author, ln.start)
        par = _drop(par, author.start, author.end)
    if not par.pieces:
        return None, None
    photo = cr.find_trailing_photo_credit(par.text)
    if photo and photo.start > 0:  # 某某带头捐款 某某 摄: a caption with its photo credit, body text, no headline
        par = _take(par, photo, credits)
        return None, (par if par.pieces else None)
    kind = "kicker" if k < block.main[0] else "subtitle"
    if kind == "subtitle" and _caption_before_credit(lines, k):
        return None, par  # a caption: printed text, kept in the body, not a headline
    if _SEE.match(ln.text):
        return None, None
    return Headline(par.text, kind, Span(par.pieces[0].start, par.pieces[0].start + len(par.text))), par


def _head_parts(
    lines: list[Line], block: Block, main_text: str, credits: list[Credit]
) -> tuple[list[Headline], list[Para]]:
    """The block's headlines (main, kickers, subtitles) and the paragraphs its lines give the body."""
    headlines: list[Headline] = []
    head_paras: list[Para] = []
    main_span = Span(lines[block.main[0]].start, lines[block.main[-1]].start + len(lines[block.main[-1]].text))
    for k in range(block.first, block.last + 1):
        if not lines[k].text or k in block.main[1:]:
            continue
        if k == block.main[0]:
            headlines.append(Headline(main_text, "main", main_span))
            # a headline printed over several lines: one paragraph per line, so the body stays verbatim
            head_paras += [Para([Piece(lines[x].text, lines[x].start)]) for x in block.main]
            continue
        head, par = _head_line(lines, k, block, credits)
        if head is not None:
            headlines.append(head)
        if par is not None:
            head_paras.append(par)
    return headlines, head_paras


def _cut_continuations(par: Para, continuations: list[Continuation]) -> Para:
    """Take the continuation markers (下转第3版) out of a body paragraph and keep them as data."""
    for m in reversed(list(_CONT.finditer(par.text))):
        lead = len(m.group(0)) - len(m.group(0).lstrip(_WS))
        span = Span(_offset_in_para(par, m.start() + lead), _offset_in_para(par, m.end() - 1) + 1)
        direction = "from" if m.group("kind") in ("上接", "接", "续") else "to"
        continuations.append(
            Continuation(m.group(0).strip(_WS), direction, _cn_page(m.group("page")), span)
        )
        par = _drop(par, m.start(), m.end())
    return par


def _body_para(par: Para, paras: list[Para], credits: list[Credit]) -> Para:
    """One body paragraph with its credits taken out (a caption run, a dateline byline, a photo credit, an
    author line, a closing signature); ``paras`` are the body paragraphs before it. May come back empty."""
    run = cr.find_caption_run(par.text) if not paras else None
    if run:
        par = _take(par, run, credits)
        if not par.pieces:
            return par
    lead = all(_CAPTION.match(p.text) for p in paras)  # the lead, perhaps under a photo caption
    dl = cr.find_dateline_byline(par.text) if lead else cr.find_item_dateline(par.text)
    if dl:
        par = _take(par, dl, credits)
    photo = cr.find_trailing_photo_credit(par.text) if len(par.text) <= 200 else None
    if photo:
        par = _take(par, photo, credits)
        if not par.pieces:
            return par
    author = cr.find_author(par.text) if len(par.text) <= 80 else None
    if author:
        par = _take(par, author, credits)
    # briefs run together under one headline, each signed （某某） at the end of its paragraph
    sig = cr.find_signature(par.text) if par.pieces else None
    if sig:
        par = _take(par, sig, credits)
    return par


def _body_paras(body_lines: list[Line], credits: list[Credit], continuations: list[Continuation]) -> list[Para]:
    """The article's body paragraphs, credits and continuation markers taken out into their lists."""
    paras: list[Para] = []
    for ln in body_lines:
        found = is_credit_line(ln)
        if found:
            credits += _credits(found, ln.start)
            continue
        par = _cut_continuations(Para([Piece(ln.text, ln.start)]), continuations)
        if not par.pieces:
            continue
        par = _body_para(par, paras, credits)
        if par.pieces:
            paras.append(par)
    if paras:
        sig = cr.find_signature(paras[-1].text)
        if sig:
            paras[-1] = _take(paras[-1], sig, credits)
            if not paras[-1].pieces:
                paras.pop()
    return paras


def _join_broken(paras: list[Para]) -> list[Para]:
    """Paragraphs broken by a column or page break (no closing punctuation) joined again."""
    joined: list[Para] = []
    for par in paras:
        if joined and joined[-1].text and joined[-1].text[-1] not in _TERMINAL and len(joined[-1].text) > MAX_HEADLINE:
            joined[-1].pieces += par.pieces
        else:
            joined.append(Para(list(par.pieces)))
    return joined


def _assemble(head_paras: list[Para], paras: list[Para]) -> tuple[str, list[Segment], int]:
    """The body text (one paragraph a line), the segments mapping it to the source, and where the text
    proper starts (after the headline paragraphs)."""
    body_parts: list[str] = []
    segments: list[Segment] = []
    pos = 0
    text_start = 0
    for n, par in enumerate(head_paras + paras):
        if n:
            body_parts.append("\n")
            pos += 1
        if n == len(head_paras):
            text_start = pos
        for p in par.pieces:
            segments.append(Segment(pos, p.start, len(p.text)))
            body_parts.append(p.text)
            pos += len(p.text)
    return "".join(body_parts), segments, text_start


def _build_article(
    lines: list[Line],
    block: Block,
    body_lines: list[Line],
    pub: Publication,
    source_name: str,
    sha: str,
) -> Article | None:
    """One article from its headline block and body lines; None when no body text is left after the credits."""
    credits: list[Credit] = []
    continuations: list[Continuation] = []
    main_text = " ".join(lines[k].text for k in block.main)
    headlines, head_paras = _head_parts(lines, block, main_text, credits)
    paras = _body_paras(body_lines, credits, continuations)
    if not paras:
        return None
    body, segments, text_start = _assemble(head_paras, _join_broken(paras))
    last_line = body_lines[-1]
    return Article(
        headline=main_text,
        body=body,
        segments=segments,
        headlines=headlines,
        credits=_dedupe(credits),
        continuations=continuations,
        publication=pub,
        source_name=source_name,
        source_sha256=sha,
        text_start=text_start,
        span=Span(lines[block.first].start, last_line.start + len(last_line.text)),
    )


def _dedupe(credits: list[Credit]) -> list[Credit]:
    seen: set[tuple[str, str]] = set()
    out = []
    for c in sorted(credits, key=lambda c: c.span.start):
        if (c.name, c.role) not in seen:
            seen.add((c.name, c.role))
            out.append(c)
    return out
