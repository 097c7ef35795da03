"""Splitting a line-based export (N-Quads, N-Triples) into files of N lines for bulk loaders.

A writer object rather than a store method, so every backend's streaming ``export`` can feed it
unchanged and nothing is held in memory beyond one partial line.
"""

from __future__ import annotations

from pathlib import Path
from types import TracebackType
from typing import BinaryIO


class ShardWriter:
    """A binary file-like object that starts a new ``part-NNNNN.nq`` every ``size`` lines."""

    def __init__(self, folder: Path, size: int, *, suffix: str = ".nq", prefix: str = "part-") -> None:
        if size < 1:
            raise ValueError("shard size must be at least 1")
        self.folder = folder
        self.size = size
        self.suffix = suffix
        self.prefix = prefix
        self.paths: list[Path] = []
        self.lines = 0  # lines written in total
        self._in_shard = 0
        self._file: BinaryIO | None = None
        self._partial = b""
        folder.mkdir(parents=True, exist_ok=True)

    def _next_file(self) -> BinaryIO:
        if self._file is not None:
            self._file.close()
        path = self.folder / f"{self.prefix}{len(self.paths):05d}{self.suffix}"
        self.paths.append(path)
        self._file = open(path, "wb")  # noqa: SIM115 - closed by the next shard or close()
        self._in_shard = 0
        return self._file

    def writable(self) -> bool:
        return True

    def write(self, data: bytes | bytearray | memoryview) -> int:
        *lines, self._partial = (self._partial + bytes(data)).split(b"\n")
        lines = [ln for ln in lines if ln.strip()]
        while lines:
            if self._file is None or self._in_shard >= self.size:
                self._next_file()
            take = lines[: self.size - self._in_shard]
            del lines[: len(take)]
            self._file.write(b"\n".join(take) + b"\n")  # type: ignore[union-attr]
            self._in_shard += len(take)
            self.lines += len(take)
        return len(data)

    def flush(self) -> None:
        if self._file is not None:
            self._file.flush()

    def close(self) -> None:
        if self._partial.strip():
            self.write(b"\n")  # a last line without its newline
        self._partial = b""
        if self._file is not None:
            self._file.close()
            self._file = None

    def __enter__(self) -> ShardWriter:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
