"""Dereferenceable IRIs: ``/{kind}/{id}`` for instances, ``/resolution/{kind}/{id}`` for the resolution layer's
graphs and ``/ontology[/{term}]`` for the vocabulary.

``{id}`` must be a slug (ASCII letters, digits, ``-`` and ``_``): anything else is a 404 before the
store is asked, so no path can reach outside the IRI space. A suffix (``.ttl``, ``.jsonld``, ``.nt``,
``.rdf``) picks the format; without one, the Accept header does (Turtle by default).
"""

from __future__ import annotations

import inspect
import re

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool

from kg.rdf.iris import KINDS
from kg.web.context import context
from kg.web.describe import Description, article_graph, describe_entity
from kg.web.errors import HttpError
from kg.web.negotiation import TURTLE, Format, acceptable_list, by_name, choose
from kg.web.ontology import ONTOLOGY_IRI
from kg.web.representations import rdf_renderer

ID_RE = re.compile(r"^(?P<id>[A-Za-z0-9_-]{1,200})(?:\.(?P<ext>[A-Za-z0-9-]{1,10}))?$")
TERM_RE = re.compile(r"^(?P<id>[A-Za-z][A-Za-z0-9_-]{0,100})(?:\.(?P<ext>[A-Za-z0-9-]{1,10}))?$")

router = APIRouter()


def not_found(what: str) -> HttpError:
    return HttpError(f"not found: {what}", 404)


def pick(request: Request, ext: str | None) -> tuple[Format | None, bool]:
    """The format (from the suffix, else ``format=``, else Accept) and whether it was negotiated."""
    offers = context(request).representations.formats()
    if ext:
        return by_name(ext, offers), False
    if request.query_params.get("_format") and (page := by_name("html", offers)) is not None:
        return page, False  # a page's data twin (?_format=json|csv, kg.web.pages.twin): the page renderer answers
    return choose(request.headers.get("accept"), request.query_params.get("format"), offers), True


async def represent(request: Request, desc: Description, fmt: Format, negotiated: bool) -> Response:
    """Render ``desc`` with the renderer registered for ``fmt`` (a plain function runs in the threadpool:
    renderers may query the store, as HTML pages will)."""
    renderer = context(request).representations.renderer(fmt)
    if inspect.iscoroutinefunction(renderer):
        resp: Response | None = await renderer(request, desc)
    else:
        resp = await run_in_threadpool(renderer, request, desc)
    if resp is None:  # a renderer that has no view of this kind (e.g. HTML for ontology terms): Turtle
        resp = await run_in_threadpool(rdf_renderer(TURTLE), request, desc)
    if negotiated:
        resp.headers["Vary"] = "Accept"
    if links := alternates(request, fmt):
        resp.headers["Link"] = links
    return resp


def alternates(request: Request, served: Format) -> str:
    """``Link: <…ttl>; rel="alternate"; type="text/turtle", …``: the resource's other representations, by
    suffix, so a client that got one (HTML included) finds the others without guessing (issue 16). The
    references are relative to the last path segment, so they resolve behind a proxy that adds a prefix."""
    name = request.url.path.rsplit("/", 1)[-1].split(".", 1)[0]  # ids and terms are slugs: no dots
    return ", ".join(
        f'<{name}.{f.names[0]}>; rel="alternate"; type="{f.media_type}"'
        for f in context(request).representations.formats()
        if f.names and f.media_type != served.media_type
    )


def not_acceptable(request: Request) -> HttpError:
    offers = context(request).representations.formats()
    return HttpError(f"not acceptable; this resource is available as: {acceptable_list(offers)}", 406)


def _entity_route(kind: str):
    async def entity(request: Request, name: str) -> Response:
        m = ID_RE.match(name)
        if not m:
            raise not_found(f"/{kind}/{name}")
        fmt, negotiated = pick(request, m["ext"])
        if fmt is None:
            raise not_found(f"/{kind}/{name}") if m["ext"] else not_acceptable(request)
        store, base = context(request).store, context(request).base
        iri = f"{base}/{kind}/{m['id']}"
        if not context(request).representations.describes(fmt):
            desc = Description(iri, kind)  # the renderer reads the store itself (HTML pages)
        elif kind == "article":
            desc = await run_in_threadpool(article_graph, store, iri)
        else:
            desc = await run_in_threadpool(describe_entity, store, iri, kind)
        if desc is None:
            raise not_found(iri)
        return await represent(request, desc, fmt, negotiated)

    entity.__name__ = f"get_{kind}"
    entity.__doc__ = f"A {kind} IRI dereferenced: its bounded description, by Accept or suffix."
    return entity


for _kind in KINDS:
    router.add_api_route(f"/{_kind}/{{name}}", _entity_route(_kind), methods=["GET", "HEAD"])


@router.api_route("/resolution/{kind}/{name}", methods=["GET", "HEAD"])
async def resolution_graph(request: Request, kind: str, name: str) -> Response:
    """A resolution graph (``kg.resolve``: which mentions of a written name are one person, and why) as RDF:
    its IRI is minted under the base and shown as a link by the query editor, so it dereferences too (an
    outside probe found every such link a 404). Browsers get Turtle, as for the ontology: there is no page."""
    return await _layer_graph(request, f"{kind}/{name}", kind in KINDS)


@router.api_route("/resolution/{name}", methods=["GET", "HEAD"])
async def resolution_stamps(request: Request, name: str) -> Response:
    """The resolution layer's stamps graph (``{base}/resolution/stamps``, kg.layer_graphs: per article, the
    digest of the mentions its joins were written from), dereferenced like the layer's name blocks."""
    return await _layer_graph(request, name, name.partition(".")[0] == "stamps")


async def _layer_graph(request: Request, path: str, known: bool) -> Response:
    """``/resolution/{path}`` (its last segment an id with an optional format suffix) as its graph, by
    Accept or suffix; 404 unless ``known`` and stored."""
    head, _, name = path.rpartition("/")
    m = ID_RE.match(name)
    if not known or not m:
        raise not_found(f"/resolution/{path}")
    fmt, negotiated = pick(request, m["ext"])
    if fmt is None:
        raise not_found(f"/resolution/{path}") if m["ext"] else not_acceptable(request)
    iri = f"{context(request).base}/resolution/{head + '/' if head else ''}{m['id']}"
    desc = await run_in_threadpool(article_graph, context(request).store, iri, "resolution")
    if desc is None:
        raise not_found(iri)
    return await represent(request, desc, fmt, negotiated)


@router.api_route("/ontology", methods=["GET", "HEAD"])
@router.api_route("/ontology.{ext}", methods=["GET", "HEAD"])
async def ontology_document(request: Request, ext: str | None = None) -> Response:
    """The whole ontology and role vocabulary: where ``kg:`` hash IRIs resolve."""
    fmt, negotiated = pick(request, ext)
    if fmt is None:
        raise not_found("/ontology." + ext) if ext else not_acceptable(request)
    ont = context(request).ontology
    return await represent(request, Description(ONTOLOGY_IRI, "ontology", ont.triples()), fmt, negotiated)


@router.api_route("/ontology/{name}", methods=["GET", "HEAD"])
async def ontology_term(request: Request, name: str) -> Response:
    """One ontology term (``/ontology/Chair`` → ``kg:Chair``) with what points at it and labels."""
    m = TERM_RE.match(name)
    if not m:
        raise not_found(f"/ontology/{name}")
    fmt, negotiated = pick(request, m["ext"])
    if fmt is None:
        raise not_found(f"/ontology/{name}") if m["ext"] else not_acceptable(request)
    ont = context(request).ontology
    triples = ont.describe(m["id"])
    if triples is None:
        raise not_found(str(ont.term_iri(m["id"])))
    return await represent(request, Description(str(ont.term_iri(m["id"])), "term", triples), fmt, negotiated)
