"""Hostile paths and parameters (issue 13, finding 7): one line saying why, never a traceback, nothing
made where it was not asked for, nothing read without bound."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from kg.web.limits import Limits
from tests.support.seed import SEED
from tests.support.served import TOKEN, Served, served

ROOT = Path(__file__).resolve().parents[2]


def kg(*args: str, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kg.cli", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, "PYTHONPATH": str(ROOT)})


def one_line_error(res: subprocess.CompletedProcess[str], *words: str) -> None:
    assert res.returncode != 0
    assert "Traceback" not in res.stderr, res.stderr
    lines = [ln for ln in res.stderr.splitlines() if ln.startswith("kg: ")]
    assert lines, res.stderr
    for w in words:
        assert w in res.stderr, (w, res.stderr)


def test_devices_are_refused_without_reading(tmp_path: Path) -> None:
    res = kg("ingest", "--store", "s", "/dev/zero", cwd=tmp_path, timeout=60)  # read 23 GB before the fix
    one_line_error(res, "/dev/zero", "not a regular file")


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "page.txt")
    res = kg("ingest", "--store", "s", "page.txt", cwd=tmp_path, timeout=60)  # hung before the fix
    one_line_error(res, "page.txt", "not a regular file")


def test_a_fifo_in_a_folder_is_passed_over_without_blocking(tmp_path: Path) -> None:
    """A folder walk takes regular files only: the FIFO is not opened, the page beside it is stored."""
    pages = tmp_path / "pages"
    pages.mkdir()
    os.mkfifo(pages / "a.txt")
    (pages / "b.txt").write_bytes(SEED.read_bytes())
    res = kg("ingest", "--store", "s", "--jobs", "1", "pages", cwd=tmp_path, timeout=300)
    assert res.returncode == 0 and "Traceback" not in res.stderr, res.stderr
    assert "1 files" in res.stderr and "6 articles" in res.stderr


def test_a_symlink_loop_is_named_as_such(tmp_path: Path) -> None:
    (tmp_path / "a.txt").symlink_to(tmp_path / "b.txt")
    (tmp_path / "b.txt").symlink_to(tmp_path / "a.txt")
    res = kg("ingest", "--store", "s", "a.txt", cwd=tmp_path)
    one_line_error(res, "a loop of symbolic links")


def test_a_file_over_the_limit_is_refused(tmp_path: Path) -> None:
    with open(tmp_path / "big.txt", "wb") as f:
        f.truncate(9 * 1024 * 1024)  # sparse: no disk used
    res = kg("ingest", "--store", "s", "big.txt", cwd=tmp_path)
    one_line_error(res, "byte limit")


@pytest.mark.parametrize("command", [["ingest"], ["stats"], ["query", "ASK {}"], ["export"]])
def test_store_naming_a_file_is_refused(tmp_path: Path, command: list[str]) -> None:
    (tmp_path / "notes.txt").write_text("mine\n", encoding="utf-8")
    args = [command[0], "--store", "notes.txt", *command[1:]]
    if command[0] == "ingest":
        args.append(str(SEED))
    res = kg(*args, cwd=tmp_path)
    one_line_error(res, "notes.txt")
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine\n"


def test_store_naming_a_folder_of_other_files_is_refused_and_left_alone(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "page.txt").write_bytes(SEED.read_bytes())
    res = kg("ingest", "--store", "pages", str(SEED), cwd=tmp_path)
    one_line_error(res, "is a folder of other files", "page.txt")
    assert sorted(p.name for p in folder.iterdir()) == ["page.txt"]  # no store made inside it


@pytest.fixture(scope="module")
def rw(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    with served(tmp_path_factory.mktemp("cli-rw") / "store", token=TOKEN,
                limits=Limits(workers=1, query_timeout=10)) as s:
        yield s


@pytest.mark.parametrize("encoding", ["utf-8\x00", "no-such-codec"])
def test_post_ingest_with_a_bad_encoding_is_a_400(rw: Served, encoding: str) -> None:
    r = httpx.post(rw.url + "/ingest", params={"encoding": encoding}, content=SEED.read_bytes(),
                   headers={"Authorization": f"Bearer {TOKEN}"}, timeout=60)
    assert r.status_code == 400, (r.status_code, r.text)
    assert "encoding" in r.text and "Traceback" not in r.text


def test_errors_do_not_show_the_stores_path(rw: Served) -> None:
    """A token holder is not the operator: messages name no folder of the server's."""
    from kg.web.update import public_message

    msg = public_message(OSError(f"{rw.store_dir}/oxigraph/000123.sst: No such file"))
    assert str(rw.store_dir) not in msg and "No such file" in msg
