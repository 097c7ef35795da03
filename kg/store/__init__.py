"""Storing quads: one small protocol (``kg.store.base.Store``) and its backends."""

from kg.store.base import QueryResult, Store, open_store

__all__ = ["QueryResult", "Store", "open_store"]
