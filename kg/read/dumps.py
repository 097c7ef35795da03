"""Crawler dumps: JSON Lines and CSV files with one article a record (url, title, date, text, publication, page,
author).

Each record is written out as a text page (``# title``, an author line, the text) and read by the text reader,
so a record gives the facts the same article given as a ``.txt`` page gives. A record that gives no article is
reported as ``FILE#N: why`` (N: the line of a JSON Lines file, the record number of a CSV file) and the others
are read: one bad line of a crawl must not lose the rest.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from kg.errors import InputError

FIELDS = ("url", "title", "date", "text", "publication", "page", "author")
MAX_RECORD_CHARS = 1_000_000  # an article is a few thousand characters; a record beyond this is an error
DUMP_SUFFIXES = (".jsonl", ".ndjson", ".csv")


@dataclass
class Record:
    number: int  # line (JSON Lines) or record (CSV) number, 1-based, for messages
    fields: dict[str, str]

    def text_page(self) -> str:
        """The record as the text reader reads it."""
        lines = [f"# {one_line(self.fields.get('title', ''))}"]
        author = one_line(self.fields.get("author", ""))
        if author:
            lines.append(author if re.search(r"记者|作者|通讯员|本报|摄", author) else f"作者：{author}")
        return "\n".join(lines) + "\n\n" + self.fields.get("text", "").replace("\r\n", "\n") + "\n"


def one_line(s: str) -> str:
    return re.sub(r"\s+", " ", s or "").strip()


def clean_url(url: str) -> str:
    """An absolute http(s) URL usable as an IRI (spaces and the like percent-encoded), else ``""``."""
    url = (url or "").strip()
    if not re.match(r"^https?://[^/\s]+", url, re.I):
        return ""
    return quote(url, safe=":/?#[]@!$&'()*+,;=%~-._")


def field_map(path: Path, override: dict[str, str] | None = None) -> dict[str, str]:
    """The dump's own names for our fields: its sidecar ``NAME.meta.json`` (``{"fields": {"title":
    "headline", "text": "content"}}``), then ``override`` (``kg ingest --fields``) over it, field by field.

    Why a sidecar: each crawler names its columns its own way, and the mapping belongs with the dump it
    describes (a folder may hold dumps of several crawlers). Why ``--fields`` too: one ingest of one
    crawler's dumps needs no file written beside each dump; what it names wins over the sidecar."""
    side = path.with_name(path.stem + ".meta.json")
    fields: object = {}
    if side.exists():
        try:
            meta = json.loads(side.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError) as exc:
            raise InputError(f"{side}: not valid JSON ({exc})") from None
        fields = meta.get("fields", {}) if isinstance(meta, dict) else {}
        if not isinstance(fields, dict) or not all(isinstance(v, str) for v in fields.values()):
            raise InputError(f"{side}: fields must map our field names to the dump's, e.g. {{\"title\": \"headline\"}}")
        unknown = sorted(set(fields) - set(FIELDS))
        if unknown:
            raise InputError(f"{side}: unknown field {unknown[0]!r} in fields (known: {', '.join(FIELDS)})")
    merged = {ours: theirs.strip().lower() for ours, theirs in dict(fields).items()}
    merged.update(override or {})
    return merged


def parse_fields(spec: str) -> dict[str, str]:
    """``title=headline,text=content`` (ours=theirs) into a field map; a one-line InputError names what is wrong.

    Our names are checked here, before any file is read, so a typo (``body=content``) stops the run at once
    instead of failing every record with "no text"."""
    out: dict[str, str] = {}
    for item in (x.strip() for x in spec.split(",")):
        if not item:
            continue
        ours, eq, theirs = item.partition("=")
        ours, theirs = ours.strip().lower(), theirs.strip().lower()
        if not eq or not ours or not theirs:
            raise InputError(f"--fields: {item!r} is not OURS=THEIRS, e.g. title=headline")
        if ours not in FIELDS:
            raise InputError(f"--fields: unknown field {ours!r} (known: {', '.join(FIELDS)})")
        if ours in out and out[ours] != theirs:
            raise InputError(f"--fields: {ours!r} is mapped twice ({out[ours]!r} and {theirs!r})")
        out[ours] = theirs
    if not out:
        raise InputError("--fields: no mapping given, e.g. --fields title=headline,text=content")
    return out


def _mapped(raw: dict[str, str], fields: dict[str, str]) -> dict[str, str]:
    out = dict(raw)
    for ours, theirs in fields.items():
        out[ours] = raw.get(theirs, "")
    return out


def records(text: str, name: str, suffix: str, fields: dict[str, str] | None = None) -> Iterator[Record | InputError]:
    """The dump's records in order; a record that cannot be parsed comes as an InputError in its place.
    ``fields`` maps our field names to the dump's (see :func:`field_map`)."""
    fields = fields or {}
    if suffix == ".csv":
        reader = csv.DictReader(io.StringIO(text, newline=""))
        need = {fields.get("title", "title"), fields.get("text", "text")}
        if not reader.fieldnames or not need <= {f.strip().lower() for f in reader.fieldnames}:
            raise InputError(f"{name}: a CSV dump needs a header line with at least title and text columns "
                             f"(found {', '.join(reader.fieldnames or []) or 'none'})")
        n = 0
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                n += 1
                yield InputError(f"{name}#{n}: not a CSV record ({exc})")
                continue
            n += 1
            yield Record(n, _mapped({str(k).strip().lower(): (v or "") for k, v in row.items() if k is not None},
                                    fields))
        return
    for n, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except ValueError as exc:
            yield InputError(f"{name}#{n}: not a JSON object ({exc.args[0].split(':')[0]})")
            continue
        if not isinstance(obj, dict):
            yield InputError(f"{name}#{n}: not a JSON object")
            continue
        yield Record(n, _mapped({str(k).lower(): ("" if v is None else str(v)) for k, v in obj.items()}, fields))


def check(rec: Record, name: str) -> None:
    """Why a record cannot be an article, as one line."""
    where = f"{name}#{rec.number}"
    if not one_line(rec.fields.get("title", "")):
        raise InputError(f"{where}: no title")
    if not rec.fields.get("text", "").strip():
        raise InputError(f"{where}: no text")
    if len(rec.fields.get("text", "")) > MAX_RECORD_CHARS:
        raise InputError(f"{where}: text of {len(rec.fields['text'])} characters is over the "
                         f"{MAX_RECORD_CHARS} limit for one article")
