"""``kg serve`` as users run it: a subprocess, reached with curl; and how it settles the IRI base."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg.config import CONFIG_NAME
from kg.errors import StoreError
from kg.web.serve import serve_base
from tests.support.web import SEED, free_port, ingest_seed

ROOT = Path(__file__).resolve().parents[2]


def wait_for(port: int, proc: subprocess.Popen, timeout: float = 90) -> None:
    import socket

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"kg serve exited: {proc.stderr.read() if proc.stderr else ''}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError("kg serve did not start listening")


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_kg_serve_smoke_with_curl(tmp_path: Path) -> None:
    port = free_port()
    store = tmp_path / "store"
    ingest_seed(store, f"http://127.0.0.1:{port}", SEED)  # the base a user gets by ingesting for this port
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "kg", "serve", "--store", str(store), "--port", str(port)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        wait_for(port, proc)
        q = "SELECT ?p ?name WHERE { ?a kg:photographer ?p . ?p schema:name ?name }"
        out = subprocess.run(
            ["curl", "-sf", "-H", "Accept: text/csv", "--data-urlencode", f"query={q}",
             f"http://127.0.0.1:{port}/sparql"],
            capture_output=True, text=True, timeout=30, check=True,
        ).stdout
        assert out.splitlines()[0] == "p,name" and "梁琛" in out
        photographer = out.splitlines()[1].split(",")[0]  # an IRI minted by kg.rdf.identity
        assert photographer.startswith(f"http://127.0.0.1:{port}/person/liang-chen-")
        ttl = subprocess.run(["curl", "-sf", photographer],
                             capture_output=True, text=True, timeout=30, check=True).stdout
        assert '"梁琛"@zh' in ttl
        missing = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}",
                                  f"http://127.0.0.1:{port}/person/nobody"], capture_output=True, text=True, timeout=30)
        assert missing.stdout == "404"
    finally:
        proc.terminate()
        try:
            _, err = proc.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            _, err = proc.communicate()
    assert f"http://127.0.0.1:{port}/sparql" in err
    assert str(store) in err


def test_serve_uses_the_stores_base(tmp_path: Path) -> None:
    store = tmp_path / "s"
    store.mkdir()
    (store / CONFIG_NAME).write_text(json.dumps({"base": "https://news.example/kg"}))
    assert serve_base(store, "127.0.0.1", 8000, None) == "https://news.example/kg"
    assert serve_base(store, "127.0.0.1", 8000, "https://news.example/kg/") == "https://news.example/kg"
    with pytest.raises(StoreError, match="would make every IRI miss"):
        serve_base(store, "127.0.0.1", 8000, "http://other.example")


def test_serve_without_a_recorded_base_uses_the_listening_address(tmp_path: Path) -> None:
    store = tmp_path / "s"
    store.mkdir()
    assert serve_base(store, "127.0.0.1", 8123, None) == "http://127.0.0.1:8123"
    assert serve_base(store, "127.0.0.1", 8123, "http://proxy.example/") == "http://proxy.example"
    assert not (store / CONFIG_NAME).exists()  # serving never writes the store


def test_serve_refuses_a_conflicting_base_from_the_command_line(tmp_path: Path) -> None:
    store = tmp_path / "store"
    ingest_seed(store, "http://127.0.0.1:8000", SEED)
    r = subprocess.run([sys.executable, "-m", "kg", "serve", "--store", str(store), "--base", "http://x.example"],
                       cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 1 and "would make every IRI miss" in r.stderr
