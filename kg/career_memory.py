"""What a batch ingest's writer remembers of career blocks between its writes (``kg.careers``).

Why: every write recomputes the career blocks of the names it prints, and a planned block is planned
from all its mentions — those of articles written long before as well. Reading their sightings (date
and posts) back from the store at every write made the career step grow with the store (a name
printed in a thousand articles was read a thousand times over a run): the writer now reads each
mention once a run and keeps what it read, and what the workers made of the mentions it wrote.

What is kept is true of the store as long as the writer is its only writer (as batch ingest's
order-free guarantee already assumes): an article graph the writer writes, replaces or removes is
forgotten before its blocks are planned (``forget``), and so is one whose person nodes a career join
merges (the merged node holds both nodes' posts: its mentions' sightings change; a plain rename does
not change them). Bounded: past ``limit`` mentions it starts again empty (reads, not wrong answers).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from kg.rdf.careers import Sighting

RULE_BASES = frozenset({"PostJurisdiction", "PaperLocality"})  # the identity rules' own bases (kg.rdf.identity)


class CareerMemory:
    """Mention IRI → its sighting, and the identity rules' basis it was written with where seen."""

    def __init__(self, limit: int = 1_000_000) -> None:  # about 0.5 KB a mention: ~0.5 GB at most
        self.limit = limit
        self.sightings: dict[str, Sighting] = {}
        self.bases: dict[str, str] = {}  # mention → the rules' basis, as first seen (kept through a join)
        self._of_article: dict[str, set[str]] = defaultdict(set)

    def __len__(self) -> int:
        return len(self.sightings)

    def keep(self, sightings: Mapping[str, Sighting], bases: Mapping[str, str] | None = None) -> None:
        """Remember ``sightings`` (mention → sighting) and the bases of those mentions keyed by the rules
        (``bases``: mention → its basis now; a career join's basis says nothing of the rules' and is
        not kept over one seen before)."""
        if len(self.sightings) + len(sightings) > self.limit:
            self.clear()
        for m, s in sightings.items():
            self.sightings[m] = s
            self._of_article[s.article].add(m)
        for m, b in (bases or {}).items():
            if b in RULE_BASES and m in self.sightings:
                self.bases[m] = b

    def forget(self, articles: Iterable[str]) -> None:
        """Drop what is kept of the mentions of ``articles`` (written, replaced, removed or merged)."""
        for a in articles:
            for m in self._of_article.pop(a, ()):
                self.sightings.pop(m, None)
                self.bases.pop(m, None)

    def clear(self) -> None:
        self.sightings.clear()
        self.bases.clear()
        self._of_article.clear()
