"""Streaming a writer that wants a file (``store.export(fmt, out)``, ``result.serialize``) to HTTP.

The job runs on its own thread and writes into a bounded queue in chunks, so a dump is never built in
memory and a slow client slows the writer down (backpressure). It runs query *and* serialisation on
that one thread on purpose: pyoxigraph's result iterators are bound to the thread that created them
(using one from another thread aborts the process). The job first ``announce``s what it is about to
write (e.g. the format it chose once it knew the query's kind); anything it raises before that is
re-raised by :func:`start` so the route can still answer with a proper status code. A failure after
the first byte aborts the connection rather than ending a truncated body as if it were whole.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
import traceback
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)

CHUNK = 64 * 1024
DEPTH = 16  # chunks in flight: at most ~1 MiB buffered per response
STALL = 300.0  # seconds a writer waits for a reader that never comes (a response that was never sent)


class Cancelled(Exception):
    """The client went away; the job stops at its next write."""


@dataclass
class _Announce:
    meta: Any


@dataclass
class _Failed:
    exc: BaseException


_END = object()


class Sink:
    """The file-like object a job writes to (``write``/``flush``), plus ``announce``."""

    def __init__(self, q: queue.Queue, cancelled: threading.Event, notify: Callable[[], None] = lambda: None) -> None:
        self._q = q
        self._cancelled = cancelled
        self._notify = notify
        self._buf = bytearray()
        self.announced = False

    def _put(self, item: object) -> None:
        waited = 0.0
        while True:
            if self._cancelled.is_set() or waited > STALL:
                raise Cancelled()
            try:
                self._q.put(item, timeout=0.2)
                self._notify()
                return
            except queue.Full:
                waited += 0.2

    def announce(self, meta: Any = None) -> None:
        self.announced = True
        self._put(_Announce(meta))

    def write(self, data: bytes) -> int:  # the BinaryIO subset serialisers use
        if not self.announced:
            self.announce(None)
        self._buf += data
        if len(self._buf) >= CHUNK:
            self.flush()
        return len(data)

    def flush(self) -> None:
        if self._buf:
            chunk = bytes(self._buf)
            self._buf.clear()
            self._put(chunk)

    def writable(self) -> bool:
        return True


class FirstByteTimeout(Exception):
    """The job announced nothing within ``first_timeout`` seconds (it keeps running until it notices)."""


async def start(
    job: Callable[[Sink], None], first_timeout: float | None = None
) -> tuple[Any, AsyncIterator[bytes]]:
    """Run ``job`` on a thread; return what it announced and an iterator over the bytes it writes.

    The event loop side never blocks a thread waiting: the writer wakes it through the loop
    (``call_soon_threadsafe``), so many slow streams do not use up the threadpool.
    """
    loop = asyncio.get_running_loop()
    ready = asyncio.Event()
    q: queue.Queue = queue.Queue(maxsize=DEPTH)
    cancelled = threading.Event()

    def notify() -> None:
        try:
            loop.call_soon_threadsafe(ready.set)
        except RuntimeError:  # the loop is closed: the server is gone
            cancelled.set()

    sink = Sink(q, cancelled, notify)

    def run() -> None:
        try:
            job(sink)
            if not sink.announced:
                sink.announce(None)
            sink.flush()
            sink._put(_END)
        except Cancelled:
            return
        except BaseException as exc:  # handed to the event loop side, which decides the status
            # Drop the job's locals here: they may hold engine objects that must die on this thread.
            traceback.clear_frames(exc.__traceback__)
            exc = exc.with_traceback(None)
            try:
                sink._put(_Failed(exc))
            except Cancelled:
                return

    async def get() -> object:
        while True:
            try:
                return q.get_nowait()
            except queue.Empty:
                pass
            ready.clear()
            try:  # again after clearing, so a put between the two cannot be missed
                return q.get_nowait()
            except queue.Empty:
                pass
            await ready.wait()

    threading.Thread(target=run, name="kg-stream", daemon=True).start()
    try:
        first = await asyncio.wait_for(get(), first_timeout)
    except TimeoutError:
        cancelled.set()
        raise FirstByteTimeout() from None
    except BaseException:  # cancelled (the client left) while the job had not written yet
        cancelled.set()
        raise
    if isinstance(first, _Failed):
        cancelled.set()
        raise first.exc
    assert isinstance(first, _Announce)

    async def body() -> AsyncIterator[bytes]:
        try:
            while True:
                item = await get()
                if item is _END:
                    return
                if isinstance(item, _Failed):
                    log.error("stream failed after the response started: %s", item.exc)
                    raise item.exc
                yield item  # type: ignore[misc]
        finally:
            cancelled.set()

    return first.meta, body()
