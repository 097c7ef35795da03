"""Where the identity resolution layer lives and how it is stamped: its graphs' IRIs (a name block per
written name and base, one stamps graph per base) and the per-article digest of the mentions an
article's joins were written from (``kg:layerStamp``), which lets ``kg resolve`` confirm a current layer
without reading it (kg.resolve). Plain functions of strings: no store, no rdflib terms.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache

from kg.mentions import Mention
from kg.rdf import iris
from kg.rdf.namespaces import KG

RESOLUTION_PATH = "/resolution/"


def is_resolution_graph(iri: str) -> bool:
    """Whether a graph IRI is one of the resolution layer's (not an article): for counts of articles."""
    return RESOLUTION_PATH in iri and "/article/" not in iri


@lru_cache(maxsize=1 << 18)
def block_iri(base: str, name: str) -> str:
    """The name block graph of a written name (cached: ``kg resolve`` asks it for every mention)."""
    return f"{base}{RESOLUTION_PATH}person/{iris.ident(name, 30)}"


def mention_block(m: Mention) -> str:
    """The name block of a mention row: ``block_iri`` of its person's base and its written name, read
    from the mention's IRI when the mapper minted it (``{article}#mention-{ident(name, 30)}``, the
    piece a block IRI ends with; kg.rdf.mapping), else computed. Why: the pinyin of a name is most of
    ``block_iri``'s cost (~0.2 ms), paid once per written name of the store by ``kg resolve`` (86k names,
    ~18 s of its 2 minutes at 100k articles), while the mapper wrote it into every mention's IRI. The
    piece is taken only if it ends with the code of the row's written name (``iris.code``: the exact
    characters), so a mention whose IRI names another name gets its block computed; a hand-written IRI
    in the mapper's form with a wrong pinyin part would put its mention in a block of its own."""
    head = m.article + "#mention-"
    if m.mention.startswith(head) and m.mention.endswith(_code_suffix(m.name)):
        return f"{base_of(m.person)}{RESOLUTION_PATH}person/{m.mention[len(head):]}"
    return block_iri(base_of(m.person), m.name)


@lru_cache(maxsize=1 << 18)
def _code_suffix(name: str) -> str:
    return "-" + iris.code(name)


def base_of(person_iri: str) -> str:
    return person_iri.rsplit("/person/", 1)[0]


# Bump when ``kg.layer_statements.join_parts`` changes what it writes: every article's stamp then differs, and the next
# ``kg resolve`` rewrites the layer.
LAYER_VERSION = "3"
MASK = (1 << 64) - 1


def stamp_graph(article: str) -> str:
    """The layer graph holding the stamps of the articles of one base (``{base}/resolution/stamps``)."""
    return article.rsplit("/article/", 1)[0] + RESOLUTION_PATH + "stamps"


def is_block_graph(iri: str) -> bool:
    """Whether a layer graph is a name block (the other one is the stamps graph)."""
    return is_resolution_graph(iri) and not iri.endswith(RESOLUTION_PATH + "stamps")


def row_hash(m: Mention) -> int:
    """A stable 64-bit hash of one mention row: everything ``kg.layer_statements.join_parts`` reads from it, and the
    layer's version. Stable (not Python's ``hash``): it is stored in the layer and read by later runs."""
    key = "\x1f".join((LAYER_VERSION, m.person, m.mention, m.article, m.name, m.basis,
                        m.jurisdiction or "\x00", m.sector or "\x00"))
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "big")


def article_digests(mentions: Iterable[Mention]) -> dict[str, int]:
    """Article IRI → the digest of its mention rows (an order-free sum of ``row_hash``): what the
    article's stamp in the layer says its joins were written from."""
    out: dict[str, int] = defaultdict(int)
    for m in set(mentions):
        out[m.article] = (out[m.article] + row_hash(m)) & MASK
    return dict(out)


def _stamp(article: str, digest: int) -> str:
    return f"<{article}> <{KG}layerStamp> \"{digest:016x}\""


def stamp_text(digests: dict[str, int]) -> dict[str, str]:
    """Stamps graph IRI → the stamp statements of ``digests`` (article → digest), sorted."""
    out: dict[str, list[str]] = defaultdict(list)
    for a, d in sorted(digests.items()):
        out[stamp_graph(a)].append(_stamp(a, d))
    return {g: " .\n".join(st) for g, st in out.items()}
