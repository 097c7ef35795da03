"""The one SPARQL text toolkit: a lexer that follows the grammar's terminals, and what is read from it.

Used where the engine's API cannot answer a question about a query before running it: whether it has a
dataset clause (``FROM``, which must switch off the union default graph), where its WHERE group starts
(to bind values for a remote server), and how deeply it nests (a limit checked before any parser runs:
Oxigraph's parser recurses, and a query of 3,000 nested groups overflows its stack).

The lexer knows SPARQL's strings (short and long, with escapes), IRIs, comments, variables and prefixed
names with their escapes (``ex:a\\#`` is a name, not a comment), so a keyword inside a literal is not
seen and ``.SERVICE`` is. It is not a parser: the decision to refuse ``SERVICE`` and ``LOAD`` is taken on
a real parse (``kg.web.policy``), with this lexer as a second opinion.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

from kg.errors import QueryError

if TYPE_CHECKING:
    from rdflib.term import Node

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")

_PN_CHARS_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_PN_CHARS = _PN_CHARS_BASE + "_\\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_PN_PREFIX = rf"[{_PN_CHARS_BASE}](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?"
_PN_LOCAL = rf"(?:[{_PN_CHARS_BASE}_:0-9]|{_PLX})(?:[{_PN_CHARS}.:]|{_PLX})*"

# one alternative per terminal; the first that matches at a position wins
_TOKEN = re.compile(
    r"(?P<ws>\s+)"
    r"|(?P<comment>#[^\r\n]*)"
    r'|(?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\r\n]|\\.)*"'
    r"|'(?:[^'\\\r\n]|\\.)*')"
    r"|(?P<iri><[^<>\"{}|^`\\\x00-\x20]*>)"
    r"|(?P<var>[?$][" + _PN_CHARS + r"]+)"
    r"|(?P<pname>(?:" + _PN_PREFIX + r")?:(?:" + _PN_LOCAL + r")?)"
    r"|(?P<blank>_:[" + _PN_CHARS + r".]*)"
    r"|(?P<word>[A-Za-z][A-Za-z0-9_]*)"
    r"|(?P<number>[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?)"
    r"|(?P<punct>.)",
    re.S,
)
_OPEN = frozenset("{([")
_CLOSE = frozenset("})]")
_BRACKET = re.compile(r"[{}()\[\]]")


def unescape(text: str) -> str:
    """``\\uXXXX`` / ``\\UXXXXXXXX`` expanded, as the SPARQL grammar says happens before parsing.

    Oxigraph does not expand them outside strings and IRIs, but an engine that does would read
    ``\\u0053ERVICE`` as ``SERVICE``: anything that refuses a keyword looks at the expanded text."""

    def one(m: re.Match[str]) -> str:
        try:
            return chr(int(m.group(1) or m.group(2), 16))
        except (ValueError, OverflowError):
            return ""

    return _ESCAPE.sub(one, text)


def has_escapes(text: str) -> bool:
    """Whether the text holds a codepoint escape (``\\uXXXX`` or ``\\UXXXXXXXX``) anywhere."""
    return _ESCAPE.search(text) is not None


def tokens(text: str) -> Iterator[tuple[str, int, int]]:
    """(kind, start, end) of every token; kinds are the group names of ``_TOKEN``."""
    for m in _TOKEN.finditer(text):
        yield m.lastgroup or "punct", m.start(), m.end()


@lru_cache(maxsize=1024)
def code_only(text: str) -> str:
    """The text with strings, IRIs and comments blanked to spaces, positions kept (no escapes expanded)."""
    out = []
    for kind, start, end in tokens(text):
        out.append(" " * (end - start) if kind in ("string", "iri", "comment") else text[start:end])
    return "".join(out)


@lru_cache(maxsize=1024)
def keywords(text: str) -> frozenset[str]:
    """The upper-cased bare words of the query (keywords and the ``a`` of triples), escapes expanded."""
    text = unescape(text)
    return frozenset(text[s:e].upper() for kind, s, e in tokens(text) if kind == "word")


def has_keyword(text: str, word: str) -> bool:
    """Whether ``word`` occurs as a keyword (not in a string, IRI, comment, prefixed name or variable)."""
    return word.upper() in keywords(text)


def keyword_span(text: str, word: str, start: int = 0) -> tuple[int, int] | None:
    """Where the keyword ``word`` (a regular expression over one bare word) first occurs from ``start``."""
    pattern = re.compile(rf"(?:{word})\Z", re.I)
    for kind, s, e in tokens(text):
        if s >= start and kind == "word" and pattern.match(text, s, e):
            return s, e
    return None


def nesting(text: str) -> tuple[int, int]:
    """(depth of groups and brackets in the code, depth counting every bracket character).

    The first is the depth a reader sees; the second also counts brackets inside strings, IRIs and
    comments, so a text on which this lexer and a parser disagree (where a string starts, say) cannot
    hide its nesting from the limit: that count is checked against a higher bound."""
    code = code_max = 0
    for kind, s, _e in tokens(text):
        if kind == "punct":
            ch = text[s]
            if ch in _OPEN:
                code += 1
                code_max = max(code_max, code)
            elif ch in _CLOSE:
                code = max(0, code - 1)
    raw = raw_max = 0
    for m in _BRACKET.finditer(text):
        if m.group() in _OPEN:
            raw += 1
            raw_max = max(raw_max, raw)
        else:
            raw = max(0, raw - 1)
    return code_max, raw_max


# What makes Oxigraph's algebra deeper without any bracket: each operator of an expression or a property path
# (``1+1+…``, ``!!!…``, ``<a>|<b>|…``) and each BIND, MINUS, OPTIONAL or UNION in a row nests the tree one level,
# and the engine walks it recursively. Measured in a query worker (crash when the worker's stack runs out):
# about 6,500 ``+`` or UNIONs, 9,000 ``!``, 10,000 ``|``, 2,500 BINDs or MINUSes; hence the weights.
_CHAIN_PUNCT = frozenset("+-*/|&!=<>")
_CHAIN_WORDS = {"BIND": 3, "MINUS": 3, "OPTIONAL": 3, "UNION": 1}


def chain_length(text: str) -> int:
    """The weighted count of operators and chained patterns in the code (outside strings, IRIs, comments):
    a bound on how deep the engine's tree of the text can grow without brackets."""
    n = 0
    for kind, s, e in tokens(text):
        if kind == "punct" and text[s] in _CHAIN_PUNCT:
            n += 1
        elif kind == "word":
            n += _CHAIN_WORDS.get(text[s:e].upper(), 0)
    return n


class TooComplex(QueryError):
    """A query or update over the length, nesting or chaining limit, refused before any parser sees it (400)."""


def check_size(text: str, what: str, max_chars: int, max_depth: int, max_chain: int = 2000) -> None:
    """Raise TooComplex if ``text`` is longer than ``max_chars``, nests deeper than ``max_depth``
    (groups, brackets and parentheses outside strings, IRIs and comments; ``4 × max_depth`` counting
    every bracket character) or chains more than ``max_chain`` operators and patterns (``chain_length``:
    a 14 KB ``1+1+…`` or 2,500 BINDs overflow the engine's stack with no nesting at all)."""
    if len(text) > max_chars:
        raise TooComplex(f"the {what} is {len(text):,} characters long; the limit is {max_chars:,}")
    chain = chain_length(text)
    if chain > max_chain:
        raise TooComplex(
            f"the {what} chains {chain:,} operators and patterns (each operator, path step, BIND, MINUS, OPTIONAL "
            f"or UNION counts; BIND, MINUS and OPTIONAL three times); the limit is {max_chain:,}: split it, or "
            "use VALUES or IN (…) for long lists"
        )
    code, raw = nesting(text)
    if code > max_depth or raw > 4 * max_depth:
        raise TooComplex(
            f"the {what} nests {max(code, raw // 4)} levels deep (groups, brackets, parentheses); the limit is "
            f"{max_depth}"
        )


def with_using(update: str, default_graphs: list[str], named_graphs: list[str]) -> str:
    """The update with the protocol's ``using-graph-uri`` / ``using-named-graph-uri`` written in as ``USING`` /
    ``USING NAMED`` before the ``WHERE`` of each ``DELETE``/``INSERT … WHERE`` operation (Oxigraph's API
    takes no dataset for updates, so the text carries it, as the SPARQL 1.1 Protocol defines them to mean).

    The protocol forbids the parameters beside ``USING``, ``USING NAMED`` or ``WITH`` in the update: that
    is a QueryError (400). ``DELETE WHERE { … }`` (the short form) cannot take ``USING`` and is left as it is.
    The IRIs are checked by the caller."""
    if not default_graphs and not named_graphs:
        return update
    if has_keyword(update, "USING") or has_keyword(update, "WITH"):
        raise QueryError("using-graph-uri / using-named-graph-uri cannot be given with an update that has "
                         "USING, USING NAMED or WITH (SPARQL 1.1 Protocol)")
    clause = " ".join([f"USING <{g}>" for g in default_graphs] + [f"USING NAMED <{g}>" for g in named_graphs])
    out: list[str] = []
    depth, done, previous = 0, 0, ""  # previous: the last token that is not space or comment, upper-cased
    for kind, s, e in tokens(update):
        if kind in ("ws", "comment"):
            continue
        text = update[s:e].upper()
        if kind == "punct" and text in _OPEN:
            depth += 1
        elif kind == "punct" and text in _CLOSE:
            depth = max(0, depth - 1)
        elif kind == "word" and depth == 0 and text == "WHERE" and previous != "DELETE":
            out.append(update[done:s] + clause + " ")
            done = s
        previous = text if kind == "word" else ""
    out.append(update[done:])
    return "".join(out)


def _significant(text: str) -> list[tuple[str, int, int, int]]:
    """(kind, start, end, brace depth before the token) of every token but space and comments."""
    out: list[tuple[str, int, int, int]] = []
    depth = 0
    for kind, s, e in tokens(text):
        if kind in ("ws", "comment"):
            continue
        out.append((kind, s, e, depth))
        if kind == "punct" and text[s] == "{":
            depth += 1
        elif kind == "punct" and text[s] == "}":
            depth = max(0, depth - 1)
    return out


def first_operation(update: str) -> str:
    """The text of an update's first operation, its prologue (``PREFIX``, ``BASE``) included: up to the
    first ``;`` outside every group."""
    for kind, s, _e, depth in _significant(update):
        if kind == "punct" and update[s] == ";" and depth == 0:
            return update[:s]
    return update


def prologue_end(operation: str) -> int:
    """Where an operation's prologue (its ``PREFIX`` and ``BASE`` declarations) ends."""
    toks = _significant(operation)
    i = 0
    while i < len(toks):
        word = operation[toks[i][1] : toks[i][2]].upper() if toks[i][0] == "word" else ""
        if word == "PREFIX":
            i += 3
        elif word == "BASE":
            i += 2
        else:
            return toks[i][1]
    return len(operation)


def where_group(operation: str) -> str | None:
    """The group after an operation's ``WHERE`` (``DELETE WHERE { … }`` or ``… WHERE { … }``), braces
    included; None if there is none."""
    toks = _significant(operation)
    for i, (kind, s, e, depth) in enumerate(toks):
        if kind == "word" and depth == 0 and operation[s:e].upper() == "WHERE":
            if i + 1 >= len(toks) or operation[toks[i + 1][1]] != "{":
                return None
            start = toks[i + 1][1]
            for kind2, s2, _e2, depth2 in toks[i + 2 :]:
                if kind2 == "punct" and operation[s2] == "}" and depth2 == 1:
                    return operation[start : s2 + 1]
            return None
    return None


_DUMMY_TRIPLE = "<urn:x-kg:s> <urn:x-kg:p> <urn:x-kg:o>"


def data_skeleton(update: str) -> str:
    """The update with the body of every ``INSERT DATA`` / ``DELETE DATA`` block reduced to its graph
    names (``GRAPH g { one placeholder triple }``): what a parser needs to tell which graphs the update
    writes, without parsing the data itself (rdflib's parser takes minutes over a few thousand triples).
    Everything else is kept as it is."""
    toks = _significant(update)
    out: list[str] = []
    done = 0
    i = 0
    while i < len(toks):
        kind, s, e, depth = toks[i]
        if (kind == "word" and depth == 0 and update[s:e].upper() == "DATA" and i > 0
                and update[toks[i - 1][1] : toks[i - 1][2]].upper() in ("INSERT", "DELETE")
                and i + 1 < len(toks) and update[toks[i + 1][1]] == "{"):
            j = i + 2
            kept: list[str] = []
            while j < len(toks) and not (update[toks[j][1]] == "}" and toks[j][3] == 1):
                kind2, s2, e2, depth2 = toks[j]
                if kind2 == "word" and depth2 == 1 and update[s2:e2].upper() == "GRAPH" and j + 1 < len(toks):
                    name = update[toks[j + 1][1] : toks[j + 1][2]]
                    kept.append(f"GRAPH {name} {{ {_DUMMY_TRIPLE} }}")
                j += 1
            if j >= len(toks):
                return update  # unbalanced: left to the parser to refuse
            out.append(update[done : toks[i + 1][2]] + " " + " ".join(kept) + " ")
            done = toks[j][1]
            i = j
        i += 1
    out.append(update[done:])
    return "".join(out)


def values(var: str, terms: Iterable[Node]) -> str:
    """``VALUES ?var { … }`` binding ``var`` to ``terms`` (rdflib terms, written as N3): the one way a batch of
    IRIs or names is bound into a query text (index lookups on the bound terms, one query per batch)."""
    return f"VALUES ?{var} {{ " + " ".join(t.n3() for t in terms) + " }"
