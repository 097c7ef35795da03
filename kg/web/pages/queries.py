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
    head, group, _ = _parts(name)
    branches = "\n  UNION\n".join("  {" + bind(group, {**values, key: item}) + "}" for item in items)
    return _rows(store, f"{head}WHERE {{\n{branches}\n}}\n", True, quick)


def _parts(name: str) -> tuple[str, str, str]:
    """A page query file in three: what comes before ``WHERE {``, its WHERE group without the braces (to
    the last ``}``) and what follows it — how run_each and run_union take a file apart."""
    text = load(name)
    start, end = text.index("WHERE {"), text.rindex("}")
    return text[:start], text[start + len("WHERE {"):end], text[end + 1:]


_PREFIX = re.compile(r"^PREFIX\s+(\S*:)\s*<([^>]*)>\s*$", re.MULTILINE | re.IGNORECASE)
_PLAIN_SELECT = re.compile(r"^SELECT((?:\s+\?[A-Za-z_][A-Za-z0-9_]*)+)\s*$", re.MULTILINE)


def run_union(store: Store, parts: Sequence[tuple[str, str, dict[str, Value]]], keep: bool = True,
              quick: bool = False) -> list[list[Row]]:
    """The rows of several page queries ``(name, key, values)``, each with its values bound, asked in
    one request: each file's WHERE group a branch of one UNION; a row is the first part's whose ``key``
    variable it binds, and has that query's variables only. Why: each request costs about 0.1 ms beside
    its evaluation (Oxigraph parses and plans it, the store wrapper runs), as much as a small answer's
    own look-ups; the branches of a UNION are evaluated apart, so each gives the rows it gives alone.
    Why a key, not a constant bound in each branch: a BIND or VALUES there cost 0.05 ms (Oxigraph plans
    the branch otherwise). ``key`` must be bound in every row of its query and named nowhere in the
    other parts; each file a plain query (``kg query`` runs it): a projection of plain variables, a
    WHERE group and nothing after it (no GROUP BY, ORDER BY or LIMIT, which would apply to every
    branch). A file that is not, or a row that binds no key, raises ValueError. A variable one file
    projects and another uses inside is projected from both (its text read for the other's rows too):
    name them apart. ``keep`` and ``quick``: as
    for :func:`run`."""
    head, groups, own = _union(tuple((name, key) for name, key, _ in parts))
    body = "\n  UNION\n".join(f"  {{{bind(g, values)}}}" for g, (_, _, values) in zip(groups, parts, strict=True))
    keys = [key for _, key, _ in parts]
    out: list[list[Row]] = [[] for _ in parts]
    for r in _rows(store, f"{head}WHERE {{\n{body}\n}}\n", keep, quick):
        i = next((i for i, key in enumerate(keys) if r.get(key) is not None), None)
        if i is None:
            raise ValueError(f"a row of run_union binds none of the keys {keys}")
        out[i].append({k: r.get(k) for k in own[i]})  # as the query alone gives it
    return out


@cache
def _union(parts: tuple[tuple[str, str], ...]) -> tuple[str, list[str], list[list[str]]]:
    """run_union's text for the files and keys ``parts``, worked out once: the prefixes and projection,
    each file's WHERE group (unbound) and each file's variables."""
    prefixes: dict[str, str] = {}
    names: list[str] = []
    own: list[list[str]] = []
    groups: list[str] = []
    for name, key in parts:
        head, group, tail = _parts(name)
        select = _PLAIN_SELECT.search(head)
        if select is None or tail.strip():
            raise ValueError(f"{name}.rq: run_union takes a SELECT of plain variables with nothing after WHERE")
        for prefix, iri in _PREFIX.findall(head):
            if prefixes.setdefault(prefix, iri) != iri:
                raise ValueError(f"{name}.rq: prefix {prefix} is another IRI than in the other parts")
        own.append([v[1:] for v in select.group(1).split()])
        if key not in own[-1]:
            raise ValueError(f"{name}.rq: the key ?{key} is not among its variables")
        names += [v for v in select.group(1).split() if v not in names]
        groups.append(group)
    for i, (name, key) in enumerate(parts):
        if any(re.search(rf"[?$]{key}\b", g) for j, g in enumerate(groups) if j != i):
            raise ValueError(f"the key ?{key} of {name}.rq is named in another part")
    head = "".join(f"PREFIX {p} <{iri}>\n" for p, iri in prefixes.items())
    return f"{head}SELECT {' '.join(names)}\n", groups, own


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
