"""Progress of a long batch on stderr: a redrawn bar on a terminal, plain lines otherwise.

Why both: a person at a terminal wants one live line with the rate and ETA; a log file (cron, CI,
``2> ingest.log``) wants a few complete lines it can grep, not carriage returns.
"""

from __future__ import annotations

import os
import sys
import time
from typing import TextIO

BAR_WIDTH = 24


def fmt_duration(seconds: float) -> str:
    s = max(0, int(seconds + 0.5))
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}"


class Progress:
    """Counts files, bytes, articles and quads; the fraction done and ETA come from bytes."""

    def __init__(
        self,
        total_files: int,
        total_bytes: int,
        stream: TextIO | None = None,
        *,
        tty: bool | None = None,
        interval: float | None = None,
        enabled: bool = True,
    ) -> None:
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty() if tty is None else tty
        if interval is None:
            interval = float(os.environ.get("KG_PROGRESS_INTERVAL", "0.2" if self.tty else "10"))
        self.interval = interval
        self.enabled = enabled
        self.total_files = total_files
        self.total_bytes = max(1, total_bytes)
        self.files = self.bytes = self.articles = self.quads = self.skipped = self.failed = 0
        self.start = time.perf_counter()
        self.last = self.start
        self.drawn = False

    def advance(self, *, nbytes: int, articles: int = 0, quads: int = 0, skipped: bool = False, failed: bool = False):
        self.files += 1
        self.bytes += nbytes
        self.articles += articles
        self.quads += quads
        self.skipped += skipped
        self.failed += failed
        now = time.perf_counter()
        if self.enabled and now - self.last >= self.interval:
            self.last = now
            self.show()

    def rate(self) -> float:
        """Articles per second so far."""
        return self.articles / max(1e-9, time.perf_counter() - self.start)

    def eta(self) -> float | None:
        elapsed = time.perf_counter() - self.start
        if self.bytes < 0.02 * self.total_bytes or elapsed <= 0:  # too early: start-up would dominate
            return None
        return elapsed * (self.total_bytes - self.bytes) / self.bytes

    def text(self) -> str:
        eta = self.eta()
        return (
            f"{self.files}/{self.total_files} files, {self.articles} articles, {self.quads} quads, "
            f"{self.rate():.1f} articles/s, ETA {fmt_duration(eta) if eta is not None else '?'}"
        )

    def show(self) -> None:
        if self.tty:
            done = min(1.0, self.bytes / self.total_bytes)
            filled = int(done * BAR_WIDTH)
            bar = "█" * filled + "░" * (BAR_WIDTH - filled)
            self.stream.write(f"\r\x1b[K{done * 100:3.0f}% {bar} {self.text()}")
            self.drawn = True
        else:
            self.stream.write(f"ingest: {self.text()}\n")
        self.stream.flush()

    def message(self, line: str) -> None:
        """A line (an error, a file done) printed above the bar without breaking it."""
        if self.tty and self.drawn:
            self.stream.write("\r\x1b[K")
        self.stream.write(line + "\n")
        if self.tty and self.drawn:
            self.show()
        self.stream.flush()

    def finish(self) -> None:
        """The final state: on a terminal the bar is completed and ended with a newline."""
        if not self.enabled:
            return
        self.show()
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()
