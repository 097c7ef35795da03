"""Hostile input for the reader: whatever the text, a correct result or a clear InputError."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.errors import InputError
from kg.read import read_page, read_source
from kg.read.page import UNWRITABLE
from kg.read.source import decode

PIECES = st.sampled_from(
    [
        "#",
        "## ",
        "# 标题",
        "\n",
        "\n\n",
        "\r\n",
        " ",
        "\u3000",
        "(",
        ")",
        "（",
        "）",
        "“",
        "”",
        "本报讯",
        "记者",
        "通讯员",
        "摄",
        "下转第3版",
        "(下转第3版)",
        "上接第1版",
        "。",
        ",",
        "、",
        "王",
        "李明",
        "市委书记",
        "出席",
        "作者:",
        "□",
        "\ufeff",
        "\x00",
        "x",
        "1月12日",
        "文/图",
    ]
)
TEXT = st.one_of(st.text(max_size=300), st.lists(PIECES, max_size=60).map("".join))


def check_articles(text: str) -> None:
    try:
        arts = read_page(text)
    except InputError:
        return
    assert arts
    text = text.translate(UNWRITABLE)  # control characters XML cannot hold read as spaces, offsets kept
    for a in arts:
        assert a.headline.strip()
        for seg in a.segments:
            assert (
                a.body[seg.body_start : seg.body_start + seg.length]
                == text[seg.source_start : seg.source_start + seg.length]
            )
        for c in a.credits:
            assert text[c.span.start : c.span.end] == c.name
        for c in a.continuations:
            assert text[c.span.start : c.span.end] == c.text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_any_text_reads_or_fails_clearly(text):
    check_articles(text)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_decode_or_fail_clearly(data):
    try:
        text = decode(data, "x.txt")
    except InputError as exc:
        assert str(exc).startswith("x.txt: ")
        return
    check_articles(text)


def test_one_line_megabyte_paragraph():
    text = "# 标题\n\n" + "会议强调,要抓好落实" * 100_000 + "。\n"
    start = time.perf_counter()
    (art,) = read_page(text)
    assert len(art.body) > 1_000_000
    assert time.perf_counter() - start < 60  # generous: a guard against quadratic reading, not a benchmark


def test_only_headlines():
    with pytest.raises(InputError, match="no recognisable article"):
        read_page("# 一\n## 二\n# 三\n")


def test_unbalanced_brackets_and_quotes():
    arts = read_page("# 标题(未完\n\n本报讯(记者 王某 1月12日,“会议举行。\n\n（下转第\n")
    assert arts[0].headline == "标题(未完"


def test_oversize_file_is_refused(tmp_path):
    big = tmp_path / "big.txt"
    with big.open("wb") as f:
        f.write("# 标题\n\n".encode())
        f.write(("正文。" * 1000 + "\n").encode() * 3000)  # ~9 MB
    with pytest.raises(InputError, match="limit"):
        read_source(big)
