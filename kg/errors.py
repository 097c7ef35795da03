"""Errors a user can act on: the CLI prints them as one line on stderr and exits non-zero."""


class KgError(Exception):
    """A problem with the user's input, options or store, stated so they can fix it."""


class InputError(KgError):
    """A page file that cannot be read into articles."""


class StoreError(KgError):
    """The store cannot be opened or written."""


class QueryError(KgError):
    """A SPARQL query the engine rejects (the parser's message is kept)."""
