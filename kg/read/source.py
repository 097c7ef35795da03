"""Decoding a page file and finding its publication metadata, with errors a user can act on."""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import json
import stat
from dataclasses import dataclass
from pathlib import Path

from kg.errors import InputError
from kg.model import Publication

MAX_BYTES = 8 * 1024 * 1024  # a newspaper page is tens of KB; beyond this, split the file


@dataclass(frozen=True)
class Source:
    """A decoded page file: ``text`` is what every offset points into."""

    path: Path
    text: str
    sha256: str
    publication: Publication
    problems: tuple[str, ...] = ()  # records of a dump that gave no article (``FILE#N: why``); the rest is read
    skipped: int = 0  # records of a dump left out because their article is already stored (``--resume``)


def decode(data: bytes, name: str, encoding: str | None = None) -> str:
    """Bytes to text; UTF-8 (a BOM is dropped) unless ``encoding`` says otherwise."""
    if not data.strip():
        raise InputError(f"{name}: empty file")
    if encoding:
        try:
            text = data.decode(encoding)
        except (LookupError, ValueError):
            raise InputError(f"{name}: unknown encoding {encoding!r}") from None
        except UnicodeDecodeError as exc:
            raise InputError(f"{name}: not valid {encoding} at byte {exc.start}") from None
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            raise InputError(
                f"{name}: not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}, line {line}); "
                "if the page is GBK or GB18030, pass --encoding gb18030"
            ) from None
    if "\x00" in text:
        raise InputError(f"{name}: contains NUL characters; this looks like a binary file, not a text page")
    if text.lstrip()[:15].lower().startswith(("<!doctype html", "<html")):
        raise InputError(f"{name}: this is HTML, not a text page; give it a .html name and kg reads it as an HTML page")
    if not text.strip():
        raise InputError(f"{name}: empty file")
    return text


def parse_date(value: str | None, where: str) -> dt.date | None:
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise InputError(f"{where}: date {value!r} is not YYYY-MM-DD") from None


def sidecar_path(path: Path) -> Path:
    """``NAME.meta.json`` beside ``NAME.txt`` (or beside a file with no suffix)."""
    return path.with_name(path.stem + ".meta.json")


def read_publication(
    path: Path, name: str | None = None, date: str | None = None, locality: str | None = None
) -> Publication:
    """Metadata from the sidecar, overridden field by field by options given explicitly."""
    meta: dict = {}
    side = sidecar_path(path)
    if side.exists():
        try:
            meta = json.loads(side.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError) as exc:
            raise InputError(f"{side}: not valid JSON ({exc})") from None
        if not isinstance(meta, dict):
            raise InputError(f"{side}: expected a JSON object with publication, date, locality")
    pub_name = name or meta.get("publication") or meta.get("name")
    pub_date = parse_date(date, "--date") if date else parse_date(meta.get("date"), str(side))
    pub_loc = locality or meta.get("locality")
    return Publication(name=pub_name or None, date=pub_date, locality=pub_loc or None)


def read_page_bytes(path: Path) -> bytes:
    """A page file's bytes: a regular file of at most MAX_BYTES, or one line saying why not. Devices, FIFOs
    and sockets are refused before opening (``/dev/zero`` never ends, a FIFO blocks), and the read itself
    stops past the limit (a file may grow while it is read)."""
    try:
        st = path.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise InputError(f"{path}: a loop of symbolic links") from None
        if exc.errno in (errno.ENOENT, errno.ENOTDIR):
            raise InputError(f"{path}: no such file") from None
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError(f"{path}: is a folder, not a page file")
    if not stat.S_ISREG(st.st_mode):
        raise InputError(f"{path}: not a regular file (a device, FIFO or socket); give a page file")
    if st.st_size > MAX_BYTES:
        raise InputError(
            f"{path}: {st.st_size} bytes is larger than the {MAX_BYTES} byte limit for one page; split it into pages"
        )
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_BYTES + 1)
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    if len(data) > MAX_BYTES:
        raise InputError(f"{path}: larger than the {MAX_BYTES} byte limit for one page; split it into pages")
    return data


def read_source(
    path: str | Path,
    *,
    encoding: str | None = None,
    publication: str | None = None,
    date: str | None = None,
    locality: str | None = None,
) -> Source:
    """Read and decode one page file with its metadata."""
    path = Path(path)
    data = read_page_bytes(path)
    text = decode(data, str(path), encoding)
    pub = read_publication(path, publication, date, locality)
    return Source(path=path, text=text, sha256=hashlib.sha256(data).hexdigest(), publication=pub)
