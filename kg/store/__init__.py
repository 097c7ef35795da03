"""Storing quads: one small protocol (``kg.store.base.Store``) and its backends.

The names are loaded on first use (PEP 562), so a module of this package that does not need rdflib
(``kg.store.oxigraph_query``, imported by the ``/sparql`` query worker processes) can be imported without it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kg.store.base import QueryResult, Store, open_store

__all__ = ["QueryResult", "Store", "open_store"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from kg.store import base

        return getattr(base, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
