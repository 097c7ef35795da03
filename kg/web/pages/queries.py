"""SPARQL texts of the pages (``kg/queries/pages/*.rq``) and running them with bound values.

A query file refers to the values it needs as ``$name`` variables (valid SPARQL on its own, so the
file runs with ``kg query @FILE`` too). :func:`bind` replaces each bound ``$name`` with the term's
N-Triples form; IRIs are checked, literals escaped by rdflib, so nothing from a URL can change the
query's shape.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache

from rdflib import Literal, URIRef
from rdflib.term import Node

from kg.resources import data_path
from kg.store.base import Store
from kg.web.pages.cache import cached_rows

QUERY_DIR = data_path("queries", "pages")
EXAMPLE_DIR = QUERY_DIR / "examples"
README_EXAMPLES = ("chairs", "co_participants", "money_per_org")  # the README's questions, in kg/queries/
_VAR = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')

Row = dict[str, Node | None]
Value = Node | str | int | Sequence[Node]


@cache
def load(name: str) -> str:
    """The text of ``kg/queries/pages/NAME.rq`` (read once per process)."""
    return (QUERY_DIR / f"{name}.rq").read_text(encoding="utf-8")


def term(value: Node | str | int) -> str:
    """One value as SPARQL text: an IRI (checked), a literal (escaped) or an integer."""
    if isinstance(value, URIRef):
        if _BAD_IRI.search(str(value)):
            raise ValueError(f"not a usable IRI: {value!r}")
        return f"<{value}>"
    if isinstance(value, bool):
        raise TypeError("booleans are not bound")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and not isinstance(value, Literal):
        return Literal(value).n3()
    if isinstance(value, Literal):
        return value.n3()
    raise TypeError(f"cannot bind {value!r}")


def bind(text: str, values: dict[str, Value]) -> str:
    """``text`` with every ``$name`` in ``values`` replaced (lists become space-separated terms)."""

    def sub(m: re.Match[str]) -> str:
        name = m.group(1)
        if name not in values:
            return m.group(0)
        v = values[name]
        if isinstance(v, (list, tuple)):
            return " ".join(term(x) for x in v)
        return term(v)  # type: ignore[arg-type]

    return _VAR.sub(sub, text)


def run(store: Store, name: str, limit: int | None = None, offset: int = 0, keep: bool = True,
        quick: bool = False, **values: Value) -> list[Row]:
    """Rows of the page query ``name`` with ``values`` bound; ``limit`` appends LIMIT/OFFSET. Slow answers
    are kept until the store is written (``kg.web.pages.cache``) unless ``keep`` is false (the caller
    keeps them in another form); ``quick`` keeps fast ones too (small answers a page asks on every view)."""
    text = bind(load(name), values)
    if limit is not None:
        text += f"\nLIMIT {int(limit)} OFFSET {max(0, int(offset))}\n"
    return _rows(store, text, keep, quick)


def run_each(store: Store, name: str, key: str, items: Sequence[Node], quick: bool = False,
             **values: Value) -> list[Row]:
    """Rows of the page query ``name`` asked for each of ``items`` in one request: the file's WHERE group
    once per item, with ``$key`` bound to it, joined by UNION. For what SPARQL 1.1 cannot say per row of
    a VALUES block (a LIMIT per item), without a request per item. The file is a plain query for one
    item (it runs alone with ``kg query``): its WHERE group is everything from ``WHERE {`` to the last ``}``."""
    if not items:
        return []
    text = load(name)
    start, end = text.index("WHERE {"), text.rindex("}")
    group = text[start + len("WHERE {"):end]
    branches = "\n  UNION\n".join("  {" + bind(group, {**values, key: item}) + "}" for item in items)
    return _rows(store, f"{text[:start]}WHERE {{\n{branches}\n}}\n", True, quick)


def _rows(store: Store, text: str, keep: bool, quick: bool) -> list[Row]:
    """The rows of ``text``, kept until the store is written if slow (``kg.web.pages.cache``; ``quick``:
    whatever they took) unless ``keep`` is false."""
    if not keep:
        return list(store.query(text).rows())
    return cached_rows(store, text, lambda: list(store.query(text).rows()), quick)


@cache
def examples() -> list[tuple[str, str, str]]:
    """The example queries: (file stem, first comment line as a title, text): the README's three, then
    ``kg/queries/pages/examples/*.rq`` in file order."""
    out = []
    readme = [QUERY_DIR.parent / f"{stem}.rq" for stem in README_EXAMPLES]
    for path in [p for p in readme if p.exists()] + sorted(EXAMPLE_DIR.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        out.append((path.stem, title_of(text) or path.stem, text))
    return out


def title_of(text: str) -> str:
    """The first sentence of a query file's leading comment (without a trailing ``Run: …`` hint), after
    the Chinese title of a ``# zh: …`` first line where the file has one: "谁主持了哪些会议 · Who chaired…"."""
    lines = []
    zh = ""
    for ln in text.splitlines():
        if not ln.startswith("#"):
            break
        line = ln.lstrip("#").strip()
        if not lines and not zh and line.startswith("zh:"):
            zh = line[3:].strip()
            continue
        lines.append(line)
    en = _first_sentence(lines)
    return f"{zh} · {en}" if zh and en else zh or en


def _first_sentence(lines: list[str]) -> str:
    joined = " ".join(x for x in lines if x)
    joined = re.split(r"\s+Run:|(?<=[^.][a-z)。][.。])\s", joined, maxsplit=1)[0].rstrip(" .。")
    if len(joined) > 110:  # long comments: up to the last clause that fits
        cut = max(joined.rfind(c, 0, 110) for c in ":,;(")
        joined = joined[: cut if cut > 40 else 110].rstrip(" ,;:(") + " …"
    return joined


def values_of(rows: Iterable[Row], key: str) -> list[Node]:
    """The distinct non-empty values of one column, in order."""
    return list(dict.fromkeys(r[key] for r in rows if r.get(key) is not None))  # type: ignore[misc]
