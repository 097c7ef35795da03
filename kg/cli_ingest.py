"""``kg ingest``: the command's checks, its choice between one file and the batch, and its report lines.

Why apart from ``kg.cli``: the ingest command is the largest family (one-file and batch paths, the
cluster option, the per-file report); ``kg.cli`` keeps the parser, the other commands and ``main``.
The work itself is ``kg.ingest`` (and ``kg.cluster``); this module only turns arguments into a call
and its results into lines on stderr.
"""

from __future__ import annotations

import argparse
import errno
import sys
from pathlib import Path

from kg.errors import KgError


def cmd_ingest(args: argparse.Namespace) -> int:
    from kg.config import resolve_base
    from kg.ingest import ingest_paths
    from kg.store import open_store

    for p in args.paths:  # a missing path is a usage error before anything is opened
        if not Path(p).exists():
            if Path(p).is_symlink():
                try:
                    Path(p).stat()
                except OSError as exc:
                    if exc.errno == errno.ELOOP:
                        raise KgError(f"{p}: a loop of symbolic links") from None
                raise KgError(f"{p}: a symbolic link to nothing (no such file or folder)")
            raise KgError(f"{p}: no such file or folder")
    if args.fields is not None:  # a typo stops the run before any file is read
        from kg.read.dumps import parse_fields

        args.fields = parse_fields(args.fields)
    if is_batch(args):
        return cmd_ingest_batch(args)
    from kg.rdf.curation import for_store

    curation = for_store(args.store, args.curation)  # a bad file stops here, before the store is opened
    fields = args.fields
    base = resolve_base(args.store, args.base, writing=True)
    store = open_store(args.store)
    try:
        results = ingest_paths(
            store,
            args.paths,
            base=base,
            encoding=args.encoding,
            publication=args.publication,
            date=args.date,
            locality=args.locality,
            skip_known=args.resume,
            curation=curation,
            fields=fields,
        )
        total = store.quad_count()
    finally:
        store.close()
    failed = [r for r in results if r.error or r.problems]
    for r in results:
        for problem in r.problems:  # a dump's bad records; its other records were stored
            print(f"kg: {problem}", file=sys.stderr)
        if r.error:
            print(f"kg: {r.error}", file=sys.stderr)
        elif r.skipped:
            print(f"{r.path}: already stored, skipped", file=sys.stderr)
        else:
            print(f"{r.path}: {len(r.articles)} article(s), {r.quads} quads", file=sys.stderr)
    if not results:
        raise KgError("no page files found in the given folders")
    if len(failed) < len(results):
        print(f"store {args.store}: {total} quads", file=sys.stderr)
    return 1 if failed else 0


def is_batch(args: argparse.Namespace) -> bool:
    """Folders or several files: worker processes, progress and a summary. One file: as it always was."""
    return bool(args.cluster) or len(args.paths) > 1 or any(Path(p).is_dir() for p in args.paths)


def cmd_ingest_batch(args: argparse.Namespace) -> int:
    from kg.config import resolve_base
    from kg.ingest import DEFAULT_BATCH_ARTICLES, ingest_batch, walk
    from kg.progress import Progress
    from kg.store import open_store

    if args.jobs is not None and args.jobs < 1:
        raise KgError("--jobs must be at least 1")
    if args.cluster and args.jobs is not None:
        raise KgError("--jobs and --cluster exclude each other (the cluster's workers are the parallelism)")
    if args.cluster:
        from kg.cluster import local_workers

        local_workers(args.cluster)  # a malformed address stops here, before the store is opened
    if not any(True for _ in walk(args.paths)):
        raise KgError("no page files found in the given folders")
    from kg.rdf.curation import for_store

    curation = for_store(args.store, args.curation)
    fields = args.fields
    base = resolve_base(args.store, args.base, writing=True)
    store = open_store(args.store)
    progress = Progress(0, 0)

    def listed(res) -> None:
        if args.verbose and not res.error:
            what = "already stored, skipped" if res.skipped else f"{len(res.articles)} article(s), {res.quads} quads"
            progress.message(f"{res.path}: {what}")

    options = dict(base=base, encoding=args.encoding, publication=args.publication, date=args.date,
                   locality=args.locality, curation=curation, fields=fields)  # kg.ingest.IngestOptions
    common = dict(batch_articles=args.batch_size or DEFAULT_BATCH_ARTICLES, skip_known=args.resume,
                  progress=progress, on_file=listed)
    try:
        if args.cluster:
            from kg.cluster import ingest_cluster

            # the workers write to a remote store themselves; an embedded store is written by this process
            shared = None if isinstance(args.store, Path) else args.store
            report = ingest_cluster(store, args.paths, scheduler=args.cluster, shared_store=shared,
                                    **common, **options)
        else:
            report = ingest_batch(store, args.paths, jobs=args.jobs, **common, **options)
        total = store.quad_count()
    finally:
        store.close()
    print(report.summary(), file=sys.stderr)
    print(f"store {args.store}: {total} quads", file=sys.stderr)
    return 1 if report.failed or report.errors else 0
