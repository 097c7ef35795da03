"""Search over the store: names of every kind of entity and the text of articles (issue 17, item 3).

Where the index lives and how it is kept current (one path each):

- **Embedded store**: ``STORE/search-index.sqlite`` beside the RocksDB folder (``kg.search.index``).
- **Ingest** (``kg ingest``, batch ingest, ``POST /ingest``) calls :func:`refresh` with the article graphs
  it wrote, after the identity layer (``kg.ingest.refresh_resolution``); so do the Graph Store writes of
  ``kg serve``. The index re-reads those graphs from the store: a replaced article leaves no stale hit,
  a removed graph leaves nothing. A batch ingest's workers make the rows of the graphs they map
  (``documents.rows_of_written``) and the writer takes those instead of reading back graphs the store
  holds exactly as written (not those the career joins then rewrote, ``kg.derived``).
- **Built from the store** when it is missing, was not finished, or was made by another version of
  the index or of jieba: on the first search (``kg serve`` starts it at start-up, in the background)
  or by ``kg index``, which always rebuilds.
- **Writes the hooks do not see** (a SPARQL update through ``/sparql``, ``kg resolve``'s curation): the
  embedded store counts its writes (``generation``); when the count moved past what the index last saw,
  the next search starts a rebuild in the background and answers from the index it has meanwhile
  (the page says so).
- **Remote store** (``--store http…``): no file; the index is built in memory from a SPARQL scan when
  ``kg serve`` starts and kept current by that server's own writes. Writes by other clients of the
  SPARQL server are seen after a restart. ``kg ingest`` into a remote store does not index.
"""

from __future__ import annotations

import sys
import threading
import weakref
from collections.abc import Mapping, Sequence
from pathlib import Path

from kg.search import segment
from kg.search.documents import GraphRows, searchable_graphs
from kg.search.index import FILE_NAME, SearchIndex

__all__ = ["SearchIndex", "index_for", "refresh", "rebuild", "start"]

_indexes: weakref.WeakKeyDictionary[object, SearchIndex] = weakref.WeakKeyDictionary()
_lock = threading.Lock()
_building: dict[int, threading.Thread] = {}


def index_path(store: object) -> Path | None:
    """The index file of an embedded store (its folder), None for a remote one."""
    folder = getattr(store, "path", None)
    return Path(folder) / FILE_NAME if isinstance(folder, Path) else None


def _open(store: object) -> tuple[SearchIndex, bool]:
    """The store's index object (opened once per store object) and whether it was just opened."""
    with _lock:
        idx = _indexes.get(store)
        if idx is not None:
            return idx, False
        path = index_path(store)
        try:
            idx = SearchIndex(path)
        except Exception:  # noqa: BLE001 - a folder we may not write (read-only store): keep it in memory
            idx = SearchIndex(None)
        _indexes[store] = idx
        return idx, True


def index_for(store: object, watch: bool = True) -> SearchIndex:
    """The store's search index, ready to query: built first if missing or unusable (blocks until then);
    with ``watch``, rebuilt in the background if the store was written behind the index's back."""
    idx, fresh = _open(store)
    with idx.lock:
        if not idx.usable():
            idx.rebuild(store)  # type: ignore[arg-type]
        elif fresh:
            _sync(idx, store)
    gen = getattr(store, "generation", None)
    if watch and isinstance(gen, int) and idx.synced_generation is not None and gen != idx.synced_generation:
        _background_rebuild(idx, store)
    return idx


def updating(store: object) -> bool:
    """Whether a background rebuild of the store's index is running (search results may be behind)."""
    t = _building.get(id(store))
    return t is not None and t.is_alive()


def _sync(idx: SearchIndex, store: object) -> None:
    """On opening an existing index: add the store's graphs it lacks, drop those the store lost (writes made
    while no index was open). Graphs changed in place are not seen (``kg index`` rebuilds)."""
    idx.update(store, sorted(_changed(idx, store)))  # type: ignore[arg-type]


def _changed(idx: SearchIndex, store: object) -> set[str]:
    have = idx.graphs()
    stored = set(searchable_graphs(store))  # type: ignore[arg-type]
    return (stored - have) | (have - stored)


def _background_rebuild(idx: SearchIndex, store: object) -> None:
    with _lock:
        running = _building.get(id(store))
        if running is not None and running.is_alive():
            return
        t = threading.Thread(target=idx.rebuild, args=(store,), name="search-index-rebuild", daemon=True)
        _building[id(store)] = t
        t.start()


def refresh(store: object, graphs: Sequence[str], known: Mapping[str, GraphRows] | None = None) -> None:
    """The ingest hook: the index now holds what the store holds for ``graphs``.

    An embedded store's index file is created (built from the whole store) if it is missing; for a
    remote store only an index this process already has (``kg serve``'s) is updated. ``known``: the rows
    of graphs stored exactly as the caller wrote them (an ingest worker made them, ``rows_of_written``),
    which are then not read back from the store."""
    if not graphs:
        return
    if _indexes.get(store) is None and index_path(store) is None:
        return
    idx, fresh = _open(store)
    with idx.lock:
        if not idx.usable():
            idx.rebuild(store, known)  # type: ignore[arg-type]  # from the store, which holds ``graphs`` already
            return
        changed = set(graphs) | (_changed(idx, store) if fresh else set())
        idx.update(store, sorted(changed), known)  # type: ignore[arg-type]


def rebuild(store: object) -> SearchIndex:
    """``kg index``: write the index again from the whole store."""
    idx, _ = _open(store)
    idx.rebuild(store)  # type: ignore[arg-type]
    return idx


def start(store: object) -> None:
    """``kg serve`` start-up: open (or build, or for a remote store scan) the index in the background, so
    the first search does not wait for it unless it comes early."""
    def work() -> None:
        try:
            index_for(store)
            segment.tokenizer()  # jieba's dictionary (≈ 1 s), before the first text query rather than in it
        except Exception as exc:  # noqa: BLE001 - searches will try again and report
            print(f"kg: search index not ready: {exc}", file=sys.stderr)

    threading.Thread(target=work, name="search-index-start", daemon=True).start()
