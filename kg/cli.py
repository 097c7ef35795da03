"""The ``kg`` command line (shared/CONTRACT.md): ingest, export, query, stats, validate, serve.

Every user error is one line on stderr and exit status 1 (2 for bad usage, from argparse).
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import time
from pathlib import Path
from typing import BinaryIO

from kg.cli_ingest import cmd_ingest
from kg.errors import KgError
from kg.store.base import DEFAULT_STORE

EXPORT_FORMATS = ["trig", "turtle", "nquads", "jsonld", "ntriples", "rdfxml"]


def store_location(text: str) -> Path | str:
    """``--store``: an http(s) address stays a string (Path would fold its '//'), anything else a folder."""
    return text if text.startswith(("http://", "https://")) else Path(text)


def _store_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--store",
        type=store_location,
        default=DEFAULT_STORE,
        help=f"store folder, or http(s) address of a SPARQL server (default {DEFAULT_STORE})",
    )
    p.add_argument(
        "--store-config",
        type=Path,
        metavar="FILE",
        help="TOML/JSON file naming a remote store's query, update and graph-store endpoints and credentials",
    )


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="kg", description="newskg: Chinese news articles as an RDF knowledge graph")
    sub = ap.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="read page files into the store")
    _store_arg(p)
    p.add_argument("--publication", help="newspaper name (overrides the sidecar NAME.meta.json)")
    p.add_argument("--date", help="publication date YYYY-MM-DD (overrides the sidecar)")
    p.add_argument("--locality", help="the paper's city or county, e.g. 太原市 (overrides the sidecar)")
    p.add_argument("--encoding", help="text encoding of the files if not UTF-8, e.g. gb18030")
    p.add_argument("--base", help="IRI base for new stores (default http://127.0.0.1:8000)")
    p.add_argument("--resume", action="store_true", help="skip files (and dump records) already stored")
    p.add_argument("--fields", metavar="OURS=THEIRS,...",
                   help="a dump's column names for ours (url, title, date, text, publication, page, author), "
                        "e.g. title=headline,text=content (over the dump's sidecar map)")
    p.add_argument("--jobs", "-j", type=int, metavar="N",
                   help="worker processes for folders and many files (default: one per core; 1: no workers)")
    p.add_argument("--cluster", metavar="SCHEDULER",
                   help="read on a Dask cluster: tcp://host:8786, or local:N for N local workers (docs/cluster.md)")
    p.add_argument("--batch-size", type=int, default=None, metavar="ARTICLES",
                   help="articles per store transaction in batch mode (default 500)")
    p.add_argument("--verbose", "-v", action="store_true", help="in batch mode, also list every file stored")
    p.add_argument("--curation", type=Path, metavar="FILE",
                   help="editors' identity overrides to mint with (default: STORE/curation.toml if it exists)")
    p.add_argument("paths", nargs="+", metavar="PATH", help="page files or folders of them")

    p = sub.add_parser("export", help="write the whole store")
    _store_arg(p)
    p.add_argument("--format", choices=EXPORT_FORMATS, default="trig")
    p.add_argument("--output", "-o", type=Path, help="file to write (default: stdout)")
    p.add_argument(
        "--shard-size",
        type=int,
        metavar="N",
        help="with --format nquads/ntriples: write files of N lines (quads) each, for bulk loaders",
    )
    p.add_argument("--output-dir", type=Path, help="folder for the shards (default: the current folder)")

    p = sub.add_parser("query", help="run a SPARQL query")
    _store_arg(p)
    p.add_argument("query", metavar="QUERY-OR-@FILE")
    p.add_argument("--format", choices=["json", "csv", "tsv", "xml", "table"], default="table")

    p = sub.add_parser("stats", help="counts of quads, articles and entities")
    _store_arg(p)
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser("validate", help="check every article graph against the SHACL shapes")
    _store_arg(p)

    p = sub.add_parser("resolve", help="rebuild the identity resolution graphs from the article graphs")
    _store_arg(p)
    p.add_argument("--curation", type=Path, metavar="FILE",
                   help="editors' overrides of the identity rules, applied in place "
                        "(default: STORE/curation.toml if it exists; docs/identity.md)")

    p = sub.add_parser("index", help="rebuild the search index (STORE/search-index.sqlite) from the store")
    _store_arg(p)

    p = sub.add_parser("serve", help="serve the store over HTTP: SPARQL endpoint, IRIs, exports")
    _store_arg(p)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument("--base", help="IRI base if the store has none recorded (default: the listening address)")
    p.add_argument("--token-file", type=Path, metavar="FILE",
                   help="enable writes (SPARQL Update, /rdf-graphs, POST /ingest) for this bearer token "
                        "(or set $KG_TOKEN); without it the service is read-only")
    p.add_argument("--query-timeout", type=float, metavar="SECONDS", help="per-query time limit (default 30)")
    p.add_argument("--query-workers", type=int, metavar="N", help="queries evaluated at once (default 4)")
    p.add_argument("--per-client-queries", type=int, metavar="N",
                   help="queries one client address may have running or waiting at once; more get 429 "
                        "(default 0: no cap; behind a proxy every client has the proxy's address)")
    p.add_argument("--max-result-mb", type=float, metavar="MB", help="largest SPARQL result (default 256)")
    p.add_argument("--no-isolate", action="store_true",
                   help="run queries on threads, not worker processes (a timed-out query then runs to its end)")
    p.add_argument("--access-log", metavar="FILE", help="JSON-lines access log file (default: stderr)")
    p.add_argument("--worker-memory-mb", type=int, metavar="MB",
                   help="address space one query worker may use; a query needing more is stopped (default 4096)")
    p.add_argument("--allow-service", action="store_true",
                   help="let SPARQL SERVICE and LOAD make the server fetch URLs (off: refused, and query workers "
                        "have no network)")

    return ap


# ---------------------------------------------------------------- commands


def _out(path: Path | None) -> BinaryIO:
    return open(path, "wb") if path else sys.stdout.buffer


def cmd_export(args: argparse.Namespace) -> int:
    from kg.store import open_store

    if args.shard_size is not None or args.output_dir is not None:
        return export_shards(args)
    store = open_store(args.store, read_only=True)
    out = _out(args.output)
    try:
        store.export(args.format, out)
    finally:
        if args.output:
            out.close()
        else:
            out.flush()
        store.close()
    return 0


def export_shards(args: argparse.Namespace) -> int:
    """``kg export --format nquads --shard-size N``: files of N quads for the stores' bulk loaders."""
    from kg.shards import ShardWriter
    from kg.store import open_store

    if args.format not in ("nquads", "ntriples"):
        raise KgError("--shard-size needs a line-based format: --format nquads (or ntriples)")
    if args.output is not None:
        raise KgError("give --output-dir for shards, not --output")
    size = args.shard_size or 1_000_000
    if size < 1:
        raise KgError("--shard-size must be at least 1")
    out_dir = args.output_dir or Path(".")
    store = open_store(args.store, read_only=True)
    try:
        with ShardWriter(out_dir, size, suffix=".nq" if args.format == "nquads" else ".nt") as shards:
            store.export(args.format, shards)
    finally:
        store.close()
    print(f"{shards.lines} quads in {len(shards.paths)} shard(s) in {out_dir}", file=sys.stderr)
    return 0


def _read_query(text: str) -> str:
    if text.startswith("@"):
        path = Path(text[1:])
        if not path.exists():
            raise KgError(f"{path}: no such query file")
        return path.read_text(encoding="utf-8")
    return text


def cmd_query(args: argparse.Namespace) -> int:
    from kg.store import open_store

    sparql = _read_query(args.query)
    store = open_store(args.store, read_only=True)
    try:
        res = store.query(sparql)
        out = sys.stdout.buffer
        if res.kind == "graph":
            res.serialize("turtle", out)
        elif args.format == "table":
            out.write(render_table(res).encode("utf-8"))
        else:
            res.serialize(args.format, out)
            if args.format == "json":
                out.write(b"\n")
        out.flush()
    finally:
        store.close()
    return 0


def short(term) -> str:
    from rdflib import Literal, URIRef

    from kg.rdf.namespaces import PREFIXES

    if term is None:
        return ""
    if isinstance(term, URIRef):
        for prefix, ns in PREFIXES.items():
            if str(term).startswith(ns):
                return f"{prefix}:{str(term)[len(ns):]}"
        return f"<{term}>"
    if isinstance(term, Literal):
        return str(term)
    return str(term)


def render_table(res) -> str:
    """A plain text table that lines up Chinese (double-width) characters."""
    import unicodedata

    if res.kind == "boolean":
        return ("true" if res.boolean() else "false") + "\n"
    cols = res.variables
    rows = [[short(r.get(c)) for c in cols] for r in res.rows()]

    def width(s: str) -> int:
        return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)

    widths = [max([width(c)] + [width(r[i]) for r in rows]) for i, c in enumerate(cols)]

    def line(cells: list[str]) -> str:
        return " | ".join(c + " " * (w - width(c)) for c, w in zip(cells, widths, strict=True)).rstrip()

    buf = io.StringIO()
    buf.write(line(cols) + "\n")
    buf.write("-+-".join("-" * w for w in widths) + "\n")
    for r in rows:
        buf.write(line(r) + "\n")
    buf.write(f"({len(rows)} row{'s' if len(rows) != 1 else ''})\n")
    return buf.getvalue()


STATS_QUERY = """
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class ORDER BY DESC(?n)
"""


def store_stats(store) -> dict:
    classes = {short(r["class"]): int(r["n"]) for r in store.query(STATS_QUERY).rows()}
    from kg.resolve import is_resolution_graph

    articles = sum(1 for g in store.graph_iris() if not is_resolution_graph(g))
    return {"quads": store.quad_count(), "articles": articles, "classes": classes}


def cmd_stats(args: argparse.Namespace) -> int:
    from kg.store import open_store

    store = open_store(args.store, read_only=True)
    try:
        stats = store_stats(store)
    finally:
        store.close()
    if args.json:
        print(json.dumps(stats, ensure_ascii=False, indent=1))
    else:
        print(f"store    {args.store}")
        print(f"quads    {stats['quads']}")
        print(f"articles {stats['articles']}")
        for cls, n in stats["classes"].items():
            print(f"  {cls:<28} {n}")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from rdflib import Graph

    from kg.store import open_store
    from kg.validate import validate_graphs

    store = open_store(args.store, read_only=True)
    try:
        def graphs():
            for iri in store.graph_iris():
                buf = io.BytesIO()
                store.export_graph(iri, "ntriples", buf)
                g = Graph()
                g.parse(data=buf.getvalue().decode("utf-8"), format="nt")
                yield iri, g

        report = validate_graphs(graphs())
    finally:
        store.close()
    print(report.text())
    return 0 if report.conforms else 1


def cmd_resolve(args: argparse.Namespace) -> int:
    """Upgrade article graphs of an older version in place, apply the editors' curation file (re-minting
    the article graphs it changes), then rebuild every name block (kg.resolve)."""
    from kg.careers import apply_all
    from kg.rdf.curation import for_store
    from kg.resolve import curate, rebuild, upgrade
    from kg.store import open_store

    curation = for_store(args.store, args.curation)  # a bad file stops here, before the store is opened
    store = open_store(args.store)
    try:
        upgraded = upgrade(store, curation)
        curated, unmatched = curate(store, curation)
        careers = len(apply_all(store))  # the lines of work of one name and place that are one career
        if careers:  # a career join can move a stated alias's person to another line: the aliases once more
            again, _ = curate(store, curation)
            curated += again
            careers += len(apply_all(store)) if again else 0
        mentions, blocks = rebuild(store)
        if upgraded or curated or careers:  # article graphs rewritten in place: the search index reads them again
            from kg.search import rebuild as rebuild_search

            rebuild_search(store)
    finally:
        store.close()
    for line in unmatched:  # an override naming nothing in the store is said, not ignored
        print(f"kg: {line}", file=sys.stderr)
    print(f"resolve: {upgraded} article graphs upgraded, {curated} re-minted by the identity rules and "
          f"{len(curation.overrides)} curation overrides, {careers} re-keyed by career joins, {mentions} person "
          f"mentions, {blocks} name blocks",
          file=sys.stderr)
    return 0


def cmd_index(args: argparse.Namespace) -> int:
    """Write the search index again from the store (kg.search): after writes it did not see, or to time it."""
    from kg.search import index_path, rebuild
    from kg.store import open_store

    store = open_store(args.store)
    try:
        if index_path(store) is None:
            print("kg: a remote store's search index is kept in memory by kg serve (built when it starts); "
                  "nothing to write here", file=sys.stderr)
            return 0
        t0 = time.perf_counter()
        idx = rebuild(store)
        size = idx.size()
        idx.close()
    finally:
        store.close()
    print(f"index: {size['graphs']} graphs, {size['articles']} articles, {size['names']} names in "
          f"{time.perf_counter() - t0:.1f} s; {size.get('bytes', 0) / 1e6:.1f} MB at {index_path(store)}",
          file=sys.stderr)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from kg.web.context import ServeConfig
    from kg.web.serve import limits_from, run

    limits = limits_from(
        query_timeout=args.query_timeout, query_workers=args.query_workers, max_result_mb=args.max_result_mb,
        per_client_queries=args.per_client_queries, worker_memory_mb=args.worker_memory_mb,
        no_isolate=args.no_isolate, allow_service=args.allow_service,
    )
    config = ServeConfig(base=args.base or "", limits=limits)  # the base is settled against the store's by run
    return run(args.store, args.host, args.port, config, token_file=args.token_file, access_log=args.access_log)


COMMANDS = {
    "ingest": cmd_ingest,  # kg.cli_ingest
    "export": cmd_export,
    "query": cmd_query,
    "stats": cmd_stats,
    "validate": cmd_validate,
    "resolve": cmd_resolve,
    "index": cmd_index,
    "serve": cmd_serve,
}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if getattr(args, "store_config", None) is not None:  # a remote store described by a file
            from kg.store.remote import RemoteConfig

            args.store = RemoteConfig.from_file(args.store_config)
        return COMMANDS[args.command](args)
    except KgError as exc:
        print(f"kg: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        print("kg: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
