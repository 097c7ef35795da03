"""What a public endpoint refuses before the engine sees a query or an update: outbound requests.

Oxigraph evaluates ``SERVICE <iri> { … }`` and ``LOAD <iri>`` by making HTTP requests itself, which would
let anyone make the server fetch arbitrary URLs (loopback and private ones included) and, with open CORS,
let any web page read what came back. Until federation is wanted on purpose (``kg serve --allow-service``)
both are refused, decided on a real parse (rdflib's SPARQL 1.1 grammar), not on text patterns:

- A text in which the letters ``service`` / ``load`` occur nowhere (after ``\\uXXXX`` escapes are
  expanded, in any case, anywhere: strings and IRIs included) cannot hold either operation; it is not
  parsed (the common case costs one substring search).
- A text that names either and holds a ``\\uXXXX`` escape is refused: engines expand escapes differently
  (an escaped quote ends a string for rdflib and the grammar, not for Oxigraph), so no parse vouches for it.
- Otherwise it is parsed and refused if the parse holds a ``SERVICE`` pattern or a ``LOAD`` operation, or
  if the lexer (``kg.store.sparql_text``) sees either keyword in its code (a second opinion, should the
  two grammars ever disagree about where a string ends). A text that cannot be parsed is refused too:
  it names an outbound operation and cannot be shown not to use it.

This runs inside the query worker process (``kg.web.limits``), whose network is also cut off where the
platform allows, so neither a parser bug nor a crash reaches the server process.
"""

from __future__ import annotations

import sys
from typing import Any

from kg.errors import QueryError
from kg.store.sparql_text import has_escapes, has_keyword, unescape

OUTBOUND = {"SERVICE": "ServiceGraphPattern", "LOAD": "Load"}


class Forbidden(QueryError):
    """The text uses an operation this endpoint refuses (403)."""

    status = 403


def _names(tree: Any, out: set[str]) -> set[str]:
    """The names of every rule node (rdflib ``CompValue``) in a parse tree."""
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, CompValue):
            out.add(node.name)
            stack.extend(node.values())
        elif isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, (list, tuple)) or type(node).__name__ == "ParseResults":
            stack.extend(node)
    return out


def parsed_operations(text: str, update: bool) -> set[str]:
    """Which of SERVICE / LOAD the parsed text uses; QueryError if it cannot be parsed."""
    from pyparsing.exceptions import ParseBaseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    limit = sys.getrecursionlimit()
    try:
        sys.setrecursionlimit(max(limit, 20000))  # the grammar recurses ~25 frames per nesting level
        tree = parseUpdate(text) if update else parseQuery(text)
    except (ParseBaseException, ValueError, TypeError, RecursionError, AttributeError) as exc:
        raise QueryError(" ".join(str(exc).split())[:300] or type(exc).__name__) from None
    finally:
        sys.setrecursionlimit(limit)
    names = _names(tree, set())
    return {word for word, rule in OUTBOUND.items() if rule in names}


def check_outbound(text: str, update: bool = False) -> None:
    """Raise Forbidden if ``text`` (a query, or an update if ``update``) would make the server fetch a URL."""
    folded = unescape(text).casefold()
    if "service" not in folded and "load" not in folded and "service" not in text.casefold() \
            and "load" not in text.casefold():
        return
    what = "update" if update else "query"
    if has_escapes(text):
        # Engines disagree on ``\uXXXX``: the grammar (and rdflib) expand them in the whole text first, so an
        # escaped quote ends a string; Oxigraph expands them inside strings and IRIs only, where it does not.
        # Text hidden in a "string" for one is code for the other, so no parse can vouch for such a text.
        raise Forbidden(
            f"this {what} mentions SERVICE or LOAD (disabled here: they make the server fetch URLs) and uses "
            "\\u escapes, which SPARQL engines read differently; write the characters themselves"
        )
    try:
        found = parsed_operations(text, update)
    except QueryError as exc:
        raise Forbidden(
            f"this {what} mentions SERVICE or LOAD, which make the server fetch URLs and are disabled here, and "
            f"it could not be parsed to show that it does not use them: {exc}"
        ) from None
    found |= {word for word in OUTBOUND if has_keyword(text, word)}
    if found:
        word = sorted(found)[-1]
        hint = "federated query" if word == "SERVICE" else "fetching a document into the store"
        raise Forbidden(f"{word} ({hint}) is disabled on this endpoint: it makes the server fetch URLs")


def uses_service(query: str) -> bool:
    """Whether the query would be refused for an outbound operation (kept for callers and tests)."""
    try:
        check_outbound(query)
    except Forbidden:
        return True
    return False
