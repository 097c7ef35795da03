"""One input file of any kind (text page, HTML page, JSON Lines or CSV dump) into its articles.

Why one entry point: ingest (single file, batch workers) dispatches here by file kind and knows nothing of
formats; every kind ends in the text reader, so the extractor always sees the same text for the same article.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable
from pathlib import Path

from kg.errors import InputError
from kg.model import Article, Publication
from kg.read.dumps import DUMP_SUFFIXES
from kg.read.page import article_id_key, read_page
from kg.read.source import Source, read_page_bytes, read_publication, read_source

HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
TEXT_SUFFIXES = (".txt", ".md", ".text")
WARC_SUFFIXES = (".warc", ".warc.gz")
INPUT_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + DUMP_SUFFIXES + WARC_SUFFIXES


def kind_of(path: Path) -> str:
    """text, html, dump or warc, by the file's name (``.warc.gz`` has two suffixes)."""
    name = path.name.lower()
    if name.endswith(WARC_SUFFIXES):
        return "warc"
    suffix = path.suffix.lower()
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in DUMP_SUFFIXES:
        return "dump"
    return "text"


def is_input(path: Path) -> bool:
    """A file a folder walk reads: a page, an HTML page, a dump or a web archive (sidecars are not)."""
    return path.name.lower().endswith(INPUT_SUFFIXES)
MAX_DUMP_BYTES = 1024 * 1024 * 1024  # a dump holds many articles; each record has its own limit


def _with_page_meta(pub: Publication, stated_date: object, stated_name: str = "") -> Publication:
    """Options and the sidecar win; what the page or record states fills what they leave unknown."""
    import datetime as dt

    date = pub.date
    if date is None and stated_date:
        date = stated_date if isinstance(stated_date, dt.date) else None
    return Publication(name=pub.name or stated_name or None, date=date, locality=pub.locality)


def _keyed(articles: list[Article], url: str, page: str) -> list[Article]:
    """Provenance on each article; with a URL the article is that URL, so re-ingesting it replaces it."""
    for art in articles:
        art.source_url = url
        art.pagination = page
        if url:
            art.id_key = f"url|{url}" + (f"#{art.index + 1}" if art.index else "")
    return articles


def read_input(
    path: str | Path,
    *,
    encoding: str | None = None,
    publication: str | None = None,
    date: str | None = None,
    locality: str | None = None,
    fields: dict[str, str] | None = None,
    known_records: frozenset[str] = frozenset(),
) -> tuple[Source, list[Article]]:
    """Read one input file into articles; raises InputError when the file yields none.

    A dump's records that yield no article are listed in ``Source.problems``; the others are returned.
    ``fields`` maps our field names to a dump's column names (``--fields``, over the dump's sidecar map).
    ``known_records``: content hashes of records already stored (``--resume``, see :func:`dump_record_hashes`);
    those records are left out (counted in ``Source.skipped``), and a dump of only such records is no error.
    """
    path = Path(path)
    kind = kind_of(path)
    if kind == "html":
        return _read_html(path, encoding, publication, date, locality)
    if kind == "dump":
        return _read_dump(path, encoding, publication, date, locality, fields, known_records)
    if kind == "warc":
        return _read_warc(path, encoding, publication, date, locality)
    src = read_source(path, encoding=encoding, publication=publication, date=date, locality=locality)
    return src, read_page(src.text, src.publication, path.name, src.sha256)


def _read_html(path: Path, encoding: str | None, publication: str | None, date: str | None,
               locality: str | None) -> tuple[Source, list[Article]]:
    from kg.read.dumps import clean_url
    from kg.read.html import decode_html, read_html

    data = read_page_bytes(path)
    html = decode_html(data, str(path), encoding)
    found = read_html(html, str(path))
    text = found.text_page()
    pub = _with_page_meta(read_publication(path, publication, date, locality), found.date)
    src = Source(path=path, text=text, sha256=hashlib.sha256(data).hexdigest(), publication=pub)
    articles = read_page(text, pub, path.name, src.sha256)
    return src, _keyed(articles, clean_url(found.url), found.page)


def _check_dump_size(path: Path, what: str) -> None:
    """One line for a dump or archive over MAX_DUMP_BYTES (they are read whole) or one that cannot be read."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    if size > MAX_DUMP_BYTES:
        raise InputError(f"{path}: {size} bytes is over the {MAX_DUMP_BYTES} byte limit for one {what}; split it")


def _dump_records(path: Path, encoding: str | None, fields: dict[str, str] | None):  # type: ignore[no-untyped-def]
    """The dump's bytes, its text and its records (an InputError in place of a record that cannot be parsed)."""
    from kg.read import dumps
    from kg.read.source import decode

    _check_dump_size(path, "dump")
    data = path.read_bytes() if path.is_file() else read_page_bytes(path)
    text = decode(data, str(path), encoding) if not data.lstrip().startswith(b"<") else ""
    return data, text, dumps.records(text, str(path), path.suffix.lower(), dumps.field_map(path, fields))


def _record_hash(page: str) -> str:
    """A record's key: the SHA-256 of its text page, stored as its article's ``kg:contentHash``."""
    return hashlib.sha256(page.encode()).hexdigest()


def dump_record_hashes(path: str | Path, encoding: str | None = None,
                       fields: dict[str, str] | None = None) -> list[str]:
    """The keys of a dump's readable records, in order, without extracting anything (cheap: for ``--resume``,
    which asks the store which of them it holds). Why the content hash and not the URL: a record whose text
    changed since it was stored is read again and replaces its article, as a changed text page is."""
    from kg.read.dumps import Record

    _, _, recs = _dump_records(Path(path), encoding, fields)
    return [_record_hash(rec.text_page()) for rec in recs if isinstance(rec, Record)]


def stored_records(path: str | Path, is_stored: Callable[[str], bool], encoding: str | None = None,
                   fields: dict[str, str] | None = None) -> frozenset[str]:
    """For ``--resume``: the keys of a dump's records whose article the store already holds (``is_stored``
    asks it by content hash); empty for other files, and for a dump that cannot be read (its reading
    reports why)."""
    if kind_of(Path(path)) != "dump":
        return frozenset()
    try:
        return frozenset(h for h in dump_record_hashes(path, encoding, fields) if is_stored(h))
    except InputError:
        return frozenset()


def _read_dump(path: Path, encoding: str | None, publication: str | None, date: str | None,
               locality: str | None, fields: dict[str, str] | None = None,
               known_records: frozenset[str] = frozenset()) -> tuple[Source, list[Article]]:
    from kg.read import dumps
    from kg.read.source import parse_date

    data, text, recs = _dump_records(path, encoding, fields)
    base = read_publication(path, publication, date, locality)
    problems: list[str] = []
    articles: list[Article] = []
    skipped = 0
    chars = 0
    for rec in recs:
        if isinstance(rec, InputError):
            problems.append(str(rec))
            continue
        where = f"{path}#{rec.number}"
        try:
            dumps.check(rec, str(path))
            stated = parse_date(rec.fields.get("date", "").strip()[:10] or None, where)
            pub = _with_page_meta(base, stated, dumps.one_line(rec.fields.get("publication", "")))
            page = rec.text_page()
            if known_records and _record_hash(page) in known_records:
                skipped += 1
                continue
            chars += len(page)
            got = read_page(page, pub, f"{path.name}#{rec.number}", _record_hash(page))
        except InputError as exc:
            msg = str(exc)
            problems.append(msg if msg.startswith(where) else f"{where}: {msg.split(': ', 1)[-1]}")
            continue
        url = dumps.clean_url(rec.fields.get("url", ""))
        for art in _keyed(got, url, dumps.one_line(rec.fields.get("page", ""))):
            if not url:
                art.id_key = article_id_key(pub, art.headline, art.body)
            art.index = len(articles)
            articles.append(dataclasses.replace(art))
    if not articles and not skipped:
        why = problems[0] if problems else f"{path}: no records"
        raise InputError(why if len(problems) <= 1 else f"{why} (and {len(problems) - 1} more records failed)")
    src = Source(path=path, text=text, sha256=hashlib.sha256(data).hexdigest(), publication=base,
                 problems=tuple(problems), skipped=skipped)
    return src, articles


def _read_warc(path: Path, encoding: str | None, publication: str | None, date: str | None,
               locality: str | None) -> tuple[Source, list[Article]]:
    from kg.read.dumps import clean_url
    from kg.read.html import decode_html, read_html
    from kg.read.warc import responses

    _check_dump_size(path, "archive")
    base = read_publication(path, publication, date, locality)
    problems: list[str] = []
    articles: list[Article] = []
    for resp in responses(path):
        if isinstance(resp, InputError):
            problems.append(str(resp))
            continue
        where = f"{path}#{resp.number}"
        try:
            try:
                html = decode_html(resp.data, where, encoding or resp.charset)
            except InputError:
                html = decode_html(resp.data, where, encoding)  # a wrong HTTP charset: the page's own
            found = read_html(html, where)
            page = found.text_page()
            pub = _with_page_meta(base, found.date)
            got = read_page(page, pub, f"{path.name}#{resp.number}", hashlib.sha256(page.encode()).hexdigest())
        except InputError as exc:
            msg = str(exc)
            problems.append(msg if msg.startswith(where) else f"{where}: {msg.split(': ', 1)[-1]}")
            continue
        for art in _keyed(got, clean_url(found.url) or clean_url(resp.url), found.page):
            art.index = len(articles)
            articles.append(art)
    if not articles:
        why = problems[0] if problems else f"{path}: no HTML responses in this archive"
        raise InputError(why if len(problems) <= 1 else f"{why} (and {len(problems) - 1} more records failed)")
    src = Source(path=path, text="", sha256=_file_sha256(path), publication=base, problems=tuple(problems))
    return src, articles


def _file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()
