"""Writing the resolution layer whole, streamed: what ``kg resolve`` does when there is no layer yet (a first
build), or when most of it differs (``kg.resolve.rebuild``), and for blocks found wrong. The mentions are read
once (``kg.mentions.iter_mentions``) and their statements (``kg.layer_statements.join_parts``) loaded in chunks
by the store's bulk loader, each chunk while the next is made; the articles' stamps after the joins.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from concurrent.futures import Future

from kg.layer_graphs import MASK, row_hash, stamp_text
from kg.layer_statements import join_parts, summary_statements
from kg.mentions import Mention, iter_mentions
from kg.store.base import GraphUpdate, Store


def first_build(store: Store, chunk_statements: int) -> tuple[int, int]:
    """Write the whole layer from the mentions, read once and streamed; the stamps after the joins."""
    digests: dict[str, int] = defaultdict(int)

    def stamped(mentions: Iterable[Mention]) -> Iterator[Mention]:
        for m in mentions:
            digests[m.article] = (digests[m.article] + row_hash(m)) & MASK
            yield m

    out = write_joins(store, stamped(iter_mentions(store)), chunk_statements)
    store.add_to_graphs([GraphUpdate.from_text(g, text) for g, text in stamp_text(digests).items()], bulk=True)
    return out


def write_joins(store: Store, mentions: Iterable[Mention], chunk_statements: int) -> tuple[int, int]:
    """Add the statements of ``mentions`` to their blocks, streamed: one chunk of about
    ``chunk_statements`` is made while the one before is loaded (``_Loader``), and a block's header and
    namesake statements and a join's own are written once (a block is the union of its mentions'
    statements, so the chunks can split it anywhere); the joins' counts and samples last, once every
    mention is read. Returns (mentions, blocks); a mention's rows come together, so counting changes of
    IRI counts them."""
    chunk: dict[str, list[str]] = defaultdict(list)
    size = n = 0
    last = ""
    blocks: set[str] = set()
    namesakes: set[tuple[str, str]] = set()
    joins: dict[str, tuple[str, int, str]] = {}  # join -> (block, mentions, least mention): written last
    linked: set[str] = set()  # the joins the current mention is linked to (its rows may repeat one)
    with _Loader(store) as loader:
        for m in mentions:
            if m.mention != last:
                n += 1
                last = m.mention
                linked.clear()
            parts = join_parts(m)
            st = chunk[parts.block]
            before = len(st)
            if (parts.block, m.person) not in namesakes:
                namesakes.add((parts.block, m.person))
                blocks.add(parts.block)
                st += parts.header
            if parts.join not in joins:
                joins[parts.join] = (parts.block, 0, m.mention)
                st += parts.join_statements
            if parts.join not in linked:
                linked.add(parts.join)
                b, c, least = joins[parts.join]
                joins[parts.join] = (b, c + 1, min(least, m.mention))
            st += parts.own
            size += len(st) - before
            if size >= chunk_statements:
                loader.load(chunk)
                chunk, size = defaultdict(list), 0
        for j, (b, c, least) in joins.items():
            chunk[b] += summary_statements(j, c, least)
        loader.load(chunk)
    return n, len(blocks)


class _Loader:
    """Loads chunks of block statements (block IRI -> statements) by the store's bulk loader in a thread of
    its own, one chunk at a time, while the caller makes the next: the loader's work (parsing, sorting,
    RocksDB's files) runs outside Python's lock, so on two cores it overlaps the making of statements (the
    first build at 100k articles: ~30 s of each). An error of a load is raised by the next ``load`` or on
    leaving the ``with`` block; leaving it waits for the last load."""

    def __init__(self, store: Store) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self.store = store
        self.pool = ThreadPoolExecutor(1, thread_name_prefix="kg-resolve-load")
        self.pending: Future[None] | None = None

    def load(self, chunk: dict[str, list[str]]) -> None:
        self._wait()
        if chunk:
            updates = [GraphUpdate.from_text(b, " .\n".join(st)) for b, st in chunk.items()]
            self.pending = self.pool.submit(self.store.add_to_graphs, updates, bulk=True)

    def _wait(self) -> None:
        if self.pending is not None:
            pending, self.pending = self.pending, None
            pending.result()

    def __enter__(self) -> _Loader:
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self._wait()
        finally:
            self.pool.shutdown()
