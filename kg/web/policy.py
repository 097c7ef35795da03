"""What a public read-only endpoint refuses before the engine sees a query.

Oxigraph evaluates ``SERVICE <iri> { … }`` by making HTTP requests itself, which would let anyone
make the server fetch arbitrary URLs (including loopback ones). Until federation is wanted on purpose,
queries that use the SERVICE keyword are refused. The check looks at the query's tokens, not its
text: strings, IRIs and comments are removed first, and ``\\uXXXX`` escapes (which SPARQL expands
before parsing) are expanded, so neither ``"SERVICE"`` in a literal is refused nor ``\\u0053ERVICE``
let through.
"""

from __future__ import annotations

import re

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_STRIP = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'  # long strings
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'  # short strings
    r"|'(?:[^'\\\n]|\\.)*'"
    r"|<[^<>\"{}|^`\\\s]*>"  # IRIs
    r"|#[^\n]*",  # comments
    re.S,
)
_SERVICE = re.compile(r"(?<![\w:?$.-])SERVICE(?![\w:.-])", re.I)


def _unescape(m: re.Match) -> str:
    try:
        return chr(int(m.group(1) or m.group(2), 16))
    except ValueError:
        return ""


def uses_service(query: str) -> bool:
    """Whether the query contains the SERVICE keyword outside strings, IRIs and comments."""
    text = _ESCAPE.sub(_unescape, query)
    text = _STRIP.sub(" ", text)
    return bool(_SERVICE.search(text))
