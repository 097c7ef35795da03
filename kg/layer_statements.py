"""The statements of the resolution layer's name blocks, as N-Triples-like text: what ``kg.resolve`` writes for
each person mention row (and what its current-layer check counts). Plain functions of strings: no store,
no rdflib terms (the refresh runs after every ingest batch, ``kg resolve`` once per mention of the store).

A block (``kg.layer_graphs.block_iri``) holds its header (``kg:NameBlock``, ``kg:writtenName``), a
``kg:namesake`` per person, one join per (person, reason, jurisdiction, line of work) with every mention
it joins (``kg:joinedMention``), and each joined mention's article (``prov:wasDerivedFrom``); see
kg.resolve's module docstring for why this shape.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache
from typing import NamedTuple

from kg.layer_graphs import mention_block
from kg.mentions import Mention
from kg.rdf.namespaces import KG, PROV, RDF

_K, _T, _DERIVED = f"<{KG}", f"<{RDF.type}>", f"<{PROV.wasDerivedFrom}>"


class JoinParts(NamedTuple):
    """What the resolution layer says about one mention row, in three parts: its block's header and
    namesake statements, its join's (shared by every mention of one person, reason, jurisdiction and
    line), and its own (the join's link to it, its article)."""

    block: str
    header: tuple[str, str, str]
    join: str
    join_statements: tuple[str, ...]
    own: tuple[str, str]


def join_parts(m: Mention) -> JoinParts:
    """The statements of one mention row, as N-Triples-like text (not rdflib terms: the refresh runs
    after every ingest batch, ``kg resolve`` once per mention of the store).

    Every statement depends on this row alone (the join's IRI is a hash of its key), so a block is the
    union of its mentions' statements: the same set whatever the order they were added in, and ingest
    can add and remove an article's mentions one article at a time instead of rewriting whole blocks.
    """
    b = mention_block(m)
    j = f"<{b}#join-{_join_hash(m.person, m.basis, m.jurisdiction or '', m.sector or '')}>"
    header = (f"<{b}> {_T} {_K}NameBlock>", f"<{b}> {_K}writtenName> {_zh(m.name)}",
              f"<{b}> {_K}namesake> <{m.person}>")
    js = [f"{j} {_K}joinedEntity> <{m.person}>", f"{j} {_K}joinReason> {_K}{m.basis}>"]
    if m.jurisdiction:
        js.append(f"{j} {_K}jurisdiction> {_zh(m.jurisdiction)}")
    if m.sector:
        js.append(f"{j} {_K}sector> {_lit(m.sector)}")
    return JoinParts(b, header, j, tuple(js), _own(j, m.mention, m.article))


def _own(join: str, mention: str, article: str) -> tuple[str, str]:
    """A mention's own statements: the join's link to it (``join`` written with its brackets), its article."""
    return f"{join} {_K}joinedMention> <{mention}>", f"<{mention}> {_DERIVED} <{article}>"


@lru_cache(maxsize=1 << 16)
def _join_hash(person: str, basis: str, jurisdiction: str, sector: str) -> str:
    """The join's IRI piece: 16 hex digits of SHA-256 of its key (``iris.short_hash``, inlined), cached:
    a person's mentions share it."""
    key = "\x1f".join((person, basis, jurisdiction, sector))
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def _lit(text: str) -> str:
    """A plain literal in N-Triples syntax."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@lru_cache(maxsize=1 << 16)
def _zh(text: str) -> str:
    """A ``@zh`` literal in N-Triples syntax (what rdflib's ``n3()`` writes, without its cost); cached:
    written names and jurisdictions recur in every mention of them."""
    esc = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{esc}"@zh'


def block_statements(mentions: Iterable[Mention]) -> dict[str, str]:
    """Block graph IRI → its statements (sorted, duplicates removed), for a set of mentions."""
    out: dict[str, set[str]] = defaultdict(set)
    for m in set(mentions):
        parts = join_parts(m)
        out[parts.block].update((*parts.header, *parts.join_statements, *parts.own))
    return {b: " .\n".join(sorted(st)) for b, st in sorted(out.items())}


def own_statements(block: str, join: str, mention: str, article: str) -> str:
    """The statements one mention adds to a join it is linked by, as a ``GRAPH`` block of SPARQL Update
    data: what ingest deletes of an article's old mentions (the join itself goes when no mention is left)."""
    return f"GRAPH <{block}> {{ {' . '.join(_own(f'<{join}>', mention, article))} }}"
