"""The SPARQL 1.1 Protocol at ``/sparql`` (queries; updates with a token, in ``kg.web.update``).

GET ``?query=``, POST ``application/x-www-form-urlencoded`` and POST ``application/sparql-query``;
``default-graph-uri`` / ``named-graph-uri`` set the dataset (without them the default graph is the
union of all article graphs, as the service description says). Results by Accept or ``format=``.
Status codes: 400 malformed, too long or too deeply nested query or request (with the parser's message),
403 update without a token, SERVICE or LOAD (``kg.web.policy``),
406 no acceptable format, 415 unknown POST body type or a body not in UTF-8. GET without a query is the
service description. Relative IRIs resolve against the endpoint, ``{base}/sparql`` (``QueryRunner.base_iri``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request, Response
from fastapi.responses import StreamingResponse
from starlette.background import BackgroundTask

from kg.web.answer import NotXml
from kg.web.errors import HttpError
from kg.web.limits import READ_CHUNK, Payload, QueryJob, QueryRunner, while_connected
from kg.web.meta import service_description
from kg.web.negotiation import GRAPH_FORMATS, RESULT_FORMATS, Format, acceptable_list
from kg.web.query_errors import NotAcceptable

if TYPE_CHECKING:
    from kg.web.update import Writes

__all__ = ["NotAcceptable", "Params", "SparqlRouter", "run_query"]

class Params:
    """The protocol parameters, from the URL and (for form posts) the body, repeated ones kept."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self.pairs = pairs

    def all(self, name: str) -> list[str]:
        return [v for k, v in self.pairs if k == name]

    def one(self, name: str) -> str | None:
        vals = self.all(name)
        return vals[-1] if vals else None


UPDATES_OFF = "SPARQL Update is not enabled on this endpoint (read-only: start kg serve with a token to allow writes)"


def _check_charset(content_type: str) -> None:
    """415 unless the body is declared UTF-8 (or ASCII, or not declared)."""
    charset = "utf-8"
    for p in content_type.partition(";")[2].split(";"):
        k, _, v = p.partition("=")
        if k.strip().lower() == "charset" and v.strip():
            charset = v.strip().strip('"')
    if charset.lower().replace("-", "").replace("_", "") not in ("utf8", "usascii", "ascii"):
        # SPARQL 1.1 Protocol 2.1.3/2.2.2: queries and updates are sent as UTF-8 (the W3C suite checks UTF-16)
        raise HttpError(f"send the request body as UTF-8, not {charset}", 415)


class SparqlRouter(APIRouter):
    """``/sparql`` over one query runner (``kg.web.limits``: the one guarded path for visitors' queries)
    and, when writes are enabled, one ``kg.web.update.Writes`` (else updates are refused with 403)."""

    def __init__(self, runner: QueryRunner, writes: Writes | None = None) -> None:
        super().__init__()
        self.runner = runner
        self.writes = writes
        self.add_api_route("/sparql", self.sparql_get, methods=["GET", "HEAD"])
        self.add_api_route("/sparql", self.sparql_post, methods=["POST"])

    async def sparql_get(self, request: Request) -> Response:
        """Query by GET; without ``query`` the service description."""
        params = Params(list(request.query_params.multi_items()))
        if params.all("update"):  # never by GET (SPARQL 1.1 Protocol): updates are POSTed
            if self.writes is None:
                raise HttpError(UPDATES_OFF, 403)
            raise HttpError("SPARQL Update must be POSTed (form update=… or application/sparql-update)", 405,
                            {"Allow": "POST"})
        if not params.all("query"):
            return await service_description(request)
        return await run_query(request, params, self.runner)

    async def sparql_post(self, request: Request) -> Response:
        """Query by POST: a form with ``query=``, or the query itself as ``application/sparql-query``;
        updates (form ``update=``, ``application/sparql-update``) go to the write side."""
        raw_ctype = request.headers.get("content-type") or ""
        ctype = raw_ctype.partition(";")[0].strip().lower()
        url_pairs = list(request.query_params.multi_items())
        body = await request.body()
        _check_charset(raw_ctype)
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise HttpError(f"cannot decode the request body as UTF-8: {exc}") from None
        if ctype == "application/x-www-form-urlencoded":
            params = Params(url_pairs + parse_qsl(text, keep_blank_values=True))
            if params.all("update"):
                return await self._update(request, params.all("update"), params)
        elif ctype == "application/sparql-query":
            if any(k == "query" for k, _ in url_pairs):
                raise HttpError("the query is in the body; do not also give query= in the URL")
            params = Params(url_pairs + [("query", text)])
        elif ctype == "application/sparql-update":
            return await self._update(request, [text], Params(url_pairs))
        else:
            raise HttpError(
                "POST a query as application/x-www-form-urlencoded (query=…) or as application/sparql-query", 415
            )
        if not params.all("query"):
            raise HttpError("no query: give query=…")
        return await run_query(request, params, self.runner)

    async def _update(self, request: Request, updates: list[str], params: Params) -> Response:
        if self.writes is None:
            raise HttpError(UPDATES_OFF, 403)
        return await self.writes.sparql_update(request, updates, params)


async def run_query(request: Request, params: Params, runner: QueryRunner) -> Response:
    """Parse, evaluate and serialise in a query worker process (or, without one, on a thread); send the result."""
    queries = params.all("query")
    if len(queries) > 1:
        raise HttpError("give exactly one query= parameter")
    query = queries[0].removeprefix("\ufeff")  # a byte order mark some editors put before a saved query
    if not query.strip():
        raise HttpError("empty query")
    accept = request.headers.get("accept")
    fmt_param = ",".join(params.all("format")) or None  # every value counts (kg.web.negotiation.choose)
    client = request.client.host if request.client else "-"
    try:  # QueryError (Forbidden, TooComplex) and LimitError answer through kg.web.errors
        with runner.per_client.slot(client):
            job = QueryJob(query, params.all("default-graph-uri"), params.all("named-graph-uri"), accept, fmt_param)
            fmt, body = await while_connected(request, runner.answer(request.state, job))
    except NotXml as exc:  # an answer XML cannot carry: another format can, so it depends on Accept too
        raise HttpError(str(exc), 406, {"Vary": "Accept"}) from None
    except NotAcceptable as exc:  # the message names what the client asked for
        offers = GRAPH_FORMATS if exc.kind == "graph" else RESULT_FORMATS
        what = f"format={fmt_param}" if fmt_param else f"Accept: {accept}"
        if len(what) > 200:  # a header of 2,000 types is not repeated whole in the message
            what = what[:200] + "…"
        raise HttpError(f"{what} is not available for this query; choose one of {acceptable_list(offers)}", 406,
                        {"Vary": "Accept"}) from None
    assert isinstance(fmt, Format)
    return result_response(fmt, body)


def result_response(fmt: Format, body: Payload | Iterator[bytes]) -> Response:
    """The answer: a worker's bytes as they are (up to 1 MiB, with their length) or streamed from its
    file, or the chunks a thread writes."""
    headers = {"Vary": "Accept"}  # even with format=: an unknown name leaves the choice to Accept
    if not isinstance(body, Payload):  # chunks from a thread
        return StreamingResponse(body, media_type=fmt.content_type, headers=headers)
    if body.path is None:
        return Response(body.data, media_type=fmt.content_type, headers=headers)
    return StreamingResponse(result_file(body.path), media_type=fmt.content_type, headers=headers,
                             background=BackgroundTask(body.discard))


def result_file(path: str) -> Iterator[bytes]:
    """A worker's large result, read from its temporary file in chunks (on Starlette's threadpool)."""
    try:
        with open(path, "rb") as f:
            while chunk := f.read(READ_CHUNK):
                yield chunk
    finally:
        Payload(path=path).discard()
