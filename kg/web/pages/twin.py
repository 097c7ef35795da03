"""The data twins of the pages: a page's view model as JSON, and one list of a page as CSV or JSON.

Why: the HTML is rendered from a view model (``kg.web.pages.person.PersonPage`` …); the same object,
serialised, is the page's JSON twin (Datasette's ``.json``), so a script sees exactly what a reader sees
and tests can assert on data instead of markup. One scheme everywhere: ``?_format=json`` (the page) and
``?_format=csv`` or ``?_format=json`` with ``_list=NAME`` (one list of the page, all its rows). The
suffixes ``.json``/``.jsonld`` already name RDF representations of the entity IRIs, hence a parameter.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from decimal import Decimal
from typing import Any

from kg.web.pages import labels as L
from kg.web.pages.common import Link
from kg.web.pages.paging import Paging
from kg.web.pages.text import Highlight, Segment

FORMATS = ("json", "csv")
JSON_TYPE = "application/json"
CSV_TYPE = "text/csv; charset=utf-8"

# A page's lists by name: (the query parameter that pages it or None when it is shown whole, the view
# model's attribute). The names are the ``_list=`` values of the downloads.
LISTS: dict[str, dict[str, tuple[str | None, str]]] = {
    "person": {"summary": ("summary_page", "post_summary"), "posts": ("posts_page", "posts"),
               "timeline": ("page", "timeline"), "articles": ("articles_page", "articles"),
               "grants": ("grants_page", "grants"), "co_participants": (None, "co_participants"),
               "namesakes": (None, "namesakes")},
    "organization": {"posts": (None, "posts"), "events": ("events_page", "events"),
                     "articles": ("page", "articles"), "grants": ("grants_page", "grants")},
    "event": {"participants": (None, "roles"), "articles": ("page", "articles"), "grants": ("grants_page", "grants")},
    "article": {"entities": (None, "entities"), "facts": (None, "facts"), "holdings": (None, "holdings"),
                "amounts": (None, "amounts")},
    "post": {"holders": ("holders_page", "holders")},
    "place": {"events": ("events_page", "events"), "articles": ("page", "articles")},
}
SKIP = {"network", "paragraphs", "mentions_by_kind"}  # drawn or repeated in the page; not data of their own


def jsonable(obj: Any) -> Any:
    """A view model as plain JSON data: dataclasses as objects (a ``Paging`` with its page count and
    rows shown), labels as ``{"zh", "en"}``, highlighted sentences as their text and the marked part."""
    if isinstance(obj, Paging):
        return {"page": obj.page, "pages": obj.pages, "size": obj.size, "total": obj.total,
                "first_row": obj.first_row, "last_row": obj.last_row, "param": obj.param,
                "years": jsonable(obj.years)}
    if isinstance(obj, Highlight):
        return {"sentence": obj.before + obj.mark + obj.after, "mark": obj.mark, "mark_start": len(obj.before)}
    if isinstance(obj, Segment):
        return {"text": obj.text, "ref": obj.ref}
    if isinstance(obj, L.Label):
        return {"zh": obj.zh, "en": obj.en}
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: jsonable(getattr(obj, f.name)) for f in dataclasses.fields(obj) if f.name not in SKIP}
    if isinstance(obj, dict):
        return {str(k): jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [jsonable(v) for v in obj]
    if isinstance(obj, Decimal):
        return str(obj)
    return obj


def dumps(data: Any) -> str:
    return json.dumps(jsonable(data), ensure_ascii=False, indent=1)


def list_items(kind: str, model: Any, name: str) -> list[Any] | None:
    """The items of the list ``name`` of a page's view model (None: the page has no such list)."""
    spec = LISTS.get(kind, {}).get(name)
    if spec is None:
        return None
    items = getattr(model, spec[1])
    if kind == "event" and name == "participants":  # grouped by role on the page: one row per role here
        return [{"role": g.role, **_fields(p)} for g in items for p in g.participants]
    if isinstance(items, dict):
        return list(items.values())
    return list(items)


def _fields(obj: Any) -> dict[str, Any]:
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj) if f.name not in SKIP}
    return dict(obj)


def flat(item: Any) -> dict[str, str]:
    """One list item as CSV cells: a link becomes its text and ``…_iri``; labels ``中文 English``; lists
    joined with ``; ``; a highlighted sentence its text; an excerpt its text with the marks as 【】."""
    out: dict[str, str] = {}
    for key, v in _fields(item).items():
        if isinstance(v, Link):
            out[key], out[f"{key}_iri"] = v.text, v.iri
        elif v is None:
            out[key] = ""
        elif isinstance(v, Highlight):
            out[key] = v.before + v.mark + v.after
        elif _is_runs(v):  # a sentence excerpt with marked words: the marks as 【】
            out[key] = "".join(f"【{t}】" if m else t for t, m in v)
        elif isinstance(v, (list, tuple)):
            out[key] = "; ".join(x.text if isinstance(x, Link) else str(x) for x in v)
        elif dataclasses.is_dataclass(v) and not isinstance(v, type):
            out.update({f"{key}_{k}": c for k, c in flat(v).items()})
        else:
            out[key] = str(v)
    return out


def _is_runs(v: Any) -> bool:
    """Whether ``v`` is a list of (text, marked) runs (``kg.web.pages.text.marks``)."""
    return isinstance(v, list) and bool(v) and all(
        isinstance(x, tuple) and len(x) == 2 and isinstance(x[1], bool) for x in v)


def to_csv(items: list[Any]) -> str:
    """The rows as CSV with a header (the union of the items' columns, in first-seen order)."""
    rows = [flat(i) for i in items]
    cols = list(dict.fromkeys(k for r in rows for k in r))
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=cols, lineterminator="\r\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()
