"""One query's answer, written once for both places a query runs: a worker process (``kg.web.worker``)
and a thread (``kg.web.limits``, for remote stores or with isolation off).

:func:`answer` is the one sequence: run the query, choose a format the client accepts for its kind,
refuse (NotAcceptable) if there is none, announce the format, serialise. :func:`table_rows` is the
query editor's counterpart: the first rows as plain cells. Neither imports rdflib (the workers do not
load it).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO, Protocol

from kg.errors import QueryError
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


# Characters XML 1.0 cannot hold, even escaped (C0 controls but tab, LF, CR; U+FFFE, U+FFFF), as UTF-8 bytes:
# a C0 control is one byte in UTF-8, never part of a longer sequence, so a chunk can be searched on its own
XML_FORBIDDEN = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]|\xef\xbf[\xbe\xbf]")
XML_KEYS = frozenset({"xml", "rdfxml"})


class NotXml(QueryError):
    """The result holds characters XML cannot carry (406): the engine would write them raw, and no XML parser
    would read the answer (the outside probe's ``"a\\u0000b"`` through SPARQLWrapper's XML format)."""

    status = 406


class XmlGuard:
    """Passes an XML serialisation through, stopping at the first character XML 1.0 forbids.

    The first ``HOLD`` bytes are held back with the announcement: on a thread, announcing starts the
    response, and a refusal must come before that to be a 406 (the engine writes the XML header first, the
    rows after). A worker spools the whole answer before any of it is sent, so there it is always a 406."""

    HOLD = 64 * 1024
    _UNSET = object()

    def __init__(self, out: Output) -> None:
        self.out = out
        self.tail = b""  # the last bytes of the previous chunk: U+FFFE is three bytes and may be split
        self.bad = False
        self.meta: Any = self._UNSET
        self.held = bytearray()

    def announce(self, meta: Any = None) -> None:
        self.meta = meta

    def write(self, data: bytes) -> int:
        chunk = bytes(data)
        if XML_FORBIDDEN.search(self.tail + chunk):
            self.bad = True
            raise NotXml(NOT_XML)
        self.tail = chunk[-2:]
        if self.meta is not self._UNSET:
            self.held += chunk
            if len(self.held) >= self.HOLD:
                self.release()
            return len(chunk)
        return self.out.write(chunk)

    def release(self) -> None:
        """Announce and pass on what was held (at ``HOLD`` bytes, or at the end of the serialisation)."""
        if self.meta is not self._UNSET:
            meta, self.meta = self.meta, self._UNSET
            self.out.announce(meta)
        if self.held:
            held, self.held = bytes(self.held), bytearray()
            self.out.write(held)

    def flush(self) -> None:
        """Nothing: the held bytes go at ``release`` (the engine flushes as it pleases)."""

    def writable(self) -> bool:
        return True


NOT_XML = ("the result holds characters XML 1.0 cannot carry (control characters such as U+0000); ask for "
           "JSON, CSV or TSV (results) or Turtle, N-Triples or JSON-LD (graphs)")


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
    sink = XmlGuard(out) if fmt.key in XML_KEYS else out
    sink.announce(fmt)
    try:
        result.serialize(fmt.key, sink)  # type: ignore[arg-type]  # the write-only subset of BinaryIO
        if isinstance(sink, XmlGuard):
            sink.release()
    except Exception:
        if not (isinstance(sink, XmlGuard) and sink.bad):
            raise
        # the engine's wrapped error is dropped here, with whatever of the result it holds: on this thread
    finally:
        del result
    if isinstance(sink, XmlGuard) and sink.bad:
        raise NotXml(NOT_XML)  # raised outside the handler: no context holding the engine's error
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
