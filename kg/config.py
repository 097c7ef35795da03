"""Per-store settings kept beside the data, so ingest, export and serve agree on the IRI base."""

from __future__ import annotations

import json
import os
from pathlib import Path

from kg.errors import StoreError
from kg.rdf.iris import DEFAULT_BASE, normalise_base

CONFIG_NAME = "newskg.json"


def resolve_base(store_dir: Path | str | object, requested: str | None, *, writing: bool) -> str:
    """The store's base IRI: fixed by its first ingest; a different ``--base`` later is an error.

    A remote store (``http://…`` or a RemoteConfig) keeps no file: its base is read from the IRIs of
    the articles it already holds (see ``resolve_remote_base``)."""
    from kg.store.remote import is_remote

    if is_remote(store_dir):
        return resolve_remote_base(store_dir, requested, writing=writing)
    store_dir = Path(store_dir)  # type: ignore[arg-type]
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
        check_store_folder(store_dir)
        store_dir.mkdir(parents=True, exist_ok=True)
        cfg_path.write_text(json.dumps({"base": base}) + "\n", encoding="utf-8")
    return base


def resolve_remote_base(location: object, requested: str | None, *, writing: bool) -> str:
    """A remote store's base: the one its articles already use, else ``--base``, the config's ``base``,
    ``$KG_BASE`` or the default. Ingesting with another base than the stored one is an error, as for
    a folder store; an empty store takes whatever is asked for."""
    from kg.store.remote import remote_config

    cfg = remote_config(location)  # type: ignore[arg-type]
    wanted = requested or cfg.base or os.environ.get("KG_BASE")
    try:
        wanted = normalise_base(wanted) if wanted else None
    except ValueError as exc:
        raise StoreError(str(exc)) from None
    stored = remote_stored_base(cfg)
    if stored and wanted and stored != wanted and writing:
        raise StoreError(
            f"{cfg}: its IRIs use the base {stored}; ingesting with --base {wanted} would mix two "
            "bases (use another store, or export and re-ingest)"
        )
    return stored or wanted or DEFAULT_BASE


def remote_stored_base(location: object) -> str | None:
    """The base a remote store's articles use, or None while it holds no article (``kg serve`` then
    falls back to ``--base`` or its listening address, as for a folder store without newskg.json)."""
    from kg.store.remote import RemoteStore, remote_config, stored_base

    store = RemoteStore(remote_config(location), read_only=True)  # type: ignore[arg-type]
    try:
        return stored_base(store)
    finally:
        store.close()


# curation.toml: the editors' identity overrides (kg.rdf.curation), which may be written before the first ingest
STORE_FILES = {"oxigraph", "newskg.json", "void-stats.json", ".kg-snapshots", ".kg-lock", "lost+found", "curation.toml",
               "search-index.sqlite", "search-index.sqlite-wal", "search-index.sqlite-shm"}  # kg.search


def check_store_folder(path: Path) -> None:
    """Refuse a ``--store`` that is not a store nor a place for a new one: a file, or a folder of other
    files (making a store inside a user's folder of pages would be a surprise nobody asked for)."""
    try:
        if path.exists() and not path.is_dir():
            raise StoreError(f"{path}: is a file, not a store folder; give a new or empty folder for --store")
        if path.is_dir() and not (path / "oxigraph").is_dir():
            others = sorted(p.name for p in path.iterdir() if p.name not in STORE_FILES)
            if others:
                shown = ", ".join(others[:3]) + (" …" if len(others) > 3 else "")
                raise StoreError(f"{path}: is a folder of other files ({shown}), not a store; give a new or empty "
                                 "folder for --store")
    except OSError as exc:
        raise StoreError(f"{path}: cannot use as a store ({exc.strerror or exc})") from None
