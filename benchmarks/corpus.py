"""A synthetic corpus of local-newspaper pages for benchmarks, written from templates.

    python benchmarks/corpus.py --articles 10000 --seed 1 --out data/corpus-10k

Why synthetic: benchmarks need years of a paper, and real pages cannot be copied. Everything here is
generated: people (a common surname, as in ``kg/lexicons/surnames.txt``, plus generated given names), cities,
districts, organisations, posts, meetings, congresses with elections, award ceremonies with amounts,
bylines, photo credits, signatures and continuation markers, in the register of a city daily. The
same ``--seed`` and ``--articles`` give byte-identical files.

A recurring cast makes co-participation realistic: each city's leaders appear in a large share of its
articles (thousands at 100k), while most other people are drawn from a long tail and appear a few
times. Pages hold one to five articles (``#``/``##`` headline blocks); each page has a
``NAME.meta.json`` sidecar (publication, date, locality). ``corpus.json`` in the output folder
records what was generated (articles, pages, characters).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

# The head of kg/lexicons/surnames.txt (most frequent first), frozen here so that a corpus does not
# change when that lexicon grows: same seed, same files, across versions of the project.
SINGLE_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施"
    "文牛樊葛邢安齐易乔伍庞颜倪庄聂章"
)
DOUBLE_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "公孙", "慕容", "司徒", "夏侯", "令狐", "端木")

GIVEN = (
    "伟芳敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚华建国文辉鹏飞斌宇浩凯健俊帆帅旭宁晨阳亮晶婷雪琳颖慧倩"
    "欣悦佳怡昊然博瑞泽宏毅志远峰岩松柏林森荣昌盛德成立新春秋冬梅兰竹菊海波涌江河湖清源淼鑫铭锋锐"
    "继承宗耀祥瑞福寿康永长久晓曦璐瑶琦珊玲莉萍燕红彦卫东兵勤俭仁义礼智信忠诚嘉懿睿哲思恒毅坚"
)
CITY_CHARS = "青云川平安江宁泽兴阳城山海河林丰远华临济昌德隆景荣泰嘉宜清源汇明崇安鹤岚阜汀澄"
DISTRICT_TAILS = ("区", "区", "县", "县", "区")
NUMERALS = "零一二三四五六七八九十"

TOPICS = (
    "人才引进", "经济工作", "农村工作", "安全生产", "生态环境保护", "营商环境建设", "招商引资", "科技创新",
    "城市管理", "教育工作", "民生实事", "文明城市创建", "乡村振兴", "项目建设", "数字经济发展", "产业转型",
    "应急管理", "基层治理", "文化旅游发展", "开发区改革", "金融服务实体经济", "老旧小区改造",
)
OBJECTS = (
    "高质量发展", "营商环境", "科技创新", "乡村振兴", "生态保护", "民生保障", "安全生产", "城市更新",
    "基层治理", "人才引育", "产业链招商", "项目落地", "数字化转型", "公共服务", "风险防控", "作风建设",
    "对外开放", "市场主体培育", "重点工程", "服务保障",
)
VERBS = ("坚持", "推动", "强化", "深化", "落实", "完善", "健全", "提升", "统筹", "聚焦", "优化", "加快")
GOALS = (
    "为全面建设现代化城市提供有力支撑", "确保各项任务落地见效", "不断增强群众获得感",
    "以实干实绩推动工作迈上新台阶", "切实把各项部署转化为发展成效", "努力在新征程上走在前列",
    "奋力开创各项事业发展新局面", "形成上下联动、齐抓共管的良好格局",
)
SAYS = ("指出", "强调", "要求", "表示")
PARTIES = (
    ("中国民主同盟", "民盟"), ("中国民主建国会", "民建"), ("中国民主促进会", "民进"),
    ("中国农工民主党", "农工党"), ("中国致公党", "致公党"), ("九三学社", "九三学社"),
)
INDUSTRIES = ("钢铁", "煤化", "装备制造", "新材料", "电子科技", "生物医药", "物流", "建设", "能源", "食品")
BUREAUS = (
    "教育局", "科技局", "财政局", "人社局", "住建局", "交通运输局", "农业农村局", "商务局", "文旅局",
    "卫健委", "发展改革委", "工信局", "生态环境局", "应急管理局", "市场监管局",
)
LEADER_POSTS = (
    "省委常委、市委书记", "市委副书记、市长", "市人大常委会主任", "市政协主席", "市委副书记",
    "市委常委、常务副市长", "市委常委、组织部部长", "市委常委、宣传部部长", "市委常委、秘书长",
    "副市长", "副市长", "副市长", "市人大常委会副主任", "市政协副主席",
)
CAPTIONS = ("会议现场。", "座谈会现场。", "颁奖现场。", "代表们认真听取报告。", "与会人员认真学习。")


Parts = tuple[list[str], str, list[str], list[str]]  # kickers, headline, subtitles, paragraphs


def numeral(n: int) -> str:
    """1..99 as Chinese numerals (第十三届)."""
    if n < 10:
        return NUMERALS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else NUMERALS[tens]) + "十" + (NUMERALS[ones] if ones else "")


@dataclass
class Person:
    name: str
    post: str  # as printed before the name, e.g. 市委副书记、市长


@dataclass
class City:
    name: str  # 青川市
    paper: str  # 青川日报
    code: str  # ascii folder name
    districts: list[str]
    leaders: list[Person]
    locals: list[Person]  # the long tail, most-frequent first
    reporters: list[str]
    photographers: list[str]
    companies: list[str]
    colleges: list[str]
    headlines_by_day: dict[str, set[str]] = field(default_factory=dict)


class World:
    """Cities, papers and their recurring cast, all drawn from one seeded random generator."""

    def __init__(self, seed: int, articles: int) -> None:
        self.rng = random.Random(seed)
        self.single = list(SINGLE_SURNAMES)
        self.double = list(DOUBLE_SURNAMES)
        self.used_names: set[str] = set()
        n_cities = 2 if articles <= 200 else 3 if articles <= 2000 else 6
        tail = max(60, articles // n_cities)  # about one local person per article: a long tail
        self.cities = [self._city(i, tail) for i in range(n_cities)]

    def name(self) -> str:
        """A fresh person name: a common surname (rarely a compound one) and one or two given chars."""
        rng = self.rng
        for _ in range(100):
            if rng.random() < 0.02:
                sur = rng.choice(self.double)
            else:  # the list is roughly in order of frequency: favour its head
                sur = self.single[min(int(rng.expovariate(1 / 40)), len(self.single) - 1)]
            given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
            name = sur + given
            if name not in self.used_names:
                self.used_names.add(name)
                return name
        raise RuntimeError("ran out of names")

    def _place(self, taken: set[str], tail: str) -> str:
        while True:
            n = self.rng.choice(CITY_CHARS) + self.rng.choice(CITY_CHARS)
            if n[0] != n[1] and n + tail not in taken:
                taken.add(n + tail)
                return n + tail

    def _city(self, i: int, tail: int) -> City:
        rng = self.rng
        taken = {c.name for c in getattr(self, "cities", [])}
        name = self._place(taken, "市")
        districts = [self._place(set(), rng.choice(DISTRICT_TAILS)) for _ in range(6)]
        leaders = [Person(self.name(), post) for post in LEADER_POSTS]
        companies = [
            f"{name[:2]}{rng.choice(CITY_CHARS)}{rng.choice(CITY_CHARS)}{rng.choice(INDUSTRIES)}集团有限公司"
            for _ in range(12)
        ]
        colleges = [f"{name[:2]}{s}" for s in ("学院", "职业技术学院", "师范学院", "医学院")]
        locals_: list[Person] = []
        for _ in range(tail):
            k = rng.random()
            if k < 0.25:
                d = rng.choice(districts)
                post = f"{d}{'委书记' if rng.random() < 0.5 else ('长' if d.endswith('区') else '长')}"
            elif k < 0.5:
                post = f"市{rng.choice(BUREAUS)}{'局长' if rng.random() < 0.6 else '副局长'}"
                post = post.replace("委局长", "委主任").replace("委副局长", "委副主任")
            elif k < 0.65:
                post = f"{rng.choice(companies)}{rng.choice(('董事长', '总经理'))}"
            elif k < 0.75:
                post = f"{rng.choice(colleges)}{rng.choice(('院长', '党委书记'))}"
            elif k < 0.85:
                party = rng.choice(PARTIES)[1]
                post = f"{party}{name}委会{rng.choice(('主委', '副主委'))}"
            else:
                post = rng.choice(("市人大代表", "市政协委员", "社区党支部书记", "村党支部书记", "高级工程师"))
            locals_.append(Person(self.name(), post))
        return City(
            name=name,
            paper=name[:-1] + "日报",
            code=f"c{i + 1:02d}",
            districts=districts,
            leaders=leaders,
            locals=locals_,
            reporters=[self.name() for _ in range(16)],
            photographers=[self.name() for _ in range(6)],
            companies=companies,
            colleges=colleges,
        )


class Writer:
    """Articles and pages for one city, from templates."""

    def __init__(self, world: World, city: City) -> None:
        self.w = world
        self.rng = world.rng
        self.c = city

    # ---------------------------------------------------------------- pieces

    def leader(self, top: int = 4) -> Person:
        """Leaders: the first few far more often than the rest."""
        k = min(int(self.rng.expovariate(1 / top)), len(self.c.leaders) - 1)
        return self.c.leaders[k]

    def local(self) -> Person:
        """The long tail: log-uniform ranks, so a few locals recur often and most rarely."""
        n = len(self.c.locals)
        return self.c.locals[min(int(n ** self.rng.random()) - 1, n - 1)]

    def people(self, k: int, pick: Callable[[], Person]) -> list[Person]:
        """``k`` different people drawn with ``pick`` (its pool must hold at least ``k``)."""
        out: list[Person] = []
        while len(out) < k:
            p = pick()
            if p not in out:
                out.append(p)
        return out

    def md(self, d: dt.date) -> str:
        return f"{d.month}月{d.day}日"

    def amount(self) -> str:
        r = self.rng.random()
        if r < 0.3:
            return f"{self.rng.randint(101, 999) / 100:g}亿元"
        if r < 0.65:
            return f"{self.rng.randint(2, 99) * 100}万元"
        if r < 0.85:
            return f"{NUMERALS[self.rng.randint(2, 9)]}{self.rng.choice(('千', '百'))}万元"
        return f"{self.rng.randint(10, 990)}万元"

    def filler(self, subject: str, n: int) -> str:
        rng = self.rng
        out = []
        for i in range(n):
            lead = subject + rng.choice(SAYS) + "," if i == 0 and subject else ""
            v = rng.sample(VERBS, 3)
            o = rng.sample(OBJECTS, 4)
            out.append(f"{lead}要{v[0]}{o[0]},{v[1]}{o[1]},{v[2]}{o[2]}和{o[3]},{rng.choice(GOALS)}。")
        return "".join(out)

    def background(self) -> str:
        """A paragraph of context: 近年来 … 一是 … 二是 … 三是 …"""
        rng = self.rng
        o = rng.sample(OBJECTS, 6)
        v = rng.sample(VERBS, 6)
        return (
            f"近年来,全市上下{v[0]}{o[0]},{v[1]}{o[1]},各项工作取得明显成效。一是{v[2]}{o[2]},"
            f"全年完成投资{self.amount()};二是{v[3]}{o[3]},新增市场主体{rng.randint(2, 60) * 100}户;"
            f"三是{v[4]}{o[4]}和{o[5]},{rng.choice(GOALS)}。"
        )

    def byline(self) -> tuple[str, bool]:
        """The dateline/byline, and whether the article still needs a closing signature."""
        r = self.rng.random()
        reps = self.rng.sample(self.c.reporters, self.rng.randint(1, 3))
        if r < 0.6:
            return f"本报讯(记者 {'、'.join(reps)})", False
        if r < 0.8:
            return f"本报讯(记者 {reps[0]} 通讯员 {self.w.name() if self.rng.random() < 0.1 else reps[-1]})", False
        return "本报讯", True

    def mention(self, p: Person) -> str:
        return f"{p.post}{p.name}"

    # ---------------------------------------------------------------- article kinds

    def meeting(self, d: dt.date) -> Parts:
        rng, c = self.rng, self.c
        topic = rng.choice(TOPICS)
        form = rng.choice((f"市委{topic}会议", f"全市{topic}推进会", f"全市{topic}工作会议", f"{topic}工作调度会"))
        lead, chair = self.people(2, self.leader)
        headline = f"{rng.choice(VERBS)}{rng.choice(OBJECTS)} {rng.choice(VERBS)}{rng.choice(OBJECTS)}"
        body = [
            f"{self.md(d - dt.timedelta(days=1))},{form}召开。{self.mention(lead)}出席并讲话。"
            f"{self.mention(chair)}主持。" + self.filler(lead.name, 1),
            self.background(),
            self.filler(lead.name, rng.randint(2, 4)),
        ]
        speakers = self.people(rng.randint(2, 4), self.local)
        body.append(
            "会上," + "、".join(self.mention(p) for p in speakers) + "先后作交流发言。"
            + self.filler("会议", rng.randint(1, 2))
        )
        others = [p for p in self.people(rng.randint(2, 5), self.leader) if p not in (lead, chair)]
        body.append(
            "、".join(self.mention(p) for p in others) + "出席会议。" if others
            else f"各{c.districts[0][-1]}、市直各部门主要负责同志参加会议。"
        )
        return [f"{lead.name}在{form}上{rng.choice(('要求', '指出', '强调'))}"], headline, [f"{chair.name}主持"], body

    def symposium(self, d: dt.date) -> Parts:
        rng, c = self.rng, self.c
        topic = rng.choice(TOPICS)
        district = rng.choice(c.districts)
        name = rng.choice((f"{topic}座谈会", "民营企业家座谈会", f"{district}{topic}座谈会", "专家学者座谈会"))
        lead = self.leader()
        presenters = self.people(rng.randint(3, 6), self.local)
        body = [
            f"{self.md(d - dt.timedelta(days=rng.randint(0, 2)))},{name}在{district}召开。"
            f"{self.mention(lead)}出席并讲话。" + "、".join(p.name for p in presenters[:2]) + "等作交流发言。",
            "座谈会上," + ",".join(f"{self.mention(p)}介绍了{rng.choice(OBJECTS)}情况" for p in presenters[2:]) + "。"
            if len(presenters) > 2 else self.filler("与会人员", 1),
            self.filler(lead.name, rng.randint(2, 3)),
            self.background(),
        ]
        return [], f"{c.name[:-1]}召开{name}", [f"{lead.name}出席"], body

    def congress(self, d: dt.date) -> Parts:
        rng, c = self.rng, self.c
        full, short = rng.choice(PARTIES)
        n, k = rng.randint(6, 14), rng.randint(8, 16)
        name = f"{full}{c.name}第{numeral(n)}次代表大会"
        guest, ldr = self.local(), self.leader(8)
        chair, *vices = self.people(rng.randint(3, 6), self.local)
        committee = f"{short}{c.name}第{numeral(k)}届委员会"
        body = [
            f"{self.md(d - dt.timedelta(days=1))},{name}举行。{self.mention(guest)}致贺词,{self.mention(ldr)}出席。",
            f"大会选举产生了{committee}。{chair.name}当选{committee}主委。"
            + "、".join(p.name for p in vices) + f"当选{committee}副主委。",
            self.background(),
            self.filler("大会", rng.randint(2, 4)),
        ]
        return [], f"{name}{rng.choice(('召开', '开幕'))}", [], body

    def award(self, d: dt.date) -> Parts:
        rng, c = self.rng, self.c
        topic = rng.choice(TOPICS)
        total, part = self.amount(), self.amount()
        n = rng.randint(5, 40)
        name = rng.choice((f"全市{topic}表彰大会", f"{d.year - 1}年度{topic}颁奖仪式"))
        presenter = self.leader(6)
        winners = self.people(rng.randint(2, 4), self.local)
        orgs = rng.sample(c.companies, 2)
        body = [
            f"{self.md(d - dt.timedelta(days=1))}召开的{name}上,{self.mention(presenter)}为{'、'.join(orgs)}等"
            f"{n}家单位颁发奖牌,共发放奖励资金{total}。",
            "、".join(p.name for p in winners) + f"等{len(winners)}人受表彰,其中{orgs[0]}获得补助{part}。",
            self.filler("会议", rng.randint(1, 3)),
            self.background(),
        ]
        return [], f"{c.name[:-1]}表彰{n}家先进单位 发放奖励资金{total}", [], body

    def lecture(self, d: dt.date) -> Parts:
        rng, c = self.rng, self.c
        org = rng.choice(("市政协", "市人大常委会", f"市{rng.choice(BUREAUS)}", rng.choice(c.colleges)))
        lecturer, host = self.local(), self.leader(10)
        body = [
            f"{self.md(d - dt.timedelta(days=1))},{org}召开主题宣讲会。{self.mention(host)}到会指导。",
            f"{self.mention(lecturer)}围绕{rng.choice(OBJECTS)}、{rng.choice(OBJECTS)}作专题宣讲。"
            + self.filler("宣讲会", rng.randint(1, 3)),
            self.filler("与会人员", rng.randint(1, 2)),
        ]
        return [], f"{org}开展{rng.choice(OBJECTS)}主题宣讲", [f"{host.name}出席"], body

    def general(self, d: dt.date) -> Parts:
        rng = self.rng
        obj = rng.choice(OBJECTS)
        expert = self.local()
        district = rng.choice(self.c.districts)
        body = [
            f"今年以来,{district}围绕{obj}累计完成投资{self.amount()},"
            f"{rng.choice(VERBS)}{rng.choice(OBJECTS)}。" + self.filler("有关负责人", 1),
            self.background(),
            f"{self.mention(expert)}介绍," + self.filler("", rng.randint(1, 3)),
        ]
        return [], f"{district}{obj}取得新进展", [], body

    KINDS = (("meeting", 35), ("symposium", 15), ("congress", 10), ("award", 15), ("lecture", 10), ("general", 15))

    def article(self, d: dt.date, first: bool, page_no: int) -> str:
        rng = self.rng
        kind = rng.choices([k for k, _ in self.KINDS], [w for _, w in self.KINDS])[0]
        kickers, headline, subtitles, body = getattr(self, kind)(d)
        for _ in range(rng.randint(1, 4)):  # the policy paragraphs that make up most of a real story
            body.insert(len(body) - 1, self.filler(rng.choice(("会议", "与会人员", "大家", "")), rng.randint(2, 4)))
        seen = self.c.headlines_by_day.setdefault(d.isoformat(), set())
        while headline in seen:  # a paper prints a headline once a day: keep article IRIs apart
            headline += rng.choice("一二三四五六七八九")
        seen.add(headline)
        lines = [*kickers, f"# {headline}", *subtitles] if first else [f"## {headline}", *subtitles[:1]]
        if rng.random() < 0.35:
            lines += [rng.choice(CAPTIONS), f"{rng.choice(self.c.photographers)}摄"]
        dateline, needs_signature = self.byline()
        body[0] = f"{dateline} {body[0]}"
        if needs_signature:
            body[-1] += f"({rng.choice(self.c.reporters)})"
        elif first and page_no == 1 and rng.random() < 0.3:
            body[-1] += f"(下转第{rng.randint(2, 4)}版)"
        return "\n".join(lines) + "\n\n" + "\n\n".join(body) + "\n"


def generate(out: Path, articles: int, seed: int = 1, start: str = "2019-01-01") -> dict:
    """Write ``articles`` articles as pages under ``out``; returns (and writes) the manifest."""
    t0 = time.perf_counter()
    world = World(seed, articles)
    rng = world.rng
    out.mkdir(parents=True, exist_ok=True)
    day0 = dt.date.fromisoformat(start)
    written = pages = chars = nbytes = 0
    day = {c.code: 0 for c in world.cities}
    page_no = {c.code: 0 for c in world.cities}
    while written < articles:
        city = world.cities[rng.randrange(len(world.cities))]
        writer = Writer(world, city)
        page_no[city.code] += 1
        if page_no[city.code] > 4:
            page_no[city.code] = 1
            day[city.code] += 1
        d = day0 + dt.timedelta(days=day[city.code])
        n = min(articles - written, rng.choice((1, 2, 2, 3, 3, 4, 5)))
        text = "\n\n".join(writer.article(d, i == 0, page_no[city.code]) for i in range(n))
        folder = out / city.code / f"{d.year}" / f"{d.month:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        stem = f"{d.isoformat()}_p{page_no[city.code]:02d}"
        data = text.encode("utf-8")
        (folder / f"{stem}.txt").write_bytes(data)
        meta = {"publication": city.paper, "date": d.isoformat(), "locality": city.name}
        (folder / f"{stem}.meta.json").write_text(json.dumps(meta, ensure_ascii=False) + "\n", encoding="utf-8")
        written += n
        pages += 1
        chars += len(text)
        nbytes += len(data)
    manifest = {
        "seed": seed,
        "articles": written,
        "pages": pages,
        "chars": chars,
        "bytes": nbytes,
        "cities": [c.name for c in world.cities],
        "people": len(world.used_names),
    }
    (out / "corpus.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return {**manifest, "seconds": round(time.perf_counter() - t0, 2)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=1000, help="how many articles (e.g. 1000, 10000, 100000)")
    ap.add_argument("--seed", type=int, default=1, help="random seed: same seed, same corpus")
    ap.add_argument("--out", type=Path, required=True, help="output folder (created)")
    ap.add_argument("--start", default="2019-01-01", help="date of the first issue")
    args = ap.parse_args(argv)
    if args.articles < 1:
        ap.error("--articles must be at least 1")
    m = generate(args.out, args.articles, args.seed, args.start)
    print(
        f"{args.out}: {m['articles']} articles on {m['pages']} pages, {m['chars']} chars, "
        f"{m['people']} people, {m['seconds']} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
