"""Reading a SPARQL server's answers: a streamed body as a file, a body kept whole (in memory or a
temporary file), and ``RemoteResult``, the ``QueryResult`` a remote store returns. Parsed with
pyoxigraph's own parsers, so rows hold the same rdflib terms as the embedded store's."""

from __future__ import annotations

import io
import os
import shutil
import tempfile
import weakref
from collections.abc import Iterator
from typing import IO, Any, BinaryIO

import httpx
import pyoxigraph as ox
from rdflib.term import Node

from kg.errors import StoreError
from kg.rdf.namespaces import PREFIXES
from kg.store.base import QueryKind, Triple
from kg.store.oxigraph import RDF_FORMATS, RESULT_FORMATS, to_rdflib

RESULTS_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"
N_QUADS = "application/n-quads"
# what a result serialisation is called on the wire, to pass the server's bytes through unchanged
MEDIA_OF_FORMAT = {"json": RESULTS_JSON, "ntriples": N_TRIPLES}
SPOOL_BYTES = 8 << 20  # results up to this size stay in memory, larger ones go to a temporary file



class _ResponseReader(io.RawIOBase):
    """A streamed HTTP body as a file, so pyoxigraph's parsers read it chunk by chunk."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._buf = b""

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        while not self._buf:
            try:
                self._buf = next(self._chunks)
            except StopIteration:
                return 0
        n = min(len(b), len(self._buf))
        b[:n] = self._buf[:n]
        self._buf = self._buf[n:]
        return n


def _media(resp: httpx.Response) -> str:
    return resp.headers.get("content-type", "").split(";")[0].strip().lower()


# ---------------------------------------------------------------- results


class _Body:
    """A response body kept in memory up to SPOOL_BYTES, beyond that in a temporary file; every
    reader gets its own handle, so a result can be read again, and from several threads at once."""

    def __init__(self) -> None:
        self._mem = bytearray()
        self._path: str | None = None
        self._file: IO[bytes] | None = None
        self._finalizer: weakref.finalize | None = None

    def write(self, chunk: bytes) -> None:
        if self._file is None and len(self._mem) + len(chunk) <= SPOOL_BYTES:
            self._mem += chunk
            return
        if self._file is None:
            fd, self._path = tempfile.mkstemp(prefix="newskg-result-")
            self._file = os.fdopen(fd, "wb")
            self._finalizer = weakref.finalize(self, _remove, self._path)
            self._file.write(self._mem)
            self._mem = bytearray()
        self._file.write(chunk)

    @property
    def path(self) -> str | None:
        """The temporary file once the body outgrew memory (complete once the response has been read)."""
        if self._file is not None:
            self._file.close()
            self._file = None
        return self._path

    def open(self) -> IO[bytes]:
        if self._path is None:
            return io.BytesIO(self._mem)
        if self._file is not None:
            self._file.close()
            self._file = None
        return open(self._path, "rb")  # noqa: SIM115 - the reader closes it

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
        if self._finalizer is not None:
            self._finalizer()


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


class RemoteResult:
    """A server's answer, kept whole (see _Body) so rows() can be read more than once."""

    def __init__(self, body: _Body, media: str) -> None:
        self._body = body
        self.media = media
        self.kind: QueryKind
        if media in (RESULTS_JSON, "application/json"):
            parsed = self._parse_results()
            if isinstance(parsed, ox.QueryBoolean):
                self.kind, self.variables, self._bool = "boolean", [], bool(parsed)
            else:
                self.kind, self.variables = "solutions", [v.value for v in parsed.variables]
        elif media in (N_TRIPLES, "text/turtle", "text/plain"):
            self.kind, self.variables = "graph", ["subject", "predicate", "object"]
        else:
            raise StoreError(f"the server answered a query with {media or 'no content type'}, which newskg cannot read")

    def _reader(self) -> IO[bytes]:
        return self._body.open()

    def _parse_results(self) -> Any:
        if self._body.path is None:  # pyoxigraph reads lazily: give it its own handle, or the path
            return ox.parse_query_results(self._reader(), format=ox.QueryResultsFormat.JSON)
        return ox.parse_query_results(path=self._body.path, format=ox.QueryResultsFormat.JSON)

    def _ox_triples(self) -> Iterator[ox.Triple]:
        fmt = ox.RdfFormat.TURTLE if self.media == "text/turtle" else ox.RdfFormat.N_TRIPLES
        with self._reader() as f:
            for q in ox.parse(f, format=fmt):
                yield ox.Triple(q.subject, q.predicate, q.object)

    def rows(self) -> Iterator[dict[str, Node | None]]:
        if self.kind != "solutions":
            raise TypeError(f"a {self.kind} result has no rows")
        names = self.variables
        for sol in self._parse_results():
            yield {n: to_rdflib(sol[n]) for n in names}

    def boolean(self) -> bool:
        if self.kind != "boolean":
            raise TypeError(f"a {self.kind} result is not a boolean")
        return self._bool

    def triples(self) -> Iterator[Triple]:
        if self.kind != "graph":
            raise TypeError(f"a {self.kind} result has no triples")
        for t in self._ox_triples():
            yield to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)  # type: ignore[misc]

    def serialize(self, fmt: str, out: BinaryIO) -> None:
        if MEDIA_OF_FORMAT.get(fmt) == self.media and (fmt == "json") == (self.kind != "graph"):
            with self._reader() as f:
                shutil.copyfileobj(f, out)  # the server's own serialisation
            return
        if self.kind == "graph":
            if fmt not in RDF_FORMATS:
                raise ValueError(f"a graph result cannot be written as {fmt}")
            ox.serialize(
                self._ox_triples(), out, RDF_FORMATS[fmt], prefixes=PREFIXES if fmt in ("turtle", "trig") else None
            )
        else:
            if fmt not in RESULT_FORMATS:
                raise ValueError(f"a {self.kind} result cannot be written as {fmt}")
            self._parse_results().serialize(out, RESULT_FORMATS[fmt])

    def close(self) -> None:
        self._body.close()


# ---------------------------------------------------------------- the store

