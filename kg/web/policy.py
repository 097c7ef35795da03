"""What a public read-only endpoint refuses before the engine sees a query.

Oxigraph evaluates ``SERVICE <iri> { … }`` by making HTTP requests itself, which would let anyone
make the server fetch arbitrary URLs (including loopback ones). Until federation is wanted on purpose,
queries that use the SERVICE keyword are refused (``create_app(allow_service=True)`` lifts this).
"""

from __future__ import annotations

from kg.store.sparql_text import has_keyword


def uses_service(query: str) -> bool:
    """Whether the query contains the SERVICE keyword outside strings, IRIs and comments."""
    return has_keyword(query, "SERVICE")
