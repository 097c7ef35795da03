"""Where the package's data lives: the one lookup for ontology, lexicons, queries, templates and static files.

Everything is found through ``importlib.resources`` relative to the installed ``kg`` package, so a
checkout, an editable install and a wheel find the same files. The ontology's source stays at the
repository's top level (``ontology/``, where people look for it); ``kg/ontology`` is a link to it that
a wheel build follows, so installed packages carry it.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def data_path(*parts: str) -> Path:
    """The file system path of a data file or folder inside the ``kg`` package (``data_path("ontology")``)."""
    return Path(str(files("kg").joinpath(*parts)))


ONTOLOGY_DIR = data_path("ontology")
LEXICON_DIR = data_path("lexicons")
QUERY_DIR = data_path("queries")
TEMPLATE_DIR = data_path("web", "templates")
STATIC_DIR = data_path("web", "static")
