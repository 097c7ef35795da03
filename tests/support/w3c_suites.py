"""Runs the machine-readable W3C SPARQL 1.1 Protocol, Graph Store Protocol and Service Description suites
(``../shared/w3c-rdf-tests``, read at test time) against a running newskg service.

Why a runner of our own: the manifests are plain RDF (``ht:`` requests with ``mf:expectedStatus``,
``mf:expectedBoolean``, ``mf:expectedFormat``, expected ``content-type`` and body); reading them here keeps
the suites the source of truth, so a new copy of the suites is picked up without editing tests. Paths are
mapped to the service's own (``/sparql/`` → ``/sparql``, ``/gsp`` → ``/rdf-graphs``); the connection
authority ``www.example`` is the server's, so a graph named by its own IRI (direct identification,
``/gsp/person/1.ttl``) is ``{server}/rdf-graphs/person/1.ttl``. Writes carry the token.

``python tests/support/w3c_suites.py URL TOKEN [QUERY UPDATE GSP]`` prints the per-test result for any server (used to
measure the Oxigraph server the same way, on its ``/query``, ``/update`` and ``/store``).
"""

from __future__ import annotations

import json
import re
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import httpx
import rdflib
from rdflib import RDF, Namespace
from rdflib.collection import Collection
from rdflib.compare import isomorphic

SUITES = Path(__file__).resolve().parents[3] / "shared" / "w3c-rdf-tests" / "sparql" / "sparql11"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")

STATUS_NAMES = {"OK": 200, "Created": 201, "NoContent": 204, "NotFound": 404, "BadRequest": 400}
RESULT_TYPES = {
    "tabular": ("application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                "text/tab-separated-values"),
    "boolean": ("application/sparql-results+json", "application/sparql-results+xml"),
    "RDF": ("application/rdf+xml", "text/turtle", "application/n-triples", "application/ld+json"),
}
RDFLIB_FORMATS = {"text/turtle": "turtle", "application/n-triples": "nt", "application/rdf+xml": "xml",
                  "application/ld+json": "json-ld", "application/n-quads": "nquads", "text/n3": "n3"}


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: list[str]  # hts: local names
    boolean: bool | None = None
    result_format: str | None = None
    content_type: str | None = None
    expected_body: str | None = None
    location_var: str | None = None


@dataclass
class Case:
    name: str  # the manifest entry's local name
    title: str
    requests: list[Request]
    graph_data: list[tuple[Path, str]] = field(default_factory=list)  # (file, graph IRI)


def available() -> bool:
    return (SUITES / "protocol" / "manifest.ttl").is_file()


def _text(g: rdflib.Graph, node, prop) -> str | None:
    v = g.value(node, prop)
    return None if v is None else str(v)


def _headers(g: rdflib.Graph, node) -> dict[str, str]:
    lst = g.value(node, HT.headers)
    out: dict[str, str] = {}
    if lst is not None:
        for h in Collection(g, lst):
            out[str(g.value(h, HT.fieldName)).lower()] = str(g.value(h, HT.fieldValue))
    return out


def load(manifest: Path) -> list[Case]:
    """The manifest's entries, in its order."""
    g = rdflib.Graph().parse(manifest, format="turtle")
    root = next(g.subjects(RDF.type, MF.Manifest))
    cases = []
    for entry in Collection(g, g.value(root, MF.entries)):
        name = str(entry).rsplit("#", 1)[-1]
        requests: list[Request] = []
        action = g.value(entry, MF.action)
        if action is not None:
            for r in Collection(g, g.value(action, HT.requests)):
                body_node = g.value(r, HT.body)
                body = None
                if body_node is not None:
                    chars = str(g.value(body_node, CNT.chars))
                    enc = _text(g, body_node, CNT.characterEncoding) or "UTF-8"
                    body = chars.encode(enc)
                resp = g.value(r, HT.resp)
                resp_body = g.value(resp, HT.body)
                boolean = g.value(resp, MF.expectedBoolean)
                requests.append(Request(
                    method=str(g.value(r, HT.methodName)),
                    path=str(g.value(r, HT.absolutePath)),
                    headers=_headers(g, r),
                    body=body,
                    statuses=sorted(str(s).rsplit("#", 1)[-1] for s in g.objects(resp, MF.expectedStatus)),
                    boolean=None if boolean is None else bool(boolean.toPython()),
                    result_format=_text(g, resp, MF.expectedFormat),
                    content_type=_headers(g, resp).get("content-type"),
                    expected_body=None if resp_body is None else str(g.value(resp_body, CNT.chars)),
                    location_var=_text(g, resp, MF.expectedLocation),
                ))
        data = [(manifest.parent / str(gd_file).rsplit("/", 1)[-1], str(g.value(gd, RDFS.label)))
                for gd in g.objects(entry, UT.graphData) for gd_file in [g.value(gd, UT.graph)]]
        cases.append(Case(name, str(g.value(entry, MF.name)), requests, data))
    return cases


def status_ok(code: int, expected: list[str]) -> bool:
    for name in expected:
        m = re.fullmatch(r"StatusCode(\d)xx", name)
        if (m and code // 100 == int(m.group(1))) or STATUS_NAMES.get(name) == code:
            return True
    return False


def _boolean(resp: httpx.Response) -> bool | None:
    ctype = resp.headers.get("content-type", "").split(";")[0].strip()
    if "json" in ctype:
        return json.loads(resp.text).get("boolean")
    if "xml" in ctype:
        el = ET.fromstring(resp.content).find("{http://www.w3.org/2005/sparql-results#}boolean")
        return None if el is None else el.text == "true"
    return None


class Runner:
    """Sends a case's requests in order to one server and says what, if anything, went wrong."""

    def __init__(self, url: str, token: str | None, query: str = "/sparql", update: str = "/sparql",
                 gsp: str = "/rdf-graphs") -> None:
        """``query``, ``update``, ``gsp``: the server's paths for the suites' ``/sparql/`` and ``/gsp``
        (Oxigraph's server: ``/query``, ``/update``, ``/store``)."""
        self.url = url.rstrip("/")
        self.token = token
        self.query_path, self.update_path, self.gsp_path = query, update, gsp
        self.client = httpx.Client(timeout=30)

    def close(self) -> None:
        self.client.close()

    def path(self, p: str, headers: dict[str, str], body: bytes | None) -> str:
        if p.startswith("/sparql/"):
            is_update = ("update=" in p or "sparql-update" in headers.get("content-type", "")
                         or (body or b"").startswith(b"update="))
            return (self.update_path if is_update else self.query_path) + p[len("/sparql/"):]
        if p.startswith("/gsp"):
            return self.gsp_path + p[len("/gsp"):]
        return p

    def send(self, method: str, path: str, headers: dict[str, str], body: bytes | None) -> httpx.Response:
        h = dict(headers)
        if self.token and method in ("POST", "PUT", "DELETE"):
            h["authorization"] = f"Bearer {self.token}"
        # the query string goes as written (the suite tests percent-encoding): no re-encoding by httpx
        request = httpx.Request(method, httpx.URL(self.url + path), headers=h, content=body)
        try:
            return self.client.send(request)
        except httpx.RemoteProtocolError:  # a server that broke the previous answer (a HEAD with a body): reconnect
            self.client.close()
            self.client = httpx.Client(timeout=30)
            return self.client.send(request)

    def load_data(self, case: Case) -> str | None:
        for file, graph in case.graph_data:
            r = self.send("PUT", f"{self.gsp_path}?graph=" + quote(graph, safe=""),
                          {"content-type": "application/n-triples"}, file.read_bytes())
            if r.status_code >= 300:
                return f"loading {file.name} into <{graph}>: {r.status_code} {r.text.strip()}"
        return None

    def run(self, case: Case) -> str | None:
        """None if the case passed, else why not (one line)."""
        failed = self.load_data(case)
        if failed:
            return failed
        variables: dict[str, str] = {}
        for i, req in enumerate(case.requests, 1):
            path, body = req.path, req.body
            for var, value in variables.items():
                path = path.replace(var, value)
                body = body.replace(var.encode(), value.encode()) if body is not None else None
            resp = self.send(req.method, self.path(path, req.headers, body), req.headers, body)
            where = f"request {i} ({req.method} {path[:60]})"
            if not status_ok(resp.status_code, req.statuses):
                return f"{where}: status {resp.status_code}, expected {'/'.join(req.statuses)}: {resp.text[:150]!r}"
            ctype = resp.headers.get("content-type", "").split(";")[0].strip().lower()
            if req.location_var:
                loc = resp.headers.get("location")
                if not loc:
                    return f"{where}: no Location header"
                variables[req.location_var] = str(httpx.URL(self.url + "/").join(loc))
            if req.result_format and ctype not in RESULT_TYPES[req.result_format]:
                return f"{where}: content-type {ctype!r} is not {req.result_format}"
            if req.boolean is not None and _boolean(resp) != req.boolean:
                return f"{where}: boolean {_boolean(resp)}, expected {req.boolean}"
            if req.content_type and ctype != req.content_type.split(";")[0].strip().lower():
                return f"{where}: content-type {ctype!r}, expected {req.content_type!r}"
            if req.expected_body is not None:
                got = rdflib.Graph()
                try:
                    got.parse(data=resp.content, format=RDFLIB_FORMATS.get(ctype, "turtle"))
                except Exception as exc:  # noqa: BLE001 - any parse failure is the test's failure
                    return f"{where}: body does not parse as {ctype}: {exc}"
                want = rdflib.Graph().parse(data=req.expected_body, format="turtle")
                if not isomorphic(got, want):
                    return f"{where}: graph differs from the expected one ({len(got)} triples, expected {len(want)})"
        return None

    # -------------------------------------------------------------- service description (prose tests)

    def reset(self) -> None:
        """Empty the store (``DROP ALL`` through the update endpoint), so a case starts as on a fresh store."""
        resp = self.send("POST", self.update_path, {"content-type": "application/sparql-update"}, b"DROP ALL")
        if resp.status_code >= 300:
            raise RuntimeError(f"DROP ALL: {resp.status_code} {resp.text.strip()}")

    def service_description(self, name: str) -> str | None:
        resp = self.client.get(self.url + self.query_path, headers={"accept": "text/turtle"})
        ctype = resp.headers.get("content-type", "").split(";")[0].strip().lower()
        if resp.status_code != 200 or ctype not in RDFLIB_FORMATS:
            return f"GET {self.query_path}: {resp.status_code} {ctype}"
        # relative IRIs (Oxigraph's ``sd:endpoint <>``) resolve against the description's own URL
        g = rdflib.Graph().parse(data=resp.content, format=RDFLIB_FORMATS[ctype], publicID=str(resp.url))
        if name == "returns-rdf":
            return None if len(g) else "empty description"
        endpoint = rdflib.URIRef(self.url + self.query_path)
        services = set(g.subjects(SD.endpoint, endpoint))
        if name == "has-endpoint-triple":
            return None if services else f"no sd:endpoint <{endpoint}>"
        # conforms-to-schema: an sd:Service with its endpoint and the SPARQL languages it supports
        for s in services:
            if (s, RDF.type, SD.Service) in g and set(g.objects(s, SD.supportedLanguage)):
                return None
        return "no sd:Service with sd:endpoint and sd:supportedLanguage"


def suites() -> dict[str, list[Case]]:
    return {
        "protocol": load(SUITES / "protocol" / "manifest.ttl"),
        "gsp-indirect": load(SUITES / "graph-store-protocol" / "manifest-indirect.ttl"),
        "gsp-direct": load(SUITES / "graph-store-protocol" / "manifest-direct.ttl"),
        "service-description": load(SUITES / "service-description" / "manifest.ttl"),
    }


def run_suite(runner: Runner, suite: str, cases: list[Case], reset: Callable[[], None] | None = None
              ) -> dict[str, str | None]:
    """{case name: None (passed) or the reason it failed}; ``reset`` empties the store before each case."""
    out: dict[str, str | None] = {}
    for case in cases:
        if reset is not None:
            reset()
        try:
            out[case.name] = (runner.service_description(case.name) if suite == "service-description"
                              else runner.run(case))
        except httpx.HTTPError as exc:
            out[case.name] = f"HTTP error: {exc}"
    return out


if __name__ == "__main__":
    # python tests/support/w3c_suites.py URL [TOKEN] [QUERY_PATH UPDATE_PATH GSP_PATH]
    # e.g. Oxigraph's server: python tests/support/w3c_suites.py http://127.0.0.1:7878 "" /query /update /store
    url, token = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 and sys.argv[2] else None)
    r = Runner(url, token, *sys.argv[3:6])
    for suite, cases in suites().items():
        res = run_suite(r, suite, cases, reset=r.reset)
        print(f"{suite}: {sum(v is None for v in res.values())}/{len(res)}")
        for k, v in res.items():
            print(f"  {'PASS' if v is None else 'FAIL'} {k}" + ("" if v is None else f": {v}"))
