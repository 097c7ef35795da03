"""Minting instance IRIs: readable, stable, and the same for the same text on every ingest.

People are ``{base}/person/{pinyin-slug}`` (张三 → ``zhang-san``): the same name is the same person
across articles and pages. Namesakes stay apart only when a disambiguator is given (see
``person_id``). Organisations, places and posts use a pinyin slug of their (resolved) name; events
add their date, so two meetings of the same name on different days are different events.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

from pypinyin import Style, lazy_pinyin

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
    parts = lazy_pinyin(text, style=Style.NORMAL, errors=lambda s: [s])
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


def person_id(name: str, disambiguator: str | None = None) -> str:
    """Same name, same person; a disambiguator (e.g. a locality) splits known namesakes."""
    base = slug(name)
    return f"{base}-{slug(disambiguator, 24)}" if disambiguator else base


def article_id(id_key: str, date: str | None) -> str:
    return f"{date or 'undated'}-{short_hash(id_key, 12)}"


def event_id(name: str, date: str | None, locality: str | None) -> str:
    """An event is (name as normalised, date, the paper's locality)."""
    key = f"{locality or ''}|{name}|{date or ''}"
    return f"{date or 'undated'}-{slug(name, 40)}-{short_hash(key, 6)}"


def iri(base: str, kind: str, ident: str) -> str:
    if kind not in KINDS:
        raise ValueError(kind)
    return f"{base}/{kind}/{ident}"
