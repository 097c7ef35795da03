"""The search index: a SQLite file beside the store (stdlib ``sqlite3``, FTS5 for article text).

Why a separate index: the store answers "names containing 王明" only by scanning every name copy of
every article graph (≈ 100 ms at 1M quads, issue 9) and cannot search article text at all. The index
keeps each entity's names once (with the graphs stating them), a few facts for one-line descriptions,
and every article's headline and text, segmented by jieba (``kg.search.segment``), in an FTS5 table.

It mirrors the store graph by graph, like the store's own contract: ``update(store, graphs)`` drops what
the index held for those graphs and reads them back from the store (gone graphs leave nothing), so a
replaced article leaves no stale hit. ``rebuild(store)`` writes a new file from a scan of the store and
swaps it in; readers keep the old file until then.

Tables: ``names`` (entity, kind, rank, text, normalised text; one row per distinct name) with
``name_graphs`` (which graphs state it: a name goes when its last graph does); ``mentions`` (entity,
graph); ``facts`` (graph, entity, field, value); ``articles`` (headline, text, date, paper, locality) and
``docs``, a contentless FTS5 table over the segmented headline and text (rowid = article id; deleting a
row re-segments the stored text, so the jieba version is recorded and a change forces a rebuild);
``stats``, each entity's figures for a hit's description, made from ``tally`` (entity, field, value, n):
its articles by date, posts and places, counted up as graphs come and down as they go.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from kg.search import segment
from kg.search.documents import GraphRows, read, scan
from kg.store.base import Store

SCHEMA_VERSION = "3"  # 3: the tally table (each entity's figures kept by counts, not recomputed)
FILE_NAME = "search-index.sqlite"
_DDL = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS graphs(graph TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS names(id INTEGER PRIMARY KEY, entity TEXT NOT NULL, kind TEXT NOT NULL,
  rank INTEGER NOT NULL, text TEXT NOT NULL, norm TEXT NOT NULL, UNIQUE(entity, rank, text));
CREATE TABLE IF NOT EXISTS name_graphs(graph TEXT NOT NULL, name_id INTEGER NOT NULL,
  PRIMARY KEY(graph, name_id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS name_graphs_name ON name_graphs(name_id);
CREATE TABLE IF NOT EXISTS mentions(entity TEXT NOT NULL, graph TEXT NOT NULL, PRIMARY KEY(entity, graph))
  WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS mentions_graph ON mentions(graph);
CREATE TABLE IF NOT EXISTS facts(graph TEXT NOT NULL, entity TEXT NOT NULL, field TEXT NOT NULL,
  value TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS facts_entity ON facts(entity, field);
CREATE INDEX IF NOT EXISTS facts_graph ON facts(graph);
CREATE TABLE IF NOT EXISTS articles(id INTEGER PRIMARY KEY, graph TEXT NOT NULL, article TEXT NOT NULL,
  headline TEXT, body TEXT, date TEXT, paper TEXT, locality TEXT);
CREATE INDEX IF NOT EXISTS articles_graph ON articles(graph);
CREATE TABLE IF NOT EXISTS stats(entity TEXT PRIMARY KEY, articles INTEGER NOT NULL, first TEXT, last TEXT,
  posts TEXT, places TEXT) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS tally(entity TEXT NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL, n INTEGER NOT NULL,
  PRIMARY KEY(entity, field, value)) WITHOUT ROWID;
CREATE VIRTUAL TABLE IF NOT EXISTS docs USING fts5(headline, body, content='', tokenize='unicode61');
"""


def normalise(text: str) -> str:
    """How names are compared: lower case, spaces removed (``wang ming``, ``WangMing`` and ``wangming`` meet)."""
    return "".join(text.lower().split())


class SearchIndex:
    """One index file (or an in-memory one for a store without a folder) behind a lock.

    ``conn`` is shared by the threads of the server; every use holds ``lock`` (queries take
    milliseconds; a rebuild writes another file and only takes the lock to swap it in).
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.lock = threading.RLock()
        self.conn = self._open(path)
        self.synced_generation: int | None = None  # the store's generation the index last matched
        self.writes = 0  # counts changes, for what is kept from the index in memory (``names_text``)
        self._names_text: tuple[int, str] | None = None

    @staticmethod
    def _open(path: Path | None) -> sqlite3.Connection:
        conn = sqlite3.connect(str(path) if path else ":memory:", check_same_thread=False, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL" if path else "PRAGMA journal_mode=MEMORY")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.executescript(_DDL)
        return conn

    # ------------------------------------------------------------ state

    def meta(self, key: str) -> str | None:
        with self.lock:
            row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def _set_meta(self, conn: sqlite3.Connection, **values: str) -> None:
        conn.executemany("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", values.items())

    def usable(self) -> bool:
        """Whether the file was completely built by this version of the index and of jieba."""
        return (self.meta("complete") == "1" and self.meta("schema") == SCHEMA_VERSION
                and self.meta("jieba") == segment.version())

    def graphs(self) -> set[str]:
        with self.lock:
            return {g for (g,) in self.conn.execute("SELECT graph FROM graphs")}

    def size(self) -> dict[str, int]:
        """Rows per table, and the file's bytes (for the benchmark and ``kg index``)."""
        with self.lock:
            out = {t: self.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # noqa: S608 - fixed names
                   for t in ("graphs", "names", "name_graphs", "mentions", "facts", "articles")}
        if self.path is not None:
            out["bytes"] = sum(p.stat().st_size for p in self.path.parent.glob(self.path.name + "*"))
        return out

    def names_text(self) -> str:
        """Every normalised name, one per line, kept in memory until the index changes: whether any
        name contains a string is then one ``in`` (suggestions try many parts of a query)."""
        with self.lock:
            if self._names_text is None or self._names_text[0] != self.writes:
                text = "\n".join(n for (n,) in self.conn.execute("SELECT DISTINCT norm FROM names"))
                self._names_text = (self.writes, text)
            return self._names_text[1]

    # ------------------------------------------------------------ writing

    def update(self, store: Store, graphs: Sequence[str], known: Mapping[str, GraphRows] | None = None) -> None:
        """Make the index hold what the store holds now for ``graphs`` (written, replaced or removed);
        ``known``: the rows of graphs whose stored content the caller knows (kg.search.documents.read)."""
        rows = list(read(store, list(dict.fromkeys(graphs)), known))
        with self.lock:
            _write(self.conn, rows, replace=True)
            self.writes += 1
            self.synced_generation = getattr(store, "generation", None)

    def rebuild(self, store: Store, known: Mapping[str, GraphRows] | None = None) -> float:
        """Write the whole index again from a scan of the store; returns the seconds it took. ``known``:
        rows of graphs whose stored content the caller knows (the first batch of an ingest), not read.

        On disk, into ``FILE.building``, then renamed over the file, so searches answer from the old
        index meanwhile and a crash leaves the old one."""
        t0 = time.perf_counter()
        generation = getattr(store, "generation", None)
        target = Path(str(self.path) + ".building") if self.path else None
        if target is not None:
            for p in target.parent.glob(target.name + "*"):
                p.unlink()
        conn = self._open(target)
        batch: list[GraphRows] = []
        for rows in scan(store, known):
            batch.append(rows)
            if len(batch) >= 500:
                _write(conn, batch, replace=False, stats=False)
                batch.clear()
        _write(conn, batch, replace=False, stats=False)
        conn.execute("BEGIN IMMEDIATE")  # every entity's figures once, at the end
        _stats(conn, [e for (e,) in conn.execute("SELECT DISTINCT entity FROM mentions").fetchall()])
        conn.execute("COMMIT")
        self._set_meta(conn, complete="1", schema=SCHEMA_VERSION, jieba=segment.version())
        with self.lock:
            if target is not None and self.path is not None:
                conn.close()
                self.conn.close()
                for suffix in ("-wal", "-shm"):
                    Path(str(self.path) + suffix).unlink(missing_ok=True)
                os.replace(target, self.path)
                self.conn = self._open(self.path)
            else:
                self.conn.close()
                self.conn = conn
            self.synced_generation = generation
            self.writes += 1
        return time.perf_counter() - t0

    def close(self) -> None:
        with self.lock:
            self.conn.close()


def _write(conn: sqlite3.Connection, batch: Iterable[GraphRows], replace: bool, stats: bool = True) -> None:
    """One transaction: for each graph, drop what the index held (``replace``) and add its rows; then the
    figures of every entity those graphs name (``stats``)."""
    batch = list(batch)
    conn.execute("BEGIN IMMEDIATE")
    try:
        touched: set[str] = set()
        for rows in batch:
            same_text = False
            if replace and conn.execute("SELECT 1 FROM graphs WHERE graph = ?", (rows.graph,)).fetchone():
                touched.update(e for (e,) in conn.execute("SELECT entity FROM mentions WHERE graph = ?", (rows.graph,)))
                same_text = rows.present and _stored_articles(conn, rows.graph) == sorted(
                    (a.iri, a.headline, a.body, a.date, a.paper, a.locality) for a in rows.articles)
                _remove(conn, rows.graph, keep_articles=same_text)
            _add(conn, rows, with_articles=not same_text)
            touched.update(e for e, _, _, _ in rows.names)
        if stats:
            _stats(conn, touched)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _stats(conn: sqlite3.Connection, entities: Iterable[str]) -> None:
    """What a hit's description and ranking need of each entity, from its counts (``tally``, kept by
    ``_add`` and ``_remove``): number of articles, first and last date, three most stated posts, two most
    frequent localities. Kept per entity so that a search reads one row per hit instead of every article
    of a much-mentioned person; made from the counts, not from the entity's mentions, so that a write
    costs the same for a city's leader printed in every issue as for a name printed once (recomputing
    them from the mentions grew with the store)."""
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS touched(entity TEXT PRIMARY KEY) WITHOUT ROWID")
    conn.execute("DELETE FROM touched")
    conn.executemany("INSERT OR IGNORE INTO touched(entity) VALUES (?)", ((e,) for e in entities))
    # a statement for all of them, not four an entity: the statements' own cost was most of this step
    conn.execute("DELETE FROM stats WHERE entity IN (SELECT entity FROM touched t "
                 "WHERE NOT EXISTS (SELECT 1 FROM mentions m WHERE m.entity = t.entity))")
    tops: dict[tuple[str, str], list[str]] = {}
    for e, f, v in conn.execute(
            "SELECT entity, field, value FROM (SELECT d.entity, d.field, d.value, row_number() OVER "
            "(PARTITION BY d.entity, d.field ORDER BY d.n DESC, d.value) AS k FROM touched t JOIN tally d "
            "ON d.entity = t.entity AND d.field IN ('post', 'place')) "
            "WHERE k <= (CASE field WHEN 'post' THEN 3 ELSE 2 END) ORDER BY entity, field, k"):
        tops.setdefault((e, f), []).append(v)
    rows = conn.execute(
        "SELECT t.entity, coalesce(sum(d.n), 0), min(NULLIF(d.value, '')), max(NULLIF(d.value, '')) "
        "FROM touched t LEFT JOIN tally d ON d.entity = t.entity AND d.field = 'date' "
        "WHERE EXISTS (SELECT 1 FROM mentions m WHERE m.entity = t.entity) GROUP BY t.entity").fetchall()
    conn.executemany("INSERT OR REPLACE INTO stats(entity, articles, first, last, posts, places) "
                     "VALUES (?, ?, ?, ?, ?, ?)",
                     [(e, n, first, last, "、".join(tops.get((e, "post"), ())), "、".join(tops.get((e, "place"), ())))
                      for e, n, first, last in rows])
    conn.execute("DELETE FROM touched")


def _count(conn: sqlite3.Connection, entities: Iterable[str], articles: Iterable[tuple[str | None, str | None]],
           posts: Iterable[tuple[str, str]], sign: int) -> None:
    """Count one graph's rows in ``tally`` (``sign`` 1) or out of it (-1): each (entity, article) pair by
    the article's date and locality, each (entity, post) the graph states. As the figures were computed
    from the tables: an entity's articles are its mention rows joined with their graphs' article rows."""
    from collections import Counter

    arts = list(articles)
    keys: Counter[tuple[str, str, str]] = Counter()
    for e in set(entities):
        for date, locality in arts:
            keys[e, "date", date or ""] += 1
            if locality:
                keys[e, "place", locality] += 1
    for e, value in set(posts):
        keys[e, "post", value] += 1
    conn.executemany("INSERT INTO tally(entity, field, value, n) VALUES (?, ?, ?, ?) "
                     "ON CONFLICT(entity, field, value) DO UPDATE SET n = n + excluded.n",
                     [(e, f, v, sign * k) for (e, f, v), k in keys.items()])
    if sign < 0:
        conn.executemany("DELETE FROM tally WHERE entity = ? AND field = ? AND value = ? AND n <= 0", list(keys))


def _stored_articles(conn: sqlite3.Connection, graph: str) -> list[tuple[str, ...]]:
    return sorted(conn.execute("SELECT article, headline, body, date, paper, locality FROM articles WHERE graph = ?",
                               (graph,)).fetchall())


def _remove(conn: sqlite3.Connection, graph: str, keep_articles: bool = False) -> None:
    """Drop what the index holds of ``graph``; ``keep_articles``: but its articles and their full-text rows
    (the graph is written again with the same texts, as when a career join renames a person in it:
    deleting a full-text row re-segments its text, the index's dearest step)."""
    _count(conn, [e for (e,) in conn.execute("SELECT entity FROM mentions WHERE graph = ?", (graph,))],
           conn.execute("SELECT date, locality FROM articles WHERE graph = ?", (graph,)).fetchall(),
           conn.execute("SELECT entity, value FROM facts WHERE graph = ? AND field = 'post'", (graph,)).fetchall(), -1)
    ids = [i for (i,) in conn.execute("SELECT name_id FROM name_graphs WHERE graph = ?", (graph,))]
    conn.execute("DELETE FROM name_graphs WHERE graph = ?", (graph,))
    for i in ids:
        if conn.execute("SELECT 1 FROM name_graphs WHERE name_id = ? LIMIT 1", (i,)).fetchone() is None:
            conn.execute("DELETE FROM names WHERE id = ?", (i,))
    conn.execute("DELETE FROM mentions WHERE graph = ?", (graph,))
    conn.execute("DELETE FROM facts WHERE graph = ?", (graph,))
    if keep_articles:
        return
    for aid, headline, body in conn.execute("SELECT id, headline, body FROM articles WHERE graph = ?",
                                            (graph,)).fetchall():
        conn.execute("INSERT INTO docs(docs, rowid, headline, body) VALUES ('delete', ?, ?, ?)",
                     (aid, segment.indexed(headline or ""), segment.indexed(body or "")))
    conn.execute("DELETE FROM articles WHERE graph = ?", (graph,))
    conn.execute("DELETE FROM graphs WHERE graph = ?", (graph,))


def _add(conn: sqlite3.Connection, rows: GraphRows, with_articles: bool = True) -> None:
    g = rows.graph
    if not rows.present:
        return  # removed from the store
    conn.execute("INSERT OR IGNORE INTO graphs(graph) VALUES (?)", (g,))  # also those with nothing to search
    # three statements a graph, each run over its rows by sqlite (four a name, one by one, cost twice the CPU)
    conn.executemany("INSERT OR IGNORE INTO names(entity, kind, rank, text, norm) VALUES (?, ?, ?, ?, ?)",
                     [(entity, kind, rank, text, normalise(text)) for entity, kind, rank, text in rows.names])
    conn.executemany("INSERT OR IGNORE INTO name_graphs(graph, name_id) SELECT ?, id FROM names "
                     "WHERE entity = ? AND rank = ? AND text = ?",
                     [(g, entity, rank, text) for entity, _, rank, text in rows.names])
    conn.executemany("INSERT OR IGNORE INTO mentions(entity, graph) VALUES (?, ?)",
                     [(entity, g) for entity, _, _, _ in rows.names])
    facts = sorted({(g, e, f, v) for e, f, v in rows.facts})
    conn.executemany("INSERT INTO facts(graph, entity, field, value) VALUES (?, ?, ?, ?)", facts)
    # the articles counted are the graph's own: those written below, or those kept (the same texts)
    _count(conn, [e for e, _, _, _ in rows.names], [(a.date, a.locality) for a in rows.articles],
           [(e, v) for _, e, f, v in facts if f == "post"], 1)
    for a in rows.articles if with_articles else ():
        cur = conn.execute("INSERT INTO articles(graph, article, headline, body, date, paper, locality) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?)",
                           (g, a.iri, a.headline, a.body, a.date, a.paper, a.locality))
        conn.execute("INSERT INTO docs(rowid, headline, body) VALUES (?, ?, ?)",
                     (cur.lastrowid, segment.indexed(a.headline), segment.indexed(a.body)))
