"""An extractor whose workers die while loading it, before any file (tests of batch ingest's pool).

Only for pools (``jobs`` of 2 or more): ``--jobs 1`` loads the extractor in the calling process.
"""

from __future__ import annotations

import os

from kg.extract.pipeline import extract as real_extract
from kg.model import Article, Extraction


def warm_up() -> None:
    os._exit(3)  # as the OOM killer would while the model loads


def extract(article: Article) -> Extraction:
    return real_extract(article)
