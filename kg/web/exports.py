"""Whole-store dumps over HTTP, streamed from the store as they are written (never built in memory).

``/export.trig`` and ``/export.nq`` keep every article's named graph; one article's graph is its IRI
(``/article/{id}.ttl``, see ``kg.web.resources``).
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import StreamingResponse

from kg.web import streaming
from kg.web.context import context
from kg.web.negotiation import NQUADS, TRIG, Format

router = APIRouter()


async def _export(request: Request, fmt: Format) -> Response:
    if request.method == "HEAD":  # headers only: do not dump the store to throw it away
        return StreamingResponse(iter(()), media_type=fmt.content_type)
    store = context(request).store

    def job(out: streaming.Sink) -> None:
        out.announce(fmt)
        store.export(fmt.key, out)  # type: ignore[arg-type]

    _, body = await streaming.start(job)
    return StreamingResponse(body, media_type=fmt.content_type)


@router.api_route("/export.trig", methods=["GET", "HEAD"])
async def export_trig(request: Request) -> Response:
    """Every article graph, as TriG."""
    return await _export(request, TRIG)


@router.api_route("/export.nq", methods=["GET", "HEAD"])
async def export_nquads(request: Request) -> Response:
    """Every article graph, as N-Quads (one quad per line: easy to split and load anywhere)."""
    return await _export(request, NQUADS)
