"""Elections: who was elected to which post (当选, 当选为…的有, 选举甲为…，乙、丙为…).

The post elected to is kept as printed (民进某市第十三届委员会副主委, 主任委员), so the mapper can
give the person that post and the Elected participation its ``kg:post``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.extract.posts import PersonMention, ends_with_title, title_of

END = r"[，,。；;！!？?\n]"
ELECTED = re.compile(
    rf"(?:全票|高票|以全票|一致|顺利)?当选(?:为)?(?!的)(?P<post>[^，,。；;：:！!？?\n]{{2,60}}?)(?={END}|$)"
)
ELECTED_LIST = re.compile(r"当选(?:为)?(?P<post>[^，,。；;：:\n]{2,60}?)的(?:有|是|为)[:：]?")
VOTE = re.compile(r"(?:选举|补选|增选|推选)(?:出|产生)?(?!办法|结果|工作)")
AS_POST = re.compile(rf"为(?P<post>[^，,。；;：:！!？?\n为]{{2,60}}?)(?={END}|$)")
SKIP_POST = re.compile(r"^(的|了)|^[\d一二三四五六七八九十]+[名位]")


# 向甲颁发镇长当选证书: the certificate of an election, said of whoever hands it over
NOT_A_POST = re.compile(r"证书$|证$|通知书$|候选人$|候选人选$")  # 确定甲为镇长正式候选人: a candidate
NEW_BY_VOTE = re.compile(r"选举产生|换届选举|选举出")
NEW_POST = re.compile(r"(新任|新当选的?)$")


@dataclass
class ElectedMention:
    person: PersonMention
    post: str  # as printed
    post_start: int  # offsets into the sentence
    post_end: int


def _clean_post(post: str) -> str:
    post = re.sub(r"^(新一届|新一任|新任|新)", "", post.strip())
    # 以甲为主席（会长）的新一届执委会: the post ends at its title (and the name in brackets) before 的
    for k in (i for i, c in enumerate(post) if c == "的"):
        if ends_with_title(BRACKETED_TAIL.sub("", post[:k])):
            return post[:k].strip()
    # 当选会长并发表讲话: the post ends at the title before 并 (a second verb of the same subject)
    for k in (i for i, c in enumerate(post) if c == "并"):
        if ends_with_title(post[:k]):
            return post[:k].strip()
    return post.strip()


# 聘请甲为名誉会长, 特邀乙为顾问: an engagement after the vote in the same sentence, no election
APPOINTED_BEFORE = re.compile(r"聘请|聘任|特聘|特邀|邀请")
BRACKETED_TAIL = re.compile(r"[（(][^（()）]{1,12}[）)]$")
PAIRED = re.compile(r"分别")
POST_SPLIT = re.compile(r"和|、|及|以及")


def _paired(text: str, clause_start: int, group: list[PersonMention], post: str, start: int) -> list[tuple]:
    """甲、乙分别当选为X和Y: names and posts paired in order, when the counts agree.

    Returns (person, post, start, end) rows, or [] when the sentence does not pair them."""
    if len(group) < 2 or not PAIRED.search(text[clause_start:start]):
        return []
    parts: list[tuple[str, int]] = []
    pos = 0
    for m in POST_SPLIT.finditer(post):
        parts.append((post[pos : m.start()], pos))
        pos = m.end()
    parts.append((post[pos:], pos))
    if len(parts) != len(group) or not all(ends_with_title(_clean_post(x)) for x, _ in parts):
        return []
    return [(p, x, start + k, start + k + len(x)) for p, (x, k) in zip(group, parts, strict=True)]


def find_elected(text: str, people: list[PersonMention]) -> list[ElectedMention]:
    """Elected people of one sentence with the posts they were elected to."""
    out: list[ElectedMention] = []
    seen: set[str] = set()

    def add(p: PersonMention, post: str, s: int, e: int) -> None:
        post = _clean_post(post)
        if p.name in seen or not post or SKIP_POST.match(post) or NOT_A_POST.search(post):
            return
        if not ends_with_title(BRACKETED_TAIL.sub("", post).strip()):
            return
        seen.add(p.name)
        out.append(ElectedMention(p, post, s, e))

    for m in ELECTED_LIST.finditer(text):
        nxt = re.search(END, text[m.end() :])
        stop = m.end() + nxt.start() if nxt else len(text)
        for p in people:
            if m.end() <= p.start < stop:
                add(p, m.group("post"), m.start("post"), m.end("post"))
    prev = 0
    for m in ELECTED.finditer(text):
        glued = text[max(0, m.start() - 1) : m.start()] == "新" and not any(p.end == m.start() for p in people)
        if glued:
            continue  # 新当选的… describes, it does not report an election
        clause_start = max((k + 1 for k in range(prev, m.start()) if text[k] in "，,。；;：:"), default=prev)
        group = [p for p in people if clause_start <= p.start and p.end <= m.start()]
        pairs = _paired(text, clause_start, group, _clean_post(m.group("post")), m.start("post"))
        for p, post, s, e in pairs or [(p, m.group("post"), m.start("post"), m.end("post")) for p in group]:
            add(p, post, s, e)
        prev = m.end()
    for v in VOTE.finditer(text):
        pos = v.end()
        for m in AS_POST.finditer(text, pos):
            if APPOINTED_BEFORE.search(text, pos, m.start()):
                break  # …，聘请甲为名誉会长: engaged, not voted in
            group = [p for p in people if pos <= p.start and p.end <= m.start()]
            for p in group:
                add(p, m.group("post"), m.start("post"), m.end("post"))
            pos = m.end()
    for v in PRODUCED.finditer(text):
        _produced(text, v.end(), people, add)
    # 选举产生了新一届党委班子，新任党委书记甲…: a post called new, in a sentence that reports the vote
    if NEW_BY_VOTE.search(text):
        for p in people:
            for post in p.posts:
                if NEW_POST.search(text[max(0, post.start - 4) : post.start]):
                    add(p, post.label, post.start, post.end)
    # 选举甲为县人大常委会主任，乙、丙为副主任: the bare title is in the body named just before
    out.sort(key=lambda e: e.post_start)
    body = None
    for em in out:
        title = title_of(em.post)
        if title is None:
            continue
        if (em.post == title or BODYLESS.match(em.post[: -len(title)])) and body:
            em.post = body + em.post  # 副主任, 兼职副主席: a title of the body named before
        elif em.post != title:
            body = em.post[: -len(title)]
    return out


BODYLESS = re.compile(r"^(兼职|专职|挂职|常务)$")
PRODUCED = re.compile(r"(?:选举|推选|选)产生了?")
PRODUCED_GAP = re.compile(r"^[，,、]?$")


def _produced(text: str, pos: int, people: list[PersonMention], add) -> None:  # noqa: ANN001
    """选举产生妇联主席甲，副主席乙: each post printed before its name, right after the vote or the
    previous one elected (a separator between); the list ends at the first name that is not so."""
    for p in sorted((p for p in people if p.start >= pos), key=lambda p: p.start):
        post = p.posts[-1] if p.posts else None
        if post is None or post.end != p.start or post.start < pos or not PRODUCED_GAP.match(text[pos : post.start]):
            return
        first = next((q for q in p.posts if q.start >= pos), post)
        add(p, text[first.start : post.end] if first is post else post.label, post.start, post.end)
        pos = p.end


APPOINT = re.compile(r"(?:决定任命|提请任命|任命|聘任|聘请|推举|增补)")


def find_appointed(text: str, people: list[PersonMention]) -> list[ElectedMention]:
    """任命甲为…主任: a post the person holds from now on (an appointment, not an election)."""
    out: list[ElectedMention] = []
    for v in APPOINT.finditer(text):
        stop = re.search(END, text[v.end() :])
        end = v.end() + stop.start() if stop else len(text)
        m = AS_POST.search(text, v.end(), end + 1)
        if not m:
            continue
        group = [p for p in people if v.end() <= p.start and p.end <= m.start()]
        post = _clean_post(m.group("post"))
        if post and not SKIP_POST.match(post):
            out += [ElectedMention(p, post, m.start("post"), m.end("post")) for p in group]
    for m in APPOINTMENT_OF.finditer(text):
        group = [p for p in people if m.start("body") <= p.start and p.end <= m.end("body")]
        if not group:
            continue
        after = text[group[-1].end : m.end("body")]
        tail = re.match(r"(?:同志)?(?:[两二三四五六七八九十\d]+[位名])?(?P<post>[^、和及]{2,20})", after)
        if tail and ends_with_title(tail.group("post")):
            s = group[-1].end + tail.start("post")
            out += [ElectedMention(p, tail.group("post"), s, s + len(tail.group("post"))) for p in group]
    return out


# 通过了对甲、乙两位审判委员会委员的任命: the post follows the names
APPOINTMENT_OF = re.compile(r"对(?P<body>[^，,。；;对]{2,80}?)的(?:任命|任职)")
