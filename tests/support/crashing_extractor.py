"""An extractor that kills its worker process on a marked article (tests of batch ingest's pool)."""

from __future__ import annotations

import os

from kg.extract.pipeline import extract as real_extract
from kg.model import Article, Extraction

MARK = "自毁标记"


def extract(article: Article) -> Extraction:
    if MARK in article.body:
        os._exit(3)  # as a segfault or the OOM killer would: no exception, no cleanup
    return real_extract(article)
