"""Curation: an editor's overrides of the identity rules, read from a small TOML file.

The rules (``kg.rdf.identity``) give every person mention a key computed from its article alone. An
editor who knows better writes a file (by default ``STORE/curation.toml``, or ``--curation FILE``)::

    # these are one person: 王伟 of 云岭市 is 王伟 of 青禾市 (the first place is the one kept)
    [[join]]
    name = "王伟"
    jurisdictions = ["青禾市", "云岭市"]
    note = "调任，见 2023 年任免通知"          # optional, for the editors

    # the same with person IRIs (any qualifier: a place, a paper, a page)
    [[join]]
    persons = ["http://…/person/wang-wei-738b4f1f_qing-he-shi-…", "http://…/person/wang-wei-738b4f1f_p-…"]

    # these mentions are another person: 王伟 of 青禾市 in these articles is a second 王伟
    [[split]]
    person = "http://…/person/wang-wei-738b4f1f_qing-he-shi-975279be5e02"
    articles = ["http://…/article/2023-03-02-…"]
    label = "教育局"                          # names the new person: …_qing-he-shi-…_c-jiao-yu-ju-…

An override is applied to a key, never to a store: a joined key maps onto the kept one, a split
mention gets the key of its person plus a curated piece (``_c-{label id}``), and both get the reason
``kg:Curated``. The overrides are a fixed input like the rules file, so the keys still depend on
nothing but the article and this file: independent of the order of ingest and of ``--jobs``. Ingest
applies the file when minting (``kg.rdf.mapping``), ``kg resolve`` re-mints the article graphs it
changes (``kg.rdf.remint.rekey``). Errors name the file and line, one line each (no traceback).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import KgError
from kg.rdf import iris
from kg.rdf.identity import PersonKey

FILE_NAME = "curation.toml"
_JOIN_KEYS = {"name", "jurisdictions", "persons", "note"}
_SPLIT_KEYS = {"person", "articles", "label", "note"}


class CurationError(KgError):
    """A curation file the editor must fix: the message is ``FILE:LINE: what is wrong``."""


Fail = Callable[[int, str], CurationError]  # line, message → the error to raise


@dataclass(frozen=True)
class Override:
    """One entry of the file, with the line it starts on (for reports)."""

    kind: str  # "join" or "split"
    line: int
    name: str
    qualifiers: tuple[str, ...]  # join: the kept qualifier first, then the joined ones; split: the person's
    articles: tuple[str, ...] = ()  # split only
    piece: str = ""  # split only: the curated piece of the new qualifier
    where: str = ""  # how the file named it, for reports ("王伟 of 云岭市", an IRI)
    shown: tuple[str, ...] = ()  # how the file named each qualifier (a place, an IRI), for reports


@dataclass(frozen=True)
class Curation:
    """The overrides of one file, indexed for the mapper: picklable, so batch workers get it whole."""

    source: str = ""
    overrides: tuple[Override, ...] = ()
    joins: dict[tuple[str, str], tuple[str, str | None]] = field(default_factory=dict)  # (name, q) → (q', jur')
    splits: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)  # (name, article) → (q, new q)
    # (other name, q) → (name, q'): an alias the store's texts state (曾用名), set by kg resolve only
    aliases: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.overrides)

    def apply(self, pk: PersonKey, article: str) -> PersonKey:
        """The key after the editor's overrides: a split first (by article), else a join."""
        split = self.splits.get((pk.name, article))
        if split is not None and split[0] in (pk.qualifier, self.joins.get((pk.name, pk.qualifier), ("",))[0]):
            return PersonKey(pk.name, "Curated", pk.jurisdiction, split[1])
        joined = self.joins.get((pk.name, pk.qualifier))
        if joined is not None:
            return PersonKey(pk.name, "Curated", pk.jurisdiction, joined[0])
        alias = self.aliases.get((pk.name, pk.qualifier))
        if alias is not None:  # another article states this name is another of alias[0]'s
            return PersonKey(alias[0], "KnownAlias", pk.jurisdiction, alias[1], pk.sector)
        return pk

    def person_keys(self) -> set[tuple[str, str]]:
        """Every (name, rule qualifier) the file names: what must exist in the store."""
        return {(o.name, q) for o in self.overrides for q in o.qualifiers}


EMPTY = Curation()


def _qualifier_of_place(place: str) -> str:
    return iris.ident(place, 30)


def _parse_person(iri: str) -> tuple[str, str] | None:
    """(written name, qualifier) of a person IRI, or None if it is not one this scheme minted."""
    m = re.search(r"/person/([A-Za-z0-9_-]+)$", iri)
    if not m or "_" not in m.group(1):
        return None
    piece, qual = m.group(1).split("_", 1)
    name = iris.name_of_id(piece)
    return (name, qual) if name else None


def _entry_lines(text: str, kind: str) -> list[int]:
    """The line numbers of the ``[[kind]]`` headers, in order (TOML keeps the array's order)."""
    pat = re.compile(rf"^\s*\[\[\s*{kind}\s*\]\]")
    return [i for i, line in enumerate(text.splitlines(), 1) if pat.match(line)]


def _key_line(text: str, start: int, key: str) -> int:
    """The line of ``key =`` in the table whose header is on line ``start`` (that line if absent)."""
    lines = text.splitlines()
    for i in range(start, len(lines)):  # lines[start] is the line after the header (lines count from 1)
        if lines[i].lstrip().startswith("["):
            break
        if re.match(rf"^\s*{re.escape(key)}\s*=", lines[i]):
            return i + 1
    return start


def _top_line(text: str, key: str) -> int:
    """The line that starts a top-level entry ``key`` (``key = …`` or a ``[key]``/``[[key]]`` header)."""
    pat = re.compile(rf"^\s*(?:{re.escape(key)}\s*=|\[\[?\s*{re.escape(key)}\s*[\].])")
    return next((i for i, line in enumerate(text.splitlines(), 1) if pat.match(line)), 1)


def parse(text: str, source: str = FILE_NAME) -> Curation:
    """The overrides of a curation file's text; raises CurationError (``source:line: …``) on the first error."""

    def fail(line: int, msg: str) -> CurationError:
        return CurationError(f"{source}:{line}: {msg}")

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        msg = re.sub(r"\s*\(at (?:line \d+, column \d+|end of document)\)", "", str(exc)).splitlines()[0]
        line = int(m.group(1)) if m else max(1, len(text.rstrip("\n").splitlines()))  # "at end of document"
        where = f" (column {m.group(2)})" if m else " (at the end of the file)"
        raise fail(line, f"not TOML: {msg}{where}") from None
    for key in data:
        if key not in ("join", "split"):
            raise fail(_top_line(text, key), f"unknown entry {key!r}: write [[join]] or [[split]] tables")
    overrides: list[Override] = []
    for kind, allowed in (("join", _JOIN_KEYS), ("split", _SPLIT_KEYS)):
        entries = data.get(kind, [])
        heads = _entry_lines(text, kind)
        if not isinstance(entries, list) or len(heads) != len(entries):
            raise fail(heads[0] if heads else 1, f"write each {kind} as its own [[{kind}]] table")
        for entry, line in zip(entries, heads, strict=True):
            for key in entry:
                if key not in allowed:
                    known = ", ".join(sorted(allowed))
                    raise fail(_key_line(text, line, key), f"{kind}: unknown key {key!r} (known: {known})")
            overrides.append(_join(entry, line, text, fail) if kind == "join" else _split(entry, line, text, fail))
    return _index(overrides, source, fail)


def _strings(entry: dict, key: str, line: int, text: str, fail: Fail, least: int) -> list[str]:
    v = entry.get(key)
    if not isinstance(v, list) or len(v) < least or not all(isinstance(s, str) and s.strip() for s in v):
        raise fail(_key_line(text, line, key), f"{key} must be a list of at least {least} non-empty strings")
    return [s.strip() for s in v]


def _join(entry: dict, line: int, text: str, fail: Fail) -> Override:
    if ("persons" in entry) == ("jurisdictions" in entry):
        raise fail(line, "join: give either name and jurisdictions, or persons (two person IRIs or more)")
    if "persons" in entry:
        if "name" in entry:
            raise fail(_key_line(text, line, "name"), "join: name goes with jurisdictions, not with persons")
        keys = []
        for iri in _strings(entry, "persons", line, text, fail, 2):
            parsed = _parse_person(iri)
            if parsed is None:
                raise fail(_key_line(text, line, "persons"), f"join: not a person IRI of this store's scheme: {iri}")
            keys.append(parsed)
        names = {n for n, _ in keys}
        if len(names) > 1:
            raise fail(_key_line(text, line, "persons"), f"join: persons of different written names "
                       f"({'、'.join(sorted(names))}) are never one person here")
        shown = dict(zip((q for _, q in keys), entry["persons"], strict=True))
        quals = tuple(dict.fromkeys(q for _, q in keys))
        return Override("join", line, keys[0][0], quals, where=" + ".join(entry["persons"]),
                        shown=tuple(shown[q] for q in quals))
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        raise fail(_key_line(text, line, "name"), "join: name must be the written name, e.g. name = \"王伟\"")
    places = _strings(entry, "jurisdictions", line, text, fail, 2)
    shown = {_qualifier_of_place(p): f"{name.strip()} of {p}" for p in reversed(places)}
    quals = tuple(dict.fromkeys(_qualifier_of_place(p) for p in places))
    return Override("join", line, name.strip(), quals, where=f"{name.strip()} of {'、'.join(places)}",
                    shown=tuple(shown[q] for q in quals))


def _split(entry: dict, line: int, text: str, fail: Fail) -> Override:
    person = entry.get("person")
    parsed = _parse_person(person) if isinstance(person, str) else None
    if parsed is None:
        raise fail(_key_line(text, line, "person"), "split: person must be a person IRI of this store's scheme")
    articles = _strings(entry, "articles", line, text, fail, 1)
    for a in articles:
        if "/article/" not in a:
            raise fail(_key_line(text, line, "articles"), f"split: not an article IRI: {a}")
    label = entry.get("label")
    if not isinstance(label, str) or not label.strip():
        raise fail(_key_line(text, line, "label"),
                   "split: label must name the other person (e.g. label = \"教育局\"); it becomes part of the IRI")
    name, qual = parsed
    return Override("split", line, name, (qual,), tuple(articles), f"{qual}_c-{iris.ident(label.strip(), 20)}",
                    where=str(person))


def _index(overrides: list[Override], source: str, fail: Fail) -> Curation:
    """Join maps and split table, checked for contradictions (a key joined onto two persons, a cycle)."""
    joins: dict[tuple[str, str], tuple[str, str | None]] = {}
    line_of: dict[tuple[str, str], int] = {}
    for o in overrides:
        if o.kind != "join":
            continue
        kept = o.qualifiers[0]
        for q in o.qualifiers[1:]:
            key = (o.name, q)
            if key in joins and joins[key][0] != kept:
                raise fail(o.line, f"join: {o.name} ({q}) is already joined onto another person at line {line_of[key]}")
            joins[key] = (kept, None)
            line_of[key] = o.line
    # chains (A ← B, B ← C) resolve to their end; a cycle has no end
    for key in list(joins):
        seen = {key[1]}
        q = joins[key][0]
        while (key[0], q) in joins:
            if q in seen:
                raise fail(line_of[key], f"join: {key[0]} is joined in a circle")
            seen.add(q)
            q = joins[(key[0], q)][0]
        joins[key] = (q, None)
    splits: dict[tuple[str, str], tuple[str, str]] = {}
    split_line: dict[tuple[str, str], int] = {}
    for o in overrides:
        if o.kind != "split":
            continue
        for a in o.articles:
            key = (o.name, a)
            if key in splits and splits[key][1] != o.piece:
                raise fail(o.line, f"split: {o.name} in {a} is already split off at line {split_line[key]}")
            splits[key] = (o.qualifiers[0], o.piece)
            split_line[key] = o.line
    return Curation(source, tuple(overrides), joins, splits)


def load(path: Path) -> Curation:
    """Read and check a curation file; a missing or unreadable file is one clear error."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CurationError(f"{path}: no such curation file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CurationError(f"{path}: cannot read the curation file: {exc}") from None
    return parse(text, str(path))


def for_store(store_location: object, explicit: Path | None = None) -> Curation:
    """The overrides that apply to a store: ``explicit`` if given, else ``STORE/curation.toml`` of a
    local store folder if it exists, else none. Why a default in the store folder: a re-ingest must
    mint the same keys as ``kg resolve`` did, without anyone remembering to pass the file again."""
    if explicit is not None:
        return load(explicit)
    if isinstance(store_location, (str, Path)) and not str(store_location).startswith(("http://", "https://")):
        default = Path(store_location) / FILE_NAME
        if default.is_file():
            return load(default)
    return EMPTY
