"""What is derived from article graphs and must follow every write of them: the career joins of the names
they print (kg.careers, which rewrites the article graphs whose mentions move), the identity resolution
layer (kg.resolve) and the search index (kg.search).

Why one function: ingest, Graph Store writes and deletes all write article graphs; each must refresh both
layers, and a second copy of the pair at each caller is where one of them gets forgotten.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from kg.store.base import Store

if TYPE_CHECKING:
    from kg.career_memory import CareerMemory
    from kg.mentions import Mention
    from kg.rdf.careers import Sighting
    from kg.search.documents import GraphRows


def refresh_derived(store: Store, graphs: Iterable[str], index_rows: Mapping[str, GraphRows] | None = None,
                    written_mentions: Mapping[str, list[Mention]] | None = None,
                    written_sightings: Mapping[str, Sighting] | None = None,
                    memory: CareerMemory | None = None) -> None:
    """Bring the resolution layer and the search index up to date for ``graphs`` just written or removed
    (the resolution layer's own graphs are left out). ``index_rows`` and ``written_mentions``: the search
    index rows and the person mentions of graphs as they were written (a batch ingest's workers make
    them, ``kg.search.documents.rows_of_written``, ``kg.mentions.mentions_of_written``), and
    ``written_sightings`` what the career rules read of those mentions (``kg.careers.sightings_of_written``);
    the others are read from the store. ``memory``: what a batch writer keeps of the career blocks
    between its writes (``kg.career_memory``)."""
    from kg.careers import refresh as refresh_careers
    from kg.mentions import mentions_in
    from kg.resolve import is_resolution_graph, refresh
    from kg.search import refresh as refresh_search
    from kg.search.documents import renamed

    articles = sorted({g for g in graphs if not is_resolution_graph(g)})
    if articles:
        # the career joins first (kg.careers): they may move mentions of other articles of the same names;
        # the mentions are read once for both steps. Of the articles the joins rewrote, those whose
        # mentions and index rows are at hand (written just now, or read above) are patched as the joins
        # renamed their nodes; only the others are read again
        known = written_mentions or {}
        mentions = [m for g in articles if g in known for m in known[g]]
        mentions += mentions_in(store, [g for g in articles if g not in known])
        moves = refresh_careers(store, articles, mentions, written_sightings, memory)
        moved = set(moves.articles)
        held = set(articles)
        articles = sorted(held | moved)
        mentions = [moves.mention(m) if m.article in moved else m for m in mentions]
        mentions += mentions_in(store, sorted(moved - held))
        refresh(store, articles, mentions)
        rows = {}
        for g, r in (index_rows or {}).items():
            patched = renamed(r, moves.renamed[g]) if g in moved else r
            if patched is not None:
                rows[g] = patched
        refresh_search(store, articles, rows)  # the search index re-reads the others
