"""The statements of the resolution layer's name blocks, as N-Triples-like text: what ``kg.resolve`` writes for
each person mention row (and what its current-layer check counts). Plain functions of strings: no store,
no rdflib terms (the refresh runs after every ingest batch, ``kg resolve`` once per mention of the store).

A block (``kg.layer_graphs.block_iri``) holds its header (``kg:NameBlock``, ``kg:writtenName``), a
``kg:namesake`` per person, one join per (person, reason, jurisdiction, line of work) with every mention
it joins (``kg:joinedMention``), how many (``kg:mentionCount``) and the least of them by IRI
(``kg:sampleMention``), and each joined mention's article (``prov:wasDerivedFrom``); see kg.resolve's
module docstring for why this shape.

The count and the sample are the statements that depend on more than one mention: they are written
from all of a join's mentions (``block_statements`` of a whole block, ``kg resolve``) or computed again
in the store after ingest changed a block (``recount_update``). Why: a page naming a city's mayor as a
namesake showed how many articles name them, and their name read in one of them; counting and
sampling 3,659 mentions was most of that page's identity sections on a first view (docs/benchmarks.md).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache
from typing import NamedTuple

from kg.layer_graphs import mention_block
from kg.mentions import Mention
from kg.rdf.namespaces import KG, PROV, RDF, XSD

_K, _T, _DERIVED = f"<{KG}", f"<{RDF.type}>", f"<{PROV.wasDerivedFrom}>"
_INT = f"^^<{XSD.integer}>"


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


def block_statements(mentions: Iterable[Mention], counts: bool = True) -> dict[str, str]:
    """Block graph IRI → its statements (sorted, duplicates removed), for a set of mentions. The joins'
    counts and samples (``counts``) are right when the set holds every mention of its joins (a whole
    block); ingest, adding some, writes them without and computes them in the store (``recount_update``)."""
    out: dict[str, set[str]] = defaultdict(set)
    linked: dict[tuple[str, str], set[str]] = defaultdict(set)  # (block, join) -> its mentions
    for m in set(mentions):
        parts = join_parts(m)
        out[parts.block].update((*parts.header, *parts.join_statements, *parts.own))
        linked[parts.block, parts.join].add(m.mention)
    if counts:
        for (b, j), ms in linked.items():
            out[b].update(summary_statements(j, len(ms), min(ms)))
    return {b: " .\n".join(sorted(st)) for b, st in sorted(out.items())}


def summary_statements(join: str, n: int, sample: str) -> tuple[str, str]:
    """A join's number of mentions and the least of them by IRI (``join`` written with its brackets)."""
    return f'{join} {_K}mentionCount> "{n}"{_INT}', f"{join} {_K}sampleMention> <{sample}>"


def recount_update(joins: Iterable[tuple[str, str]]) -> str:
    """SPARQL Update text (``kg:`` prefix declared by the caller): the count and sample of each (block,
    join) computed again from the join's ``kg:joinedMention`` links, the old ones dropped; a join left
    without a mention gets none (ingest's clean-up drops the rest of it). The least IRI as SPARQL orders
    strings (by code point), as Python's ``min``."""
    values = " ".join(f"(<{b}> <{j}>)" for b, j in sorted(set(joins)))
    # one DELETE per property: with the property bound by VALUES too, Oxigraph read every statement of
    # the blocks (233 against 13 ms for 334 blocks at 1M quads)
    return (f"DELETE {{ GRAPH ?b {{ ?j kg:mentionCount ?o }} }} WHERE {{ VALUES (?b ?j) {{ {values} }} "
            "GRAPH ?b { ?j kg:mentionCount ?o } } ;\n"
            f"DELETE {{ GRAPH ?b {{ ?j kg:sampleMention ?o }} }} WHERE {{ VALUES (?b ?j) {{ {values} }} "
            "GRAPH ?b { ?j kg:sampleMention ?o } } ;\n"
            "INSERT { GRAPH ?b { ?j kg:mentionCount ?n ; kg:sampleMention ?s } } WHERE { "
            f"{{ SELECT ?b ?j (COUNT(?m) AS ?n) (IRI(MIN(STR(?m))) AS ?s) WHERE {{ VALUES (?b ?j) {{ {values} }} "
            "GRAPH ?b { ?j kg:joinedMention ?m } } GROUP BY ?b ?j } }")


def own_statements(block: str, join: str, mention: str, article: str) -> str:
    """The statements one mention adds to a join it is linked by, as a ``GRAPH`` block of SPARQL Update
    data: what ingest deletes of an article's old mentions (the join itself goes when no mention is left)."""
    return f"GRAPH <{block}> {{ {' . '.join(_own(f'<{join}>', mention, article))} }}"
