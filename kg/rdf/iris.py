"""Minting instance IRIs: readable, stable, collision-free, the same for the same text on every ingest.

Every id is built from :func:`ident` pieces: the pinyin slug for people to read, then a code of the
written characters so that different written names never share an id (张伟 ``zhang-wei-5f204f1f``,
章伟 ``zhang-wei-7ae04f1f``). Short names (up to :data:`EXACT_CHARS` characters: people, places, most
titles) carry their code points in hex, so the name is recoverable from the IRI exactly; longer
names carry 16 hex digits of SHA-256 (``h…``). A qualifier, when an entity needs one to mean one thing
(a person's jurisdiction, the city of a generic 组织部), follows an ``_``: pieces never contain ``_``,
so ids are unambiguous. Which qualifier applies is decided by ``kg.rdf.identity``; docs/identity.md
has the scheme with examples.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

from pypinyin import Style, lazy_pinyin

from kg.script import has_traditional, to_simplified

KINDS = ("person", "organization", "event", "article", "place", "post")
DEFAULT_BASE = "http://127.0.0.1:8000"


def normalise_base(base: str) -> str:
    base = base.strip()
    if not re.match(r"^https?://[^\s/]+", base):
        raise ValueError(f"base {base!r} is not an http(s) IRI")
    return base.rstrip("/")


@lru_cache(maxsize=65536)
def pinyin(text: str) -> str:
    """Toneless pinyin, syllables separated by spaces (张三 → "zhang san")."""
    return " ".join(s for s in lazy_pinyin(text, style=Style.NORMAL, errors="ignore") if s.strip())


@lru_cache(maxsize=65536)
def slug(text: str, max_len: int = 60) -> str:
    """A readable ASCII id: pinyin syllables joined by '-', with a short hash when truncated."""
    text = unicodedata.normalize("NFKC", text)
    parts = lazy_pinyin(text, style=Style.NORMAL, errors=lambda s: [s])  # type: ignore[arg-type,return-value]  # a list keeps the run whole
    out: list[str] = []
    for p in parts:
        p = re.sub(r"[^a-z0-9]+", "-", p.lower()).strip("-")
        if p:
            out.append(p)
    s = "-".join(out) or "x"
    s = re.sub(r"-+", "-", s)
    if len(s) > max_len:
        s = s[: max_len - 9].rstrip("-") + "-" + short_hash(text)
    return s


def short_hash(text: str, n: int = 8) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:n]


EXACT_CHARS = 8


def written(text: str) -> str:
    """What identifies a written name: NFKC, and one script. A name printed in traditional characters
    (裴漢舟) is the same written name as its simplified form (裴汉舟), as a bilingual reader takes it;
    whether two mentions are one person is still decided by their context (issue 22)."""
    text = unicodedata.normalize("NFKC", text)
    return to_simplified(text) if has_traditional(text) else text


def code(text: str) -> str:
    """The written characters as a code: hex code points (4 digits each, ``x`` + 6 beyond the BMP)
    for short names, so the name can be read back (in simplified script); ``h`` + 16 hex digits of
    SHA-256 for long ones."""
    text = written(text)
    if len(text) <= EXACT_CHARS:
        return "".join(f"{ord(c):04x}" if ord(c) < 0x10000 else f"x{ord(c):06x}" for c in text)
    return "h" + short_hash(text, 16)


def decode(code_: str) -> str | None:
    """The characters of an exact :func:`code` (None for a hashed one): what a page or a test reads back."""
    if code_.startswith("h"):
        return None
    out, i = [], 0
    while i < len(code_):
        if code_[i] == "x":
            out.append(chr(int(code_[i + 1 : i + 7], 16)))
            i += 7
        else:
            out.append(chr(int(code_[i : i + 4], 16)))
            i += 4
    return "".join(out)


@lru_cache(maxsize=65536)
def ident(text: str, max_slug: int = 40) -> str:
    """One id piece: readable pinyin (cut at a syllable, the code does the distinguishing), then the
    code of the exact characters. Never contains ``_``."""
    s = slug(text, 10_000)
    if len(s) > max_slug:
        s = s[:max_slug].rsplit("-", 1)[0] if "-" in s[:max_slug] else s[:max_slug]
    return f"{s}-{code(text)}"


def qualified(piece: str, qualifier: str | None) -> str:
    return f"{piece}_{qualifier}" if qualifier else piece


def person_id(name: str, qualifier: str | None = None) -> str:
    """A person: the written name, then the qualifier of the context the name is resolved in
    (``kg.rdf.identity.person_qualifier``: a jurisdiction, a paper, a page)."""
    return qualified(ident(name, 30), qualifier)


def name_of_id(ident_: str) -> str | None:
    """The written name a person/place id was minted from (its first piece), if the code is exact."""
    first = ident_.split("_", 1)[0]
    return decode(first.rsplit("-", 1)[-1]) if "-" in first else None


def article_id(id_key: str, date: str | None) -> str:
    return f"{date or 'undated'}-{short_hash(id_key, 12)}"


def event_id(name: str, date: str | None, scope: str | None) -> str:
    """An event is (name, date, scope): the scope is what tells two events of one name and day apart
    (the paper's locality, the enclosing event of a generic 选举, the article; see kg.rdf.identity)."""
    key = f"{scope or ''}|{written(name)}|{date or ''}"
    return f"{date or 'undated'}-{ident(name, 40)}-{short_hash(key, 8)}"


def iri(base: str, kind: str, ident: str) -> str:
    if kind not in KINDS:
        raise ValueError(kind)
    return f"{base}/{kind}/{ident}"
