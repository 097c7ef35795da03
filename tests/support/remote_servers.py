"""Real SPARQL servers for the remote-store tests: started on a free loopback port, stopped afterwards.

Oxigraph server comes from the pip package ``oxigraph`` (the ``test`` extra). Fuseki is used only when a
``fuseki-server`` is on PATH or in ``$FUSEKI_HOME`` (Debian packages only the Jena libraries, not Fuseki).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

from kg.store.remote import RemoteConfig


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def find_oxigraph() -> str | None:
    """The ``oxigraph`` CLI: beside the running interpreter (a venv not on PATH), else on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.exists():
        return str(beside)
    return shutil.which("oxigraph")


def find_fuseki() -> str | None:
    home = os.environ.get("FUSEKI_HOME")
    if home and (Path(home) / "fuseki-server").exists():
        return str(Path(home) / "fuseki-server")
    return shutil.which("fuseki-server")


FUSEKI_CONFIG = """\
PREFIX fuseki: <http://jena.apache.org/fuseki#>
PREFIX rdf:    <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX tdb2:   <http://jena.apache.org/2016/tdb#>
PREFIX ja:     <http://jena.hpl.hp.com/2005/11/Assembler#>

<#service> rdf:type fuseki:Service ;
    fuseki:name "ds" ;
    fuseki:endpoint [ fuseki:operation fuseki:query ; fuseki:name "query" ] ;
    fuseki:endpoint [ fuseki:operation fuseki:update ; fuseki:name "update" ] ;
    fuseki:endpoint [ fuseki:operation fuseki:gsp-rw ; fuseki:name "data" ] ;
    fuseki:endpoint [ fuseki:operation fuseki:gsp-r ] ;
    fuseki:dataset <#dataset> .

# the default graph of queries is the union of the article graphs, as in newskg's embedded store
<#dataset> rdf:type tdb2:DatasetTDB2 ;
    tdb2:location "{location}" ;
    tdb2:unionDefaultGraph true .
"""


@dataclass
class Server:
    """One running server process and the RemoteConfig that reaches it."""

    kind: str
    url: str
    config: RemoteConfig
    proc: subprocess.Popen
    log: Path

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)

    def clear(self) -> None:
        r = httpx.post(self.config.update, content=b"DROP ALL", headers={"Content-Type": "application/sparql-update"})
        r.raise_for_status()


class ServerExited(RuntimeError):
    """The server process ended during start-up (its port may have been taken since it was chosen)."""


def _wait_ready(server: Server, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            raise ServerExited(f"{server.kind} exited: {server.log.read_text(errors='replace')[-2000:]}")
        try:
            r = httpx.post(
                server.config.query,
                data={"query": "ASK {}"},
                headers={"Accept": "application/sparql-results+json"},
                timeout=2,
            )
            if r.status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    server.stop()
    raise RuntimeError(f"{server.kind} did not answer within {timeout}s: {server.log.read_text(errors='replace')}")


def _started(start: Callable[[Path], Server], folder: Path, tries: int = 3) -> Server:
    """``start`` again on a new port if the server exits during start-up.

    Why: the port is found free and then bound by the server process a moment later; on a machine shared
    by several test runs another process can take it in between, and the server exits (address in use).
    """
    for attempt in range(tries):
        try:
            return start(folder)
        except ServerExited:
            if attempt == tries - 1:
                raise
    raise AssertionError("unreachable")


def start_oxigraph(folder: Path) -> Server:
    return _started(_start_oxigraph, folder)


def start_fuseki(folder: Path) -> Server:
    return _started(_start_fuseki, folder)


def _start_oxigraph(folder: Path) -> Server:
    exe = find_oxigraph()
    if exe is None:
        raise FileNotFoundError("oxigraph")
    port = free_port()
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / "server.log"
    with open(log, "wb") as out:  # the child keeps its own descriptor
        proc = subprocess.Popen(
            [exe, "serve", "--location", str(folder / "db"), "--bind", f"127.0.0.1:{port}"],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    server = Server("oxigraph", url, RemoteConfig.from_url(url, backoff=0.05), proc, log)
    _wait_ready(server, 90)
    return server


def _start_fuseki(folder: Path) -> Server:
    exe = find_fuseki()
    if exe is None:
        raise FileNotFoundError("fuseki-server")
    port = free_port()
    folder.mkdir(parents=True, exist_ok=True)
    cfg = folder / "config.ttl"
    cfg.write_text(FUSEKI_CONFIG.replace("{location}", str(folder / "tdb2")), encoding="utf-8")
    log = folder / "server.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [exe, "--localhost", f"--port={port}", f"--config={cfg}"],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=dict(os.environ, FUSEKI_BASE=str(folder / "run")),
        )
    url = f"http://127.0.0.1:{port}/ds"
    server = Server("fuseki", url, RemoteConfig.from_url(url, backoff=0.05), proc, log)
    _wait_ready(server, 90)
    return server


STARTERS = {"oxigraph": start_oxigraph, "fuseki": start_fuseki}
