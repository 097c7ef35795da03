"""Organisations: names as printed, expanded with the publication's locality (市教育局 -> 某市教育局).

Local papers drop the place from the bodies of their own town (市委, 市政协, 县人民法院); the
publication's locality puts it back, so the mapper can tell 市委 of one city from another's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.extract.gazetteer import ancestors
from kg.extract.lexicon import alternation, table, word_set
from kg.extract.posts import title_of

LEVELS = "省市县区镇乡州旗"


@dataclass
class OrgMention:
    name: str  # fullest canonical name
    printed: str
    start: int  # offsets into the sentence
    end: int
    kind: str | None = None


def locality_level(locality: str | None) -> str | None:
    if not locality:
        return None
    return locality[-1] if locality[-1] in LEVELS else None


def expand_local(name: str, locality: str | None) -> str:
    """市教育局 -> 某市教育局 in a paper of 某市; 我市 -> 某市; other names unchanged. A body of a level
    above the paper's is expanded with the place of that level containing it, where known
    (``kg.extract.gazetteer``): 省委 in a 太原市 paper -> 中共山西省委, 市政府 in a 叶县 paper -> 平顶山市政府."""
    if not locality:
        return name
    level = locality_level(locality)
    if name.startswith(("我" + (level or "市"), "本" + (level or "市"))):
        return locality + name[2:]
    if level and name.startswith(level) and not name.startswith(locality):
        return _with_place(name, locality, level)
    up = ancestors(locality)
    first = name[:1]
    if first in up and not name.startswith(up[first]) and not _level_word(name):
        return _with_place(name, up[first], first)
    if name[:1] in "我本" and name[1:2] in up:
        return up[name[1:2]] + name[2:]  # 我省 in a city's paper
    return name


def _level_word(name: str) -> bool:
    """The name begins with a word holding a level character (市场监管局, 市政工程处: ``level_words``), not
    with the level's own government or political consultative body (市政府, 市政协 begin with 市政 too)."""
    return name[:2] in word_set("level_words") and name[1:3] not in ("政府", "政协")


def _with_place(name: str, place: str, level: str) -> str:
    """``name``, printed with its level only (市委, 市教育局), given its ``place`` of that level."""
    rest = name[1:]
    if rest[:1] in ("委",) and level in "市县区省州旗":
        return "中共" + place + rest
    return place + rest


# the short names mass organisations are printed by (某县妇女联合会 = 某县妇联)
MASS_ORG_SHORT = (("妇女联合会", "妇联"), ("工商业联合会", "工商联"), ("科学技术协会", "科协"),
                  ("残疾人联合会", "残联"), ("文学艺术界联合会", "文联"), ("归国华侨联合会", "侨联"))
ORDINAL = r"第?[一二三四五六七八九十百零〇\d]+届"


def canonical_org(name: str) -> str:
    """One spelling for the many ways a body is printed, so posts in it can be compared.

    中国人民政治协商会议某县第十一届委员会 / 政协某县委员会 / 某县政协 -> 某县政协;
    某市人民代表大会常务委员会 -> 某市人大常委会; 中国共产党某市委员会 -> 中共某市委; 中国民主促进会… -> 民进….
    """
    n = re.sub(ORDINAL, "", name)
    m = re.match(r"^(?:中国人民)?政治协商会议(.+?)委员会$", n) or re.match(r"^政协(.+?)委员会$", n)
    if m:
        return m.group(1) + "政协"
    n = re.sub(r"人民代表大会常务委员会$", "人大常委会", n)
    m = re.match(r"^中国共产党(.+?)委员会$", n)
    if m:
        return "中共" + m.group(1) + "委"
    n = re.sub(r"人民政府$", "政府", n)
    for full, short in MASS_ORG_SHORT:  # 某区妇女联合会 = 某区妇联
        n = re.sub(full + "$", short, n)
    abbrev = {k: v for k, v in table("party_abbreviations").items() if not k.startswith("_")}
    for short, full in abbrev.items():
        if n.startswith(full) and full != short:
            n = short + n[len(full) :]
            break
    n = re.sub(r"(委员会|委会)$", "委", n) if any(n.startswith(k) for k in abbrev) else n
    return n


def party_full_name(name: str) -> str | None:
    """民进某市委 -> 中国民主促进会某市委员会 (for the alternate names)."""
    abbrev = {k: v for k, v in table("party_abbreviations").items() if not k.startswith("_")}
    for short, full in sorted(abbrev.items(), key=lambda kv: -len(kv[0])):
        if name.startswith(short) and not name.startswith(full):
            rest = name[len(short) :]
            if rest.endswith("委") and not rest.endswith("委员会"):
                rest = rest[:-1] + "委员会"
            return full + rest
    return None


# people's organisations (群团): trade unions, women's federations, the Youth League, 工商联, 科协 …
MASS_ORG = re.compile(
    r"(总工会|工会|妇联|妇女联合会|团委|团[省市县区]委|共青团.{0,8}委员?会?|工商联|工商业联合会|总商会|科协|科学技术协会|残联"
    r"|残疾人联合会|文联|文学艺术界联合会|侨联|红十字会|关工委|妇委会|青联|台联)(（总商会）|\(总商会\))?$"
)
# the lowest level of urban and rural government: 街道 (办事处), 社区, 村, 居委会
COMMUNITY = re.compile(
    r"(街道|街道办事处|街道办|街道党工委|社区|社区居委会|居委会|村委会|村民委员会|社区党委|社区党支部)$"
)


def org_kind(name: str) -> str | None:
    if MASS_ORG.search(name):  # before the parties': 团县委, 共青团某县委 end in 县委
        return "mass-org"
    abbrev = table("party_abbreviations")
    if any(name.startswith(k) or name.startswith(v) for k, v in abbrev.items() if not k.startswith("_")):
        return "party-dp"
    if name.startswith("中共") or re.search(r"(党委|[省市县区镇]委|党组)$", name):
        return "party"
    if re.search(r"(人大常委会|人民代表大会|人大)", name):
        return "legislature"
    if "政协" in name or "政治协商会议" in name:
        return "cppcc"
    if COMMUNITY.search(name):
        return "community"
    if re.search(r"(公司|集团|厂)$", name):
        return "company"
    if re.search(r"(大学|学院|学校|中学|小学)$", name):
        return "university"
    if re.search(r"(研究所|研究院|研究中心|实验室)$", name):
        return "institute"
    if re.search(r"(政府|局|厅|办|委员会|部|院|中心)$", name):
        return "government"
    return None


HEAD_POSTS = {
    "市长": "人民政府", "副市长": "人民政府", "常务副市长": "人民政府", "代市长": "人民政府",
    "县长": "人民政府", "副县长": "人民政府", "常务副县长": "人民政府", "代县长": "人民政府",
    "区长": "人民政府", "副区长": "人民政府", "常务副区长": "人民政府", "代区长": "人民政府",
    "镇长": "人民政府", "副镇长": "人民政府", "乡长": "人民政府", "副乡长": "人民政府",
    "省长": "人民政府", "副省长": "人民政府",
    "州长": "人民政府", "副州长": "人民政府", "常务副州长": "人民政府", "旗长": "人民政府", "副旗长": "人民政府",
}


# a bare place name before a head's title that shares its level character: 某某市长, 某某县长 (not 某局, 某委)
PLACE_STEM = re.compile(r"^[\u4e00-\u9fff]{2,6}(?<![委局部办会厅室处科所院站队组团社厂司行馆中心府])$")


def post_org(label: str, locality: str | None) -> str | None:
    """The organisation a post belongs to, where the label names it or the locality implies it."""
    title = title_of(label)
    if title is None:
        return None
    prefix = label[: -len(title)]
    if prefix in ("政府", "人民政府") and title in HEAD_POSTS:
        prefix = ""  # 政府旗长, 人民政府县长: the head of the government the title itself names
    # 市委书记 / 市委副书记 / 市委常委: the title lexicon ends at 书记, the party committee is the prefix
    if not prefix:
        body = HEAD_POSTS.get(title)
        level = locality_level(locality)
        head = title.lstrip("常务副代")[:1]
        if body and locality and level and head == level:
            return canonical_org(locality + body)
        if body and head in ancestors(locality):  # 省长 in a city's paper: its province's (gazetteer)
            return canonical_org(ancestors(locality)[head] + body)
        return None
    if title in HEAD_POSTS and re.search(r"[省市县区镇乡州旗]$", prefix):
        return canonical_org(expand_local(prefix, locality) + HEAD_POSTS[title])  # 某市市长 -> 某市政府
    level = title.lstrip("常务副代")[:1]
    if title in HEAD_POSTS and PLACE_STEM.match(prefix):
        return canonical_org(prefix + level + HEAD_POSTS[title])  # 某某市长 (the 市 shared) -> 某某市人民政府
    prefix = prefix.removesuffix("党组")
    # 县委常委统战部长, 市委常委宣传部部长: two posts printed without 、 (the member's and the department's)
    if title in DEPARTMENT_HEADS:
        prefix = re.sub(r"(?<=委)常委$", "", prefix)
    prefix = re.sub(r"(?<=委)常委(?=(?:组织|宣传|统战)部$)", "", prefix)
    if not prefix or len(prefix) < 2:
        return None
    if prefix in ("省委", "省政府", "省人大常委会", "省政协") and locality_level(locality) != "省" \
            and "省" not in ancestors(locality):
        return None  # the province is not known from the paper's locality (kg.extract.gazetteer)
    full = canonical_org(expand_local(prefix, locality))
    if PARTY_BODY.search(full) and not full.startswith("中共") and org_kind(full) != "party-dp":
        full = "中共" + full  # 市委 is the Communist Party's; 民进某市委 is another party's
    return full


# a party committee, or a department or office of it, printed with its place (某市委, 某州委, 某市委统战部)
PARTY_BODY = re.compile(r"[市县区州旗]委(?:组织部|宣传部|统战部|办公室|办|政法委)?$")


# titles that name a party committee's department with its head: 县委统战部长 is a post of 中共某县委 whose
# title holds the department (the mapper names the post body + title: 中共某县委统战部长)
DEPARTMENT_HEADS = ("组织部长", "宣传部长", "统战部长")


# Classes of units rather than named ones: 市属医院, 各区县, 相关部门.
CATEGORY = re.compile(
    r"^(市|县|区|省)?(属|管|直|辖)|^(各|部分|相关|有关|全市|全县|全区|其他|所属|驻)|^.*各(?:家|个|级|类)"
    r"|^(省级|市级|县级|区级|国家级|新认定|新引进|首批|优秀|先进|重点|爱心|\d+[家个户所])"
)
# 甲局、乙镇(先后)作了表态 | 应邀: what stands between a list of units and its verb
LIST_VERB_TAIL = re.compile(r"(先后|分别|依次|也|还|等|应邀|一同|共同)?(作|进行)?了?(表态|交流|典型|书面|大会)?$")
ORG_LIST_TAIL = re.compile(r"(主要负责同志|负责同志|负责人|主要负责人|领导同志|代表)")
# 人大代表, 与会代表, 职工代表: delegates of a body or a gathering, not a unit's representatives, so the
# words before them (在听取了与会代表的发言后, 向人大代表汇报) name no unit
DELEGATE_HEAD = re.compile(r"(人大|政协|党|与会|参会|职工|群众|村民|居民|学生|家长|委员|会员|妇女|青年|人民)$")


COUNT_TAIL = re.compile(r"等[\d一二三四五六七八九十百千几多]+[家个所户批][^、和及]{0,20}$")


def orgs_in_list(text: str, start: int, end: int, locality: str | None) -> list[OrgMention]:
    """Names in 甲、乙、丙(主要)负责同志 — the units that take a role through their heads."""
    seg = text[start:end]
    m = ORG_LIST_TAIL.search(seg)
    if m:
        seg = seg[: m.start()]
        if m.group(0) == "代表" and DELEGATE_HEAD.search(seg):
            return []
    seg = LIST_VERB_TAIL.sub("", seg)
    # 甲公司、乙公司等20家先进单位: the count and class after 等 are no unit
    seg = re.sub(r"等[\d一二三四五六七八九十百千几多]+[家个所户批][^、和及]{0,20}$", "", seg)
    seg = re.sub(r"等(?:单位|集体|企业|部门)$", "", seg)  # 甲社区、乙镇等单位
    out: list[OrgMention] = []
    # 各县（市、区）政府: a 、 inside brackets does not separate units
    masked = re.sub(r"[（(][^（()）]*[）)]", lambda g: "＿" * len(g.group(0)), seg)
    pos = start
    k = 0
    for piece in re.split(r"[、和及]", masked):
        item = seg[k : k + len(piece)]
        k += len(piece) + 1
        item_start = text.find(item, pos) if item else pos
        pos = item_start + len(item) + 1
        clean = COUNT_TAIL.sub("", item.strip())  # 麻坪、段河等10个镇: the count and class close a group
        if len(clean) < 2 or not looks_like_org(clean) or CATEGORY.match(clean):
            continue
        out.append(OrgMention(expand_local(clean, locality), clean, item_start, item_start + len(item),
                              org_kind(clean)))
    return out


MEMBERS = re.compile(r"(?<!党)(常委|委员|成员)$")


def looks_like_org(name: str) -> bool:
    if MEMBERS.search(name):
        return False  # 县政协常委参加会议: the members of a body, people not named
    if re.search(f"(?:{alternation('org_suffixes')})$", name):
        return True
    return bool(re.search(r"(区|县|市|镇|乡|大学|学院)$", name))
