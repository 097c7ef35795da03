"""Imported by a local cluster's fork server after ``kg.cluster_preload`` when the workers segment text
for the writer's search index (an embedded store): jieba's dictionary (≈1 CPU s), loaded once and shared
by every worker forked after, instead of once per worker. Pure Python: it starts no thread."""

from __future__ import annotations

import gc

from kg.search.segment import tokenizer

tokenizer()
gc.freeze()  # see kg.cluster_preload
