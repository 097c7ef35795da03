"""Ingest: page files → articles → facts → article graphs → the store.

Each file is read and mapped completely before anything is written; its graphs are then written in
one transaction, so a failure leaves the store exactly as it was before that file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import KgError
from kg.extract.pipeline import extract
from kg.model import Article
from kg.rdf.mapping import ArticleGraph, map_article
from kg.read import read_page, read_source
from kg.store.base import GraphUpdate, Store

PAGE_SUFFIXES = (".txt", ".md", ".text")


@dataclass
class FileResult:
    path: Path
    articles: list[str] = field(default_factory=list)  # article IRIs
    quads: int = 0
    skipped: bool = False
    error: str | None = None


def walk(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files given, and page files (*.txt, *.md) under folders given, in a stable order."""
    for p in paths:
        p = Path(p)
        if p.is_dir():
            yield from sorted(x for x in p.rglob("*") if x.is_file() and x.suffix in PAGE_SUFFIXES)
        else:
            yield p


def build_graphs(
    path: Path,
    *,
    base: str,
    encoding: str | None = None,
    publication: str | None = None,
    date: str | None = None,
    locality: str | None = None,
) -> tuple[str, list[Article], list[ArticleGraph]]:
    """Read and map one file, touching no store. Returns (content hash, articles, graphs)."""
    src = read_source(path, encoding=encoding, publication=publication, date=date, locality=locality)
    articles = read_page(src.text, src.publication, path.name, src.sha256)
    graphs = [map_article(a, extract(a), base) for a in articles]
    return src.sha256, articles, graphs


def ingest_file(
    store: Store,
    path: Path,
    *,
    base: str,
    encoding: str | None = None,
    publication: str | None = None,
    date: str | None = None,
    locality: str | None = None,
    skip_known: bool = False,
    before_write: Callable[[list[ArticleGraph]], None] | None = None,
) -> FileResult:
    """Ingest one page file; raises KgError on bad input (the store is then untouched)."""
    res = FileResult(path)
    if skip_known:
        import hashlib

        if path.is_file() and store.has_content_hash(hashlib.sha256(path.read_bytes()).hexdigest()):
            res.skipped = True
            return res
    _, _, graphs = build_graphs(
        path, base=base, encoding=encoding, publication=publication, date=date, locality=locality
    )
    if before_write is not None:
        before_write(graphs)
    store.replace_graphs([GraphUpdate(str(g.iri), g.triples) for g in graphs])
    res.articles = [str(g.iri) for g in graphs]
    res.quads = sum(len(g.triples) for g in graphs)
    return res


def ingest_paths(store: Store, paths: Iterable[str | Path], **options) -> list[FileResult]:
    """Ingest many files; a bad file is reported in its result and does not stop the others."""
    results = []
    for path in walk(paths):
        try:
            results.append(ingest_file(store, path, **options))
        except KgError as exc:
            results.append(FileResult(path, error=str(exc)))
    return results
