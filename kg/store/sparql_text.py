"""Looking at a SPARQL text's keywords without a full parser.

Used where the engine's API cannot answer a question about a query: whether it has a dataset clause
(``FROM``), which must switch off the union default graph, and whether it uses ``SERVICE`` (see
``kg.web.policy``). Strings, IRIs and comments are removed first, and ``\\uXXXX`` escapes (which SPARQL
expands before parsing) are expanded, so a keyword inside a literal is not seen and an escaped one is.
"""

from __future__ import annotations

import re
from functools import lru_cache

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


def _unescape(m: re.Match) -> str:
    try:
        return chr(int(m.group(1) or m.group(2), 16))
    except ValueError:
        return ""


@lru_cache(maxsize=1024)
def code_only(query: str) -> str:
    """The query with strings, IRIs and comments blanked out and codepoint escapes expanded."""
    return _STRIP.sub(" ", _ESCAPE.sub(_unescape, query))


def has_keyword(query: str, word: str) -> bool:
    """Whether ``word`` occurs as a keyword (not a prefixed name, variable or part of one)."""
    pattern = rf"(?<![\w:?$.-]){re.escape(word)}(?![\w:.-])"
    return re.search(pattern, code_only(query), re.I) is not None
