"""One query's answer, written once for both places a query runs: a worker process (``kg.web.worker``)
and a thread (``kg.web.limits``, for remote stores or with isolation off).

:func:`answer` is the one sequence: run the query, choose a format the client accepts for its kind,
refuse (NotAcceptable) if there is none, announce the format, serialise. :func:`table_rows` is the
query editor's counterpart: the first rows as plain cells. Neither imports rdflib (the workers do not
load it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, BinaryIO, Protocol

from kg.web.negotiation import GRAPH_FORMATS, RESULT_FORMATS, Format, choose
from kg.web.query_errors import NotAcceptable

Cell = tuple | None  # ("iri", v), ("bnode", id), ("literal", v, lang, datatype) or None
TABLE_BYTES = 4 << 20  # the editor's rows travel to the server and are rendered there: a budget for them
CELL_CHARS = 2_000  # a literal longer than this is shown cut (the full value: download the result)


class Serialisable(Protocol):
    """What :func:`answer` needs of a result: its kind and a way to write it in a format."""

    kind: str

    def serialize(self, fmt: str, out: BinaryIO) -> None: ...


class Output(Protocol):
    """Where an answer goes: told the format first (``announce``), then the bytes."""

    def announce(self, meta: Any = None) -> None: ...

    def write(self, data: bytes) -> int: ...


def answer(run: Callable[[], Serialisable], accept: str | None, fmt_param: str | None, out: Output) -> Format:
    """Run the query, choose the format, announce it on ``out`` and serialise into it; the format.

    Raises NotAcceptable(kind) when no format the client accepts fits the result's kind. The result lives
    only in this frame: pyoxigraph results must be dropped on the thread that made them, and a caller on
    a streaming thread has its failed frames cleared there (``kg.web.streaming``)."""
    result = run()
    fmt = choose(accept, fmt_param, GRAPH_FORMATS if result.kind == "graph" else RESULT_FORMATS)
    if fmt is None:
        kind = result.kind
        del result
        raise NotAcceptable(kind)
    out.announce(fmt)
    result.serialize(fmt.key, out)  # type: ignore[arg-type]  # the write-only subset of BinaryIO
    del result
    return fmt


def table_rows(rows: Iterator[list], max_rows: int, max_bytes: int = TABLE_BYTES) -> tuple[list[list], bool]:
    """The first rows of plain cells within ``max_rows`` and ``max_bytes`` of text, literals over CELL_CHARS
    cut with "…"; and whether anything was left out. Without a byte budget one editor request of 1,000
    rows of 1 MB strings held the server's event loop for 27 s while its page was rendered."""
    out: list[list] = []
    size = 0
    for row in rows:
        if len(out) >= max_rows or size > max_bytes:
            return out, True
        cut = []
        for c in row:
            if c is not None and c[0] == "literal" and len(c[1]) > CELL_CHARS:
                c = ("literal", c[1][:CELL_CHARS] + "…", *c[2:])
            size += len(c[1]) if c is not None else 0
            cut.append(c)
        out.append(cut)
    return out, False
