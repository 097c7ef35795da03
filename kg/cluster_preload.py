"""Imported once by the fork server of a local cluster (``kg ingest --cluster local:N``), before it forks
each worker process: Dask and everything a task imports (``kg.cluster``: the ingest, the extraction
pipeline, rdflib).

Why: a spawned worker imports all this itself (≈1.3 CPU s, and ≈1 s more for jieba's dictionary, see
``kg.cluster_preload_segmenter``); forked from a server that did it once, N workers pay for it once, and
the server does it while the ``kg ingest`` process is still starting. Nothing here may start a thread
(a fork copies only the forking thread): onnxruntime, which starts some on import, is imported by each
worker at its first task (``kg.cluster._prepared``).
"""

from __future__ import annotations

import gc

import distributed  # noqa: F401

import kg.cluster  # noqa: F401

# what the server loaded is never collected: out of the collector's way, so that the workers' collections
# do not write to (and so copy) the pages they share with the server (Python's gc.freeze advice for pre-fork servers)
gc.freeze()
