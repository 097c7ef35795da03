"""A built wheel works on its own: users install wheels, not checkouts (issue 19's defect: an installed
newskg served an empty /ontology and ``kg validate`` ended in a traceback, the ontology being outside
the package).

The wheel is built from this checkout and installed without dependencies into a fresh virtual
environment whose only other path is the test environment's site-packages (for the dependencies, so
nothing is downloaded but the build backend). Every command then runs outside the checkout.
"""

from __future__ import annotations

import os
import site
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import httpx
import pytest

from tests.support.seed import SEED
from tests.support.serve_process import kg_serve

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the wheel of this checkout in it; returns its bin folder."""
    tmp = tmp_path_factory.mktemp("wheel")
    dist = tmp / "dist"
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(ROOT)],
                           capture_output=True, text=True, timeout=600)
    assert build.returncode == 0, build.stderr[-2000:]
    wheel = next(dist.glob("newskg-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for needed in ("kg/ontology/newskg.ttl", "kg/ontology/shapes.ttl", "kg/ontology/roles.ttl",
                   "kg/web/templates/pages/person.html", "kg/queries/chairs.rq"):
        assert needed in names, f"{needed} is not in the wheel"
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    purelib = Path(subprocess.run([str(venv / "bin" / "python"), "-c",
                                   "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                  capture_output=True, text=True, check=True).stdout.strip())
    inst = subprocess.run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install",
                           "--no-deps", "-q", str(wheel)], capture_output=True, text=True, timeout=300)
    assert inst.returncode == 0, inst.stderr[-2000:]
    # the dependencies from this environment; its .pth files (the editable checkout) are not read from here
    deps = [p for p in {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"],
                        *site.getsitepackages()} if Path(p).is_dir()]
    (purelib / "zz_test_dependencies.pth").write_text("\n".join(deps) + "\n", encoding="utf-8")
    return venv / "bin"


def run(bin_dir: Path, *args: str, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "KG_STORE")}
    return subprocess.run([str(bin_dir / "kg"), *args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, env=env)


def test_the_installed_package_is_not_the_checkout(installed: Path, tmp_path: Path) -> None:
    out = subprocess.run([str(installed / "python"), "-c", "import kg, kg.resources as r; print(kg.__file__); "
                          "print(r.ONTOLOGY_DIR)"], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert str(ROOT) not in out.stdout, out.stdout


def test_ingest_validate_and_serve_from_the_wheel(installed: Path, tmp_path: Path) -> None:
    ingest = run(installed, "ingest", "--store", "store", str(SEED), cwd=tmp_path)
    assert ingest.returncode == 0, ingest.stderr
    assert "6 article(s)" in ingest.stderr
    validate = run(installed, "validate", "--store", "store", cwd=tmp_path)
    assert validate.returncode == 0, validate.stdout + validate.stderr
    assert "Traceback" not in validate.stderr
    with __import__("socket").socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "KG_STORE")}
    command = [str(installed / "kg"), "serve", "--store", "store", "--port", str(port), "--query-workers", "1"]
    with kg_serve(command, port, tmp_path, env) as srv:
        r = httpx.get(srv.url + "/ontology", headers={"Accept": "text/turtle"}, timeout=10)
        assert r.status_code == 200 and "Chair" in r.text  # the ontology is served, not empty
        page = httpx.get(srv.url + "/", timeout=30)
        assert page.status_code == 200 and "newskg" in page.text
        q = httpx.get(srv.url + "/sparql", params={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"},
                      headers={"Accept": "text/csv"}, timeout=30)
        assert q.status_code == 200 and int(q.text.split()[1]) > 1000
    assert "Traceback" not in srv.stderr, srv.stderr[-2000:]
