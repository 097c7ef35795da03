"""Credits printed around an article: bylines, photo credits, author lines and signatures.

Each finder returns the names with their source offsets and the span of the credit text, so the
reader can drop the credit from the article's body and keep it as data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.lexicons import load_lines
from kg.model import CreditRole

_CJK = "\u4e00-\u9fff"
# a name of 2-6 characters, or one written with middle dots (transliterated minority names:
# 某某某·某某某, up to 20 characters in all)
# 吴 菲: a two-character name padded to three with a space is one name
NAME = rf"(?:[{_CJK}]{{1,8}}·[{_CJK}·]{{1,11}}|[{_CJK}][{_CJK}·]{{1,5}}|[{_CJK}][ \u3000]{{1,2}}[{_CJK}](?![{_CJK}]))"
_SEP = r"(?:\s*[、,，]\s*|\s+)"
NAMES = rf"{NAME}(?:{_SEP}{NAME})*"
ROLE_WORDS = {
    "记者": "reporter",
    "本报记者": "reporter",
    "特约记者": "reporter",
    "见习记者": "reporter",
    "实习记者": "reporter",
    "融媒体记者": "reporter",
    "通讯员": "correspondent",
    "实习生": "correspondent",
    "特约通讯员": "correspondent",
}
# 分站记者, 首席记者, 全媒体记者 …: a reporter however the paper ranks its staff (分站 is no name)
for _rank in ("分站", "驻站", "首席", "全媒体", "融媒", "特派", "驻地", "本台", "本网", "本刊", "总台", "资深"):
    ROLE_WORDS.setdefault(_rank + "记者", "reporter")
    ROLE_WORDS.setdefault("本报" + _rank + "记者", "reporter")
# 本报见习记者 甲, 本报实习生 乙: any credit word may carry the paper's 本报
for _word, _role in list(ROLE_WORDS.items()):
    if not _word.startswith("本报"):
        ROLE_WORDS.setdefault("本报" + _word, _role)
# 新华社记者 甲 on a line of its own (新华社发 is no credit: no name follows)
ROLE_WORDS.setdefault("新华社记者", "reporter")
for _photo in ("摄影记者", "本报摄影记者", "特约摄影记者", "特约摄影", "摄影"):
    ROLE_WORDS.setdefault(_photo, "photographer")  # （特约摄影 某某）
# 记 者 某某: a credit word may be printed with spaces between its characters
_ROLE = "|".join(r"\s?".join(map(re.escape, w)) for w in sorted(ROLE_WORDS, key=len, reverse=True))
# editors and reviewers printed among the credits are not credits (../shared/eval/dev/README.md)
# nor are a video's crew (摄像, 剪辑, 制作, 统筹, 配音, 出镜): not the writers, and 摄像 is no name
_NOT_CREDIT = (r"(?:责任编辑|编辑|责编|编审|校对|审核|初审|复审|终审|审校|监制|值班主任"
               r"|摄像|剪辑|后期|制作|统筹|配音|出镜)")
# 文/图, 文/, 图/, 摄影/: what the names after it did (图/ and 摄影/ are photographers)
# 文字/ and 图片/ (or with a colon, on lines of their own) are 文/ and 图/ written out
# 撰文： is 文/; 文|甲 and 记者|甲 write the mark with a bar
_MARK = (r"(?:文\s*[/／]\s*图|图\s*[/／]\s*文|文\s*[/／|｜]|图\s*[/／|｜]|摄影\s*[/／:：|｜]|文字\s*[/／:：|｜]"
         r"|图片\s*[/／:：|｜]|撰文\s*[/／:：|｜]|撰稿\s*[/／:：|｜])")
_TAIL = r"(?:\s*(?:文/图|文／图|图/文|摄影|摄|报道|采写|整理))*"


@dataclass(frozen=True)
class FoundName:
    name: str
    role: CreditRole
    start: int  # offsets into the string searched
    end: int


@dataclass(frozen=True)
class FoundCredit:
    names: list[FoundName]
    start: int  # the whole credit text, to be removed from the body
    end: int


def _surnames() -> tuple[frozenset[str], frozenset[str]]:
    words = load_lines("surnames.txt")
    return frozenset(w for w in words if len(w) == 1), frozenset(w for w in words if len(w) == 2)


def looks_like_name(text: str) -> bool:
    """A 2–4 character Chinese name with a known surname (longer with a ·, for minority names)."""
    single, double = _surnames()
    if "·" in text:
        return 3 <= len(text) <= 12
    if not 2 <= len(text) <= 4:
        return False
    return text[:2] in double or text[0] in single


def is_unit(text: str, glued: bool = False) -> bool:
    """A paper or a body printed in a byline (某某晚报, 某县教育局): a name ending in a unit word.

    A one-character unit word (社, 台, 网, 局 …) ends some people's names too (甲建社, 乙金台), so it
    marks a unit only in 4+ characters, or in 3 where the piece is printed against the credit word
    (某某网记者: a name is not glued to the word that introduces it)."""
    text = re.sub(r"[ \u3000]", "", text)
    if len(text) < 3:
        return False
    ends = [w for w in load_lines("credit_units.txt") if text.endswith(w)]
    return any(len(w) >= 2 or len(text) >= 4 or glued for w in ends)


def _blank_units(text: str, glued: bool = False) -> str:
    """``text`` with each unit among its names blanked out (same length, so offsets hold); ``glued``: the
    text is printed against the credit word that follows it."""
    def blank(m: re.Match[str]) -> str:
        last = glued and m.end() == len(text)
        return " " * len(m.group(0)) if is_unit(m.group(0), last) else m.group(0)

    return re.sub(rf"[{_CJK}·]{{3,}}", blank, text)


def _names_in(text: str, offset: int, role: CreditRole, strict: bool = False) -> list[FoundName] | None:
    """Split a run of names; None if any piece is not a plausible name.

    Where a credit word (记者, 摄) marks the names, any 2–4 characters will do (rare surnames too);
    ``strict`` asks for a known surname, for bare signatures such as （某某）.
    """
    out = []
    for m in re.finditer(NAME, text):
        name = re.sub(r"[ \u3000]", "", m.group(0))
        if is_unit(name):
            return None  # 某县文联 供图: a body, not a person
        if not strict and len(name) == 6 and "·" not in name and all(map(looks_like_name, (name[:3], name[3:]))):
            # 通讯员甲某某乙某某: two three-character names printed without a space
            out += [FoundName(name[:3], role, offset + m.start(), offset + m.start() + 3),
                    FoundName(name[3:], role, offset + m.start() + 3, offset + m.end())]
            continue
        if strict and not looks_like_name(name):
            return None
        if not strict and not (2 <= len(name) <= 4 or ("·" in name and len(name) <= 12)):
            return None
        out.append(FoundName(name, role, offset + m.start(), offset + m.end()))
    return out or None


def _next_is_word(parts: list[str], k: int) -> bool:
    """Whether ``parts[k]`` is printed against the credit word that follows it (某某网记者)."""
    return k + 1 < len(parts) and bool(parts[k]) and not parts[k][-1].isspace() and bool(
        re.fullmatch(_ROLE, parts[k + 1]))


def parse_credit_body(text: str, offset: int, default: CreditRole) -> list[FoundName] | None:
    """``记者 甲、乙 通讯员 丙`` (or bare names) into names with roles; None if it is not a credit.

    Names marked by a credit word may have any surname; bare names need a known one.
    """
    if re.search(r"摄(?:影)?\s*$", text) and not re.search(_ROLE, text):
        default = "photographer"
    strict = not re.search(rf"{_ROLE}|{_MARK}|摄|报道", text)
    text_clean = re.sub(_TAIL + r"\s*$", "", text)
    parts = re.split(rf"({_ROLE}|{_MARK}|{_NOT_CREDIT})", text_clean)
    names: list[FoundName] = []
    role: CreditRole | None = default
    pos = offset
    for k, part in enumerate(parts):
        word = re.sub(r"\s", "", part)
        if re.fullmatch(_NOT_CREDIT, word):
            role = None  # 编辑 某某: editors are not credits; their names are skipped
        elif word in ROLE_WORDS:
            role = ROLE_WORDS[word]  # type: ignore[assignment]
        elif re.fullmatch(_MARK, part.strip()):
            role = "photographer" if word.startswith(("图", "摄影")) and not word.startswith("图/文") else "author"
        elif _blank_units(part, glued := _next_is_word(parts, k)).strip(" \u3000:：、,，|｜"):
            # 某某晚报记者 甲 / 通讯员 某县教育局: the paper or the unit is no person, the names around it are
            part_ = _blank_units(part, glued)
            lead = len(part_) - len(part_.lstrip(" \u3000:：、,，|｜"))
            found = _names_in(part_.strip(" \u3000:：、,，|｜"), pos + lead, role or default, strict)
            if found is None:
                return None
            if role is not None:
                names += found
        pos += len(part)
    return names or None


# what comes before 讯/电: the paper or site, the place and the date; 某网（某日报网）讯 names the site's
# parent in brackets; a repost may print its site first (某网某某在线 本报讯（记者 甲）)
_DL = (r"(?:[^\s()（）。，,]{2,12}\s+(?=\S{0,8}(?:讯|电)))?"
       r"[^\s()（）。，,]{0,24}?(?:[（(][^\s()（）。，,]{2,12}[)）][^\s()（）。，,]{0,12}?)?")
_DATELINE = re.compile(
    rf"^(?P<dl>{_DL}(?:讯|电))?(?:\s*据[^\s()（）。，,]{{2,20}}?报道)?\s*[（(](?P<inner>[^()（）]{{2,80}})[)）]\s*"
)


# 本网讯 记者甲 乙报道： — the byline after the dateline without brackets, closed by 报道 (so that
# 本报讯 记者从某局获悉… is no byline: there 记者 is the subject of the sentence)
_BARE_DATELINE = re.compile(
    rf"^(?P<dl>{_DL}(?:讯|电))\s*[:：]?\s*"
    rf"(?P<inner>(?:{_ROLE})[^。，,：:；;()（）]{{2,40}}?)\s*报道\s*[:：，,]?\s*"
)


# 记者 甲 乙报道：… opening a paragraph with no dateline; the colon and known surnames keep out sentences
# such as 记者近日走访报道：
_REPORTED = re.compile(rf"^(?P<inner>(?:{_ROLE})\s*{NAMES})\s*报道\s*[:：]\s*")


def _reported(par: str) -> FoundCredit | None:
    m = _REPORTED.match(par)
    if not m:
        return None
    names = parse_credit_body(m.group("inner"), m.start("inner"), "reporter")
    if not names or not all(looks_like_name(n.name) for n in names):
        return None
    return FoundCredit(names, 0, m.end())


def find_dateline_byline(par: str) -> FoundCredit | None:
    """``本报讯(记者 甲、乙)`` / ``新华社北京1月1日电（记者 甲）`` / ``本网讯 记者甲报道：`` at the start of a
    paragraph."""
    m = _DATELINE.match(par) or _BARE_DATELINE.match(par)
    if not m:
        return _reported(par)
    if not re.search(_ROLE, m.group("inner")):
        return None
    names = parse_credit_body(m.group("inner"), m.start("inner"), "reporter")
    if not names:
        return None
    return FoundCredit(names, 0, m.end())


def find_item_dateline(par: str) -> FoundCredit | None:
    """A dateline with its byline opening a later paragraph: the items of a news-in-brief column under one
    headline each start ``本报讯（通讯员 甲）``. Only a printed 讯/电 counts here (a bracket alone opening a
    paragraph in the middle of an article is no byline)."""
    m = _DATELINE.match(par) or _BARE_DATELINE.match(par)
    return find_dateline_byline(par) if m and m.group("dl") else None


# 某某晚报记者, 某报·某网记者, 某县融媒体中心记者: the paper printed before a photo credit's credit word
_MEDIA = rf"[{_CJK}·]{{2,16}}?(?:报业|报|网|社|台|中心|客户端)"
_PHOTO_ROLE = rf"(?:{_MEDIA})?(?:本报|新华社)?(?:摄影记者|记者|通讯员|实习生)"
# 摄, 摄影, and 供图 (a picture handed in by the person named); a wire photo reads 新华社发（甲 摄）
_SHOT = r"[/／]?\s*(?:摄(?:影)?|供图)"
_PHOTO = re.compile(
    rf"^[□■●◎△▲\s]*(?:(?:新华社|中新社)发?\s*)?[（(]?\s*(?:{_PHOTO_ROLE}\s*)?(?P<names>{NAMES})\s*{_SHOT}\s*[)）]?\s*$"
    rf"|^[□■●◎△▲\s]*(?:摄影|图)\s*[/／:：]\s*(?:(?:本报)?(?:记者|通讯员)\s*)?(?P<names2>{NAMES})\s*$"
)


_BROKEN_CREDIT = re.compile(rf"^\s*[（(]\s*{_PHOTO_ROLE}\s*$")


def find_photo_credit(line: str) -> FoundCredit | None:
    """A line that is only a photo credit: ``李某摄``, ``□某某 摄``, ``本报记者 某某 摄``, ``摄影/某某``."""
    m = _PHOTO.match(line)
    if not m:
        # （本报记者 | 甲 乙 摄）: a credit broken over two lines; its first line names nobody and leaves the text
        return FoundCredit([], 0, len(line)) if _BROKEN_CREDIT.match(line) else None
    key = "names" if m.group("names") else "names2"
    names = _names_in(m.group(key), m.start(key), "photographer")
    if not names:
        return None
    return FoundCredit(names, 0, len(line))


_TRAILING_PHOTO = re.compile(
    rf"(?:(?<=[。！？!?”])|(?<=\s))[□■●◎△▲\s]*[（(]?\s*(?P<role>{_PHOTO_ROLE})?\s*[/／]?\s*"
    rf"(?P<names>{NAMES})\s*{_SHOT}\s*[)）]?\s*$"
)


def find_trailing_photo_credit(line: str) -> FoundCredit | None:
    """A photo credit after a caption on the same line: ``图为会议现场。记者 某某 摄``."""
    m = _TRAILING_PHOTO.search(line)
    if not m or m.group("names").endswith("拍"):
        return None
    names = _names_in(m.group("names"), m.start("names"), "photographer", strict=not m.group("role"))
    if not names:
        return None
    return FoundCredit(names, m.start(), m.end())


# □本报记者 甲 / ◎记者 甲: a glyph the paper prints before its bylines
_GLYPHS = r"[□■●◎△▲◆◇★☆\s]*"
_BYLINE_LINE = re.compile(
    rf"^{_GLYPHS}(?:{_MARK})?\s*(?:{_ROLE})?[\s:：|｜]*{NAMES}(?:\s*(?:{_MARK}|{_ROLE})+[\s:：|｜]*{NAMES})*{_TAIL}\s*$"
)


def find_byline_line(line: str) -> FoundCredit | None:
    """A line that is only a byline: ``本报记者 甲 通讯员 乙``, ``记 者 甲 见习记者 乙`` (a trailing one),
    ``文/图 本报记者 甲 乙``, ``文/本报记者 甲 图/乙``."""
    if not _BYLINE_LINE.match(line) or not re.match(rf"{_GLYPHS}(?:{_MARK}|{_ROLE})", line):
        return None
    lead = re.match(_GLYPHS, line).end()  # type: ignore[union-attr]
    names = parse_credit_body(line[lead:], lead, "reporter")
    return FoundCredit(names, 0, len(line)) if names else None


# 作者 甲 乙 (no colon) counts only where the names have known surnames
_AUTHOR = re.compile(
    rf"(?:^|\s)(?P<all>(?:(?:作者|撰稿|文)\s*[:：/／]|(?P<bare>作者)\s+)\s*(?P<names>{NAMES}))\s*$"
)


def find_author(line: str) -> FoundCredit | None:
    """``作者:某某`` at the end of a line (a repost's source line, or a last line)."""
    m = _AUTHOR.search(line)
    if not m:
        return None
    names = _names_in(m.group("names"), m.start("names"), "author", strict=bool(m.group("bare")))
    if not names:
        return None
    return FoundCredit(names, m.start("all"), m.end())


# （某某）, and （某某）（某某日报）: the writer, then the paper the brief was taken from
_SIGNATURE = re.compile(
    r"[（(]\s*(?P<inner>[^()（）。，,]{2,40}?)\s*[)）]"
    r"(?:\s*[（(][^()（）。，,]{2,16}?(?:报|社|网|台|中心|杂志)[)）])?\s*$"
)
_NOT_SIGNATURE = {"待续", "全文完", "完", "续完", "上", "下", "中", "图", "资料图", "供图"}


def find_signature(par: str) -> FoundCredit | None:
    """A closing signature ``（某某）`` or ``（记者 某某）`` ending the last paragraph."""
    m = _SIGNATURE.search(par)
    if not m or m.group("inner") in _NOT_SIGNATURE:
        return None
    before = par[: m.start()].rstrip()
    if before and before[-1] not in "。！？!?…”’」』；;）)":
        return None
    inner, at = m.group("inner"), m.start("inner")
    if re.match(rf"\s*{_NOT_CREDIT}\s*[:：]", inner):
        return FoundCredit([], m.start(), m.end())  # （责编：甲、乙）: the editors, cut from the text, no credit
    unit = UNIT_PREFIX.match(inner)
    if unit and not re.search(_ROLE, inner[: unit.end()]):
        inner, at = inner[unit.end() :], at + unit.end()  # （某县图书馆：某某）: the writer's unit, then the name
        names = _names_in(inner, at, "author", strict=True)
    else:
        names = parse_credit_body(inner, at, "author")
    if not names:
        return None
    return FoundCredit(names, m.start(), m.end())


UNIT_PREFIX = re.compile(rf"[{_CJK}]{{2,16}}\s*[:：]\s*")


# 甲某 乙某 某县融媒体中心 2023-03-08 07:40:19: a web page's source line, names before the publisher
_SOURCE_LINE = re.compile(
    rf"^(?P<names>{NAME}(?:\s+{NAME}){{0,3}})\s+(?P<org>[{_CJK}]{{2,20}}(?:中心|日报|晚报|报社|报|电视台|台|网|社|杂志))"
    r"(?:\s+\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?)?\s*$"
)


def find_source_line(line: str) -> FoundCredit | None:
    """A line of names (known surnames only) followed by the publisher and the time of posting."""
    m = _SOURCE_LINE.match(line)
    if not m:
        return None
    names = _names_in(m.group("names"), m.start("names"), "author", strict=True)
    return FoundCredit(names, 0, len(line)) if names else None


# 某某视察工地古某某摄(二等奖)怀远新村左某某摄(一等奖)…: photo captions run together, each a title, the
# photographer and the prize; the name is the last 2–3 characters before 摄 (3 when they start with a surname)
_CAPTION_CREDIT = re.compile(
    r"(?P<title>[^。，,；;！？!?()（）]{1,30}?)摄\s*[（(](?P<prize>[^()（）]{1,8}奖)[)）]"
)


def find_caption_run(par: str) -> FoundCredit | None:
    """Captions with their photo credits at the start of a paragraph, each ``title + 某某摄(X等奖)``."""
    names: list[FoundName] = []
    pos = 0
    for m in _CAPTION_CREDIT.finditer(par):
        if m.start() != pos:
            break
        title = m.group("title")
        single, double = _surnames()
        cut = 3 if len(title) >= 4 and (title[-3] in single or title[-3:-1] in double) else 2
        if cut == 2 and not (title[-2] in single or len(title) >= 4):
            cut = 3
        if len(title) <= cut:
            break
        start = m.start("title") + len(title) - cut
        names.append(FoundName(par[start : m.end("title")], "photographer", start, m.end("title")))
        pos = m.end()
    return FoundCredit(names, 0, pos) if names else None


# 来源:某县融媒体中心 作者:甲 乙 实习生:丙 编辑:丁 2021-03-01 16:43:19 — a web page's labelled fields
_LABELS = (r"(?:文章来源|文章作者|来源|作者|记者|通讯员|实习生|摄影|责任编辑|编辑|发布时间|时间"
           r"|点击数|点击量|点击|阅读次数|阅读量|阅读|浏览次数|浏览量|浏览)")  # the page's counters close a field
# 作者:某某网 — the publisher printed where a writer's name goes: no person
_PUBLISHER = re.compile(r"(?:网|报|台|中心|社|站|平台|客户端)$")
# 2021-05-28 17:12:51 来源:某网 | 编辑:甲 | 作者:乙 — the fields may follow the time of posting
_POSTED = r"(?:\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?\s+)?"
_FIELD_LINE = re.compile(rf"^{_POSTED}{_LABELS}\s*[:：]")
_FIELD = re.compile(rf"(?P<label>{_LABELS})\s*[:：]\s*(?P<value>[^:：]*?)(?=\s*{_LABELS}\s*[:：]|\s*\d{{4}}[-/.年]|$)")
_FIELD_ROLES: dict[str, CreditRole] = {"作者": "author", "文章作者": "author", "记者": "reporter",
                                       "通讯员": "correspondent", "实习生": "correspondent", "摄影": "photographer"}


# 来源：某某日报 记者 甲 / （来源:某县融媒体记者:乙）: the source, then a byline whose credit word has no colon
_SOURCE_BYLINE = re.compile(
    rf"^\s*[（(]?\s*来源\s*[:：]\s*(?P<src>[^\s:：()（）]{{2,24}}?)\s*"
    rf"(?P<inner>(?:{_ROLE})\s*[:：]?\s*{NAMES}(?:\s*(?:{_ROLE})\s*[:：]?\s*{NAMES})*)\s*[)）]?\s*$"
)


def _source_byline(line: str) -> FoundCredit | None:
    m = _SOURCE_BYLINE.match(line)
    if not m:
        return None
    names = parse_credit_body(m.group("inner"), m.start("inner"), "reporter")
    return FoundCredit(names, 0, len(line)) if names else None


# 责任编辑:某某 / 责编:甲 审核:乙 / 编辑|甲: a line of the page's editing fields only, no credit and no body text
_EDITOR_FIELDS = re.compile(
    r"(?:\s*(?:责任编辑|责编|编辑|编审|审核|初审|复审|终审|审校|校对|监制|值班主任)\s*[:：|｜]\s*[^:：|｜\s]{0,12}"
    r"(?:\s[^:：|｜\s]{1,4}(?=\s|$))?)+\s*"
)


def find_field_line(line: str) -> FoundCredit | None:
    """A line of labelled fields (来源: 作者: 实习生: 编辑: and a time): the writers are credits; also
    来源：某报 记者 甲, the source followed by a byline."""
    byline = _source_byline(line)
    if byline:
        return byline
    if _EDITOR_FIELDS.fullmatch(line) or _EDITOR_FIELDS.fullmatch(re.sub(r"^\s*[\[【(（]|[\]】)）]\s*$", "", line)):
        # [ 责任编辑：某某 ] / 【编辑：某某】: the same fields in brackets
        return FoundCredit([], 0, len(line))
    if not _FIELD_LINE.match(line) or not re.search(r"(?:作者|记者|通讯员|实习生|摄影)\s*[:：]", line):
        return None
    names: list[FoundName] = []
    publisher = False
    for m in _FIELD.finditer(line):
        role = _FIELD_ROLES.get(m.group("label"))
        value = m.group("value").strip()
        if role is None or not value:
            continue
        if _PUBLISHER.search(value):
            publisher = True  # 文章作者:某某网 — the line is still the page's fields, with no writer named
            continue
        found = _names_in(value, m.start("value"), role, strict=False)
        if found is None:
            return None  # 作者:某县委宣传部 — a body, not people
        names += found
    return FoundCredit(names, 0, len(line)) if names or publisher else None
