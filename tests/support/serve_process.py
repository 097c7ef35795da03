"""``kg serve`` as a real process for a test: started, waited for, stopped, its stderr kept."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx


@dataclass
class Running:
    url: str
    proc: subprocess.Popen
    stderr: str = ""

    def alive(self) -> bool:
        return self.proc.poll() is None


@contextmanager
def kg_serve(
    command: list[str], port: int, cwd: Path, env: dict[str, str], start_timeout: float = 90
) -> Iterator[Running]:
    """Run ``command`` (a ``kg serve … --port PORT`` line), wait until it answers ``ASK {}``, yield it;
    on exit stop it (SIGTERM, then SIGKILL after 20 s) and keep its stderr in ``Running.stderr``."""
    proc = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    running = Running(f"http://127.0.0.1:{port}", proc)
    try:
        deadline = time.monotonic() + start_timeout
        while True:
            try:
                if httpx.get(running.url + "/sparql", params={"query": "ASK {}"}, timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert proc.poll() is None and time.monotonic() < deadline, "kg serve did not start"
            time.sleep(0.2)
        yield running
    finally:
        proc.terminate()
        try:
            _, running.stderr = proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            _, running.stderr = proc.communicate()
