"""Per-store settings kept beside the data, so ingest, export and serve agree on the IRI base."""

from __future__ import annotations

import json
import os
from pathlib import Path

from kg.errors import StoreError
from kg.rdf.iris import DEFAULT_BASE, normalise_base

CONFIG_NAME = "newskg.json"


def resolve_base(store_dir: Path, requested: str | None, *, writing: bool) -> str:
    """The store's base IRI: fixed by its first ingest; a different ``--base`` later is an error."""
    cfg_path = store_dir / CONFIG_NAME
    stored = None
    if cfg_path.exists():
        try:
            stored = json.loads(cfg_path.read_text(encoding="utf-8")).get("base")
        except (ValueError, OSError) as exc:
            raise StoreError(f"{cfg_path}: unreadable ({exc})") from None
    wanted = requested or os.environ.get("KG_BASE")
    try:
        wanted = normalise_base(wanted) if wanted else None
    except ValueError as exc:
        raise StoreError(str(exc)) from None
    if stored and wanted and stored != wanted and writing:
        raise StoreError(
            f"{store_dir}: its IRIs use the base {stored}; ingesting with --base {wanted} would mix two "
            "bases (use another --store, or export and re-ingest)"
        )
    base = stored or wanted or DEFAULT_BASE
    if writing and not stored:
        store_dir.mkdir(parents=True, exist_ok=True)
        cfg_path.write_text(json.dumps({"base": base}) + "\n", encoding="utf-8")
    return base
