"""Chinese word segmentation for the search index, by jieba (its dictionary ships in the wheel).

Why jieba here: a full-text index needs words, and Chinese text has no spaces. ``cut_for_search``
gives each word and, for long words, their shorter parts too (市委书记 → 市委, 书记, 市委书记), so a query
for a part of a compound still finds it. Articles and queries go through the same tokenizer.

jieba builds a prefix dictionary on first use (≈ 1 s) and caches it with ``marshal`` in a temp folder;
the default is a shared file in ``/tmp``. Here the cache lives in a folder of this user's own
(``newskg-jieba-UID`` under the temp dir, mode 0700), jieba's log lines are silenced, and nothing is
downloaded (the dictionary is read from the installed package).
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar

_lock = threading.Lock()
_tokenizer = None
# texts already segmented elsewhere (an ingest worker), text → indexed form; see ``given``
_given: ContextVar[Mapping[str, str] | None] = ContextVar("newskg_presegmented", default=None)
WORD = re.compile(r"[\w\u3400-\u9fff]", re.UNICODE)  # a token must hold a letter, digit or CJK character


def _cache_dir() -> str:
    uid = os.getuid() if hasattr(os, "getuid") else 0
    path = os.path.join(tempfile.gettempdir(), f"newskg-jieba-{uid}")
    os.makedirs(path, mode=0o700, exist_ok=True)
    return path


def tokenizer():  # -> jieba.Tokenizer
    """The process's jieba tokenizer, initialised once (quietly, cache in a private temp folder)."""
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                tok = jieba.Tokenizer()
                tok.tmp_dir = _cache_dir()
                tok.initialize()
                _tokenizer = tok
    return _tokenizer


def version() -> str:
    """jieba's version: the index is rebuilt when it changes (deletes re-segment the stored text). Read
    from the installed package's metadata: importing jieba costs ≈0.4 s, in a process (an ingest's
    writer) that may never segment anything."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        return installed("jieba")
    except PackageNotFoundError:  # a copy on sys.path without metadata
        import jieba

        return str(jieba.__version__)


def words(text: str) -> list[str]:
    """The search tokens of ``text``: jieba's ``cut_for_search``, lower case, punctuation and space dropped."""
    return [w.lower() for w in tokenizer().cut_for_search(text) if WORD.search(w)]


def indexed(text: str) -> str:
    """``text`` as the index stores it: its tokens separated by spaces (FTS5's unicode61 splits on them)."""
    known = _given.get()
    if known is not None:
        done = known.get(text)
        if done is not None:
            return done
    return " ".join(words(text))


@contextmanager
def given(segmented: Mapping[str, str]) -> Iterator[None]:
    """Within the block, ``indexed`` answers the texts of ``segmented`` (text → ``indexed(text)``) from it.

    Why: segmentation is most of what the search index costs, and in a batch ingest the index is written
    by the one writer process, the part no number of workers speeds up. The workers, which read the
    texts anyway, segment them (``kg.ingest_pool.read_file_work``) and the writer only looks them up.
    The same tokenizer makes both, so the index is byte-identical either way; a text not given is
    segmented here, as before."""
    token = _given.set(segmented)
    try:
        yield
    finally:
        _given.reset(token)


def match_expression(query: str) -> str | None:
    """An FTS5 MATCH expression for a user's query, or None when it has no word.

    Each word of the query (jieba's precise ``cut``) must occur, either whole or as all of its parts
    (``cut_for_search`` of the word): the article side was cut in context and may have kept a compound
    whole or split it, so both are accepted. Tokens are quoted, so no FTS5 syntax comes from the user.
    """
    groups: list[str] = []
    for w in tokenizer().cut(query):
        if not WORD.search(w):
            continue
        whole = _quote(w.lower())
        parts = [p.lower() for p in tokenizer().cut_for_search(w) if WORD.search(p) and p != w]
        groups.append(f"({whole} OR ({' AND '.join(_quote(p) for p in parts)}))" if parts else whole)
    return " AND ".join(groups) if groups else None


def _quote(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def query_words(query: str) -> list[str]:
    """The words of a query (precise cut), for suggestions built from its parts."""
    return [w for w in tokenizer().cut(query) if WORD.search(w)]
