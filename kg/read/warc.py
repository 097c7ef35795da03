"""Web archives (WARC, ``.warc`` or ``.warc.gz``): each HTML response is an article page.

Why warcio: it is the maintained reader of the format (gzip members, chunked and compressed HTTP bodies).
A response that is not HTML, not a success or gives no article is reported as ``FILE#N: why`` (N: the
record's number in the file) and the others are read, as for a crawler dump.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.errors import InputError

MAX_RESPONSE_BYTES = 8 * 1024 * 1024  # as for one page file


@dataclass
class Response:
    number: int  # the record's position in the file, 1-based
    url: str  # WARC-Target-URI
    data: bytes
    charset: str | None  # from the HTTP Content-Type header


def responses(path: Path) -> Iterator[Response | InputError]:
    """The file's HTML responses; other responses come as an InputError, requests and metadata are skipped."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    name = str(path)
    with open(path, "rb") as f:
        head = f.read(5)
    if head != b"WARC/" and not head.startswith(b"\x1f\x8b"):
        raise InputError(f"{name}: not a WARC file (it does not start with WARC/ or a gzip member)")
    n = 0
    try:
        with open(path, "rb") as f:
            for rec in ArchiveIterator(f):
                if rec.rec_type not in ("response", "resource"):
                    continue
                n += 1
                where = f"{name}#{n}"
                url = rec.rec_headers.get_header("WARC-Target-URI") or ""
                ctype = ""
                if rec.http_headers is not None:
                    status = rec.http_headers.get_statuscode() or ""
                    if not status.startswith("2"):
                        yield InputError(f"{where}: HTTP status {status} for {url}")
                        continue
                    ctype = rec.http_headers.get_header("Content-Type") or ""
                else:
                    ctype = rec.rec_headers.get_header("Content-Type") or ""
                if "html" not in ctype.lower():
                    yield InputError(f"{where}: not an HTML response ({ctype or 'no content type'}) for {url}")
                    continue
                data = rec.content_stream().read(MAX_RESPONSE_BYTES + 1)
                if len(data) > MAX_RESPONSE_BYTES:
                    yield InputError(f"{where}: response larger than {MAX_RESPONSE_BYTES} bytes")
                    continue
                charset = None
                if "charset=" in ctype.lower():
                    charset = ctype.lower().split("charset=", 1)[1].split(";")[0].strip(" \"'") or None
                yield Response(n, url, data, charset)
    except ArchiveLoadFailed as exc:
        raise InputError(f"{name}: not a WARC file ({str(exc).splitlines()[0]})") from None
    except (OSError, EOFError, ValueError) as exc:  # a truncated archive: what was read so far is kept
        yield InputError(f"{name}#{n + 1}: the archive ends in a broken record ({exc})")
