"""The ways a visitor's query can be refused or fail under the limits, each with the status it gets.

Kept apart from the machinery that raises them (``kg.web.limits``, ``kg.web.pool``, ``kg.web.worker``)
so the HTTP side (``kg.web.errors``) and the worker processes can name them without importing that
machinery. A worker raises some of these itself and sends the exception back (``kg.web.worker.Failed``).
"""

from __future__ import annotations


class LimitError(Exception):
    """A limit was hit: ``status`` and ``headers`` are what the client gets, with the message."""

    status = 503
    headers: dict[str, str] = {}


class QueryTimeout(LimitError):
    status = 504


class Busy(LimitError):
    status = 503
    headers = {"Retry-After": "5"}


class TooManyFromClient(LimitError):
    status = 429
    headers = {"Retry-After": "1"}


class ResultTooLarge(LimitError):
    status = 422


class WorkerFailed(LimitError):
    status = 503


class QueryFailed(LimitError):
    """The engine failed while evaluating or writing the result (not the client's syntax): 500, no trace."""

    status = 500


class WorkerDied(LimitError):
    """The worker process ended while running the request: 500 unless the cause is known to be the request's
    (``kg.web.pool.QueryPool._death``: its CPU cap 504, a signal such as a stack overflow or the memory cap
    422, the query being too large or complex for a worker)."""

    status = 500

    def __init__(self, message: str, status: int = 500) -> None:
        super().__init__(message)
        self.status = status

    def __reduce__(self) -> tuple:
        return type(self), (str(self), self.status)  # from a worker through its pipe, status included


class ClientGone(LimitError):
    """The client disconnected before its answer (499 in the access log: nobody reads this answer)."""

    status = 499


class NotAcceptable(Exception):
    """No format the client accepts fits the query's kind (known only once the query is parsed)."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        super().__init__(kind)
