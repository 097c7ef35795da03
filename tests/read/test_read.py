"""Reading pages into articles: headlines, credits, continuation markers and source offsets."""

from __future__ import annotations

import datetime as dt

import pytest

from kg.errors import InputError
from kg.model import Publication
from kg.read import read_page, read_source
from kg.read.source import decode


@pytest.fixture(scope="module")
def seed(seed_path):
    src = read_source(seed_path)
    return src, read_page(src.text, src.publication, seed_path.name, src.sha256)


def test_sidecar_metadata(seed):
    src, _ = seed
    assert src.publication == Publication("太原日报", dt.date(2022, 1, 13), "太原市")


def test_seed_has_its_six_articles_with_printed_headlines(seed, seed_gold):
    _, arts = seed
    assert len(arts) == 6
    for art, gold in zip(arts, seed_gold["articles"], strict=True):
        assert any(h.replace(" ", "") in art.headline.replace(" ", "") for h in gold["headline"]), art.headline


def test_seed_credits_match_gold(seed, seed_gold):
    _, arts = seed
    got = {(c.name, "Photographer" if c.role == "photographer" else "byline") for a in arts for c in a.credits}
    want = {(c["names"][0], "Photographer" if c["role"] == "Photographer" else "byline") for c in seed_gold["credits"]}
    assert got == want


def test_kickers_and_subtitles(seed):
    _, arts = seed
    kinds = [(h.kind, h.text) for h in arts[0].headlines]
    assert kinds[0][0] == "kicker" and kinds[1][0] == "main" and kinds[2][0] == "subtitle"
    assert all(h.kind != "main" for h in arts[3].headlines[:3])


def test_continuations_are_data_not_text(seed):
    src, arts = seed
    conts = [c for a in arts for c in a.continuations]
    assert len(conts) == 3
    assert all(c.direction == "to" and c.page == 3 for c in conts)
    assert all("下转" not in a.body for a in arts)
    for c in conts:
        assert src.text[c.span.start : c.span.end] == c.text


def test_offsets_point_into_the_source(seed):
    src, arts = seed
    for a in arts:
        for seg in a.segments:
            assert (
                a.body[seg.body_start : seg.body_start + seg.length]
                == src.text[seg.source_start : seg.source_start + seg.length]
            )
        for c in a.credits:
            assert src.text[c.span.start : c.span.end] == c.name
        i = a.body.index("。")
        assert src.text[a.to_source(i)] == "。"


def test_page_broken_paragraph_is_joined(seed):
    _, arts = seed
    assert "共同建设科研平台" in arts[0].body
    assert "技术攻关项目" in arts[1].body


def test_bylines_of_several_forms():
    page = (
        "# 某市召开工作会议\n\n"
        "本报讯 (记者欧阳明 通讯员司马青、卫东) 昨天,某市召开工作会议。\n\n"
        "会议强调,要抓好落实。(冯远)\n"
    )
    (art,) = read_page(page)
    roles = {(c.name, c.role) for c in art.credits}
    assert roles == {("欧阳明", "reporter"), ("司马青", "correspondent"), ("卫东", "correspondent"), ("冯远", "author")}
    assert art.body.splitlines()[1].startswith("昨天")
    assert "冯远" not in art.body


def test_photo_credit_and_author_lines():
    page = "# 标题一则\n\n□ 钱小明 摄\n\n2020-01-01 10:00 来源:某报 作者:孙大伟\n\n正文第一句。\n"
    (art,) = read_page(page)
    assert {(c.name, c.role) for c in art.credits} == {("钱小明", "photographer"), ("孙大伟", "author")}


def test_team_byline_with_text_and_photo_marker():
    page = "# 标题\n\n本网讯(记者 甘一 柯二 文/图)1月7日下午,会议闭幕。\n"
    (art,) = read_page(page)
    assert [c.name for c in art.credits] == ["甘一", "柯二"]


def test_parenthesis_that_is_not_a_signature():
    page = "# 标题\n\n会议审议了有关办法(试行)。\n"
    (art,) = read_page(page)
    assert art.credits == []


def test_banner_without_text_is_not_an_article():
    page = "## 专栏名\n\n口号一句 口号二句\n\n# 真正的标题\n\n正文。\n\n## 另一篇\n\n另一篇的正文。\n"
    arts = read_page(page)
    assert [a.headline for a in arts] == ["真正的标题", "另一篇"]
    assert [h.text for h in arts[0].headlines if h.kind == "kicker"] == ["专栏名", "口号一句 口号二句"]


def test_same_headline_twice_gets_two_ids():
    arts = read_page("# 同一标题\n\n甲文。\n\n# 同一标题\n\n乙文。\n")
    assert len({a.id_key for a in arts}) == 2


def test_crlf_and_bom(tmp_path):
    p = tmp_path / "a.txt"
    p.write_bytes("\ufeff# 标题\r\n\r\n正文一句。\r\n".encode())
    src = read_source(p)
    (art,) = read_page(src.text)
    assert art.headline == "标题" and art.body.endswith("正文一句。")


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "empty file"),
        (b"  \n\n", "empty file"),
        ("# 标题\n\n正文。".encode("gbk"), "--encoding gb18030"),
        (b"<!DOCTYPE html><html><body>x</body></html>", "HTML"),
        (b"# a\n\x00\x01", "NUL"),
    ],
)
def test_bad_bytes_get_clear_errors(data, message):
    with pytest.raises(InputError, match=message):
        decode(data, "x.txt")


def test_gbk_page_reads_with_encoding(tmp_path):
    p = tmp_path / "gbk.txt"
    p.write_bytes("# 标题\n\n正文。\n".encode("gb18030"))
    with pytest.raises(InputError, match="not UTF-8.*offset"):
        read_source(p)
    assert read_page(read_source(p, encoding="gb18030").text)[0].headline == "标题"


def test_no_recognisable_article():
    with pytest.raises(InputError, match="no recognisable article"):
        read_page("这是一段很长的文字,没有任何标题,也没有任何可以识别为标题的短行,所以不能当作一篇文章来读。\n")
    with pytest.raises(InputError, match="no recognisable article"):
        read_page("# 只有标题\n\n## 还是标题\n")


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_source(tmp_path / "nope.txt")


def test_photo_credit_in_brackets_with_a_rare_surname():
    page = "# 标题\n\n会议以视频形式召开。\n\n(虎雅琴 摄)\n"
    (art,) = read_page(page)
    assert [(c.name, c.role) for c in art.credits] == [("虎雅琴", "photographer")]
    page = "# 标题\n\n（本报记者 龟一 摄）\n\n会议召开。\n"
    (art,) = read_page(page)
    assert [(c.name, c.role) for c in art.credits] == [("龟一", "photographer")]


def test_bare_signature_needs_a_known_surname():
    (art,) = read_page("# 标题\n\n会议审议通过了有关文件。(附件)\n")
    assert art.credits == []


def test_photo_credit_after_a_caption_on_one_line():
    (art,) = read_page("# 标题\n\n会议召开。\n\n图为会议现场。记者 甘小雨 摄\n")
    assert [(c.name, c.role) for c in art.credits] == [("甘小雨", "photographer")]
    assert art.body.endswith("图为会议现场。")
    (art,) = read_page("# 标题\n\n会议召开。照片由记者王小明拍摄\n")
    assert art.credits == []


def test_photo_credit_with_a_middle_dot_name() -> None:
    """Transliterated minority names keep their middle dot and may be longer than six characters."""
    from kg.read.credits import find_photo_credit, find_trailing_photo_credit

    got = find_trailing_photo_credit("会场一角。阿布都拉·买买提明 摄")
    assert got is not None and [n.name for n in got.names] == ["阿布都拉·买买提明"]
    got = find_photo_credit("阿布都拉·买买提明 摄")
    assert got is not None and [n.name for n in got.names] == ["阿布都拉·买买提明"]


def test_reporter_ranked_by_the_paper_is_no_name():
    """(分站记者 某某), (首席记者 某某): the rank before 记者 is part of the credit word."""
    (art,) = read_page("# 标题\n\n某网临川讯(分站记者 蔺秋原) 5月3日,会议召开。\n")
    assert [(c.name, c.role) for c in art.credits] == [("蔺秋原", "reporter")]
    (art,) = read_page("# 标题\n\n本报讯(首席记者 蔺秋原 通讯员 杭小满) 会议召开。\n")
    assert [(c.name, c.role) for c in art.credits] == [("蔺秋原", "reporter"), ("杭小满", "correspondent")]


def test_caption_with_a_boxed_slash_photo_credit():
    (art,) = read_page("# 标题\n\n掌声献给乡邻。□本报记者/庞新禾 摄\n\n3月3日,颁奖典礼举行。\n")
    assert [(c.name, c.role) for c in art.credits] == [("庞新禾", "photographer")]
    assert "庞新禾" not in art.body


def test_source_line_with_names_before_the_publisher():
    """某某 某某 某县融媒体中心 2023-03-08 07:40:19 under the headline: the names are the authors."""
    (art,) = read_page("# 标题\n\n程慕白 闻夕照 青溪县融媒体中心 2023-03-08 07:40:19\n\n3月6日晚,大赛举行。\n")
    assert [(c.name, c.role) for c in art.credits] == [("程慕白", "author"), ("闻夕照", "author")]
    assert "融媒体中心" not in art.body


def test_captions_run_together_with_prize_levels():
    """title + 某某摄(X等奖), several in a row before the lead: each photographer is a credit."""
    page = ("# 标题\n\n山村晨雾蒲清远摄(二等奖)新村夜景邢晚晴摄(一等奖)本刊讯今天上午,摄影大赛颁奖仪式举行。\n")
    (art,) = read_page(page)
    assert [(c.name, c.role) for c in art.credits] == [("蒲清远", "photographer"), ("邢晚晴", "photographer")]
    assert art.body.split("\n")[-1].startswith("本刊讯今天上午")


def _credits_of(page: str) -> list[tuple[str, str]]:
    (art,) = read_page(page)
    return [(c.name, c.role) for c in art.credits]


def test_name_padded_with_a_space_is_one_name():
    assert _credits_of("# 标题\n\n本报讯(记者 蔺 菲 通讯员 杭小满) 5月3日,会议召开。\n") == [
        ("蔺菲", "reporter"), ("杭小满", "correspondent")]


def test_text_and_photo_marks_before_the_names():
    assert _credits_of("# 标题\n\n文/图 本报记者 蔺秋原 杭小满\n\n5月3日,会议召开。\n") == [
        ("蔺秋原", "reporter"), ("杭小满", "reporter")]
    assert _credits_of("# 标题\n\n文/本报记者 蔺秋原 图/杭小满\n\n5月3日,会议召开。\n") == [
        ("蔺秋原", "reporter"), ("杭小满", "photographer")]


def test_trailing_byline_with_spaced_credit_word():
    """记 者 甲 见习记者 乙 on the article's last line."""
    (art,) = read_page("# 标题\n\n5月3日,会议召开。县长汤立新出席。\n\n记 者 蔺秋原 见习记者 杭小满\n")
    assert [(c.name, c.role) for c in art.credits] == [("蔺秋原", "reporter"), ("杭小满", "reporter")]
    assert "记" not in art.body.split("\n")[-1]


def test_signature_followed_by_the_source_paper():
    (art,) = read_page("# 标题\n\n本报讯 5月3日,青溪县召开会议。县长汤立新出席。(蔺秋原)(某某日报)\n")
    assert [(c.name, c.role) for c in art.credits] == [("蔺秋原", "author")]
    assert art.body.endswith("出席。")


def test_each_signed_brief_under_one_headline():
    page = "# 简讯\n\n5月3日,青溪县召开防汛会议。(蔺秋原)\n\n5月4日,柳川镇举办培训班。(杭小满)\n"
    assert _credits_of(page) == [("蔺秋原", "author"), ("杭小满", "author")]


def test_names_before_the_papers_name():
    assert _credits_of("# 标题\n\n蔺秋原 杭小满 青溪日报\n\n5月3日,会议召开。\n") == [
        ("蔺秋原", "author"), ("杭小满", "author")]


def test_more_credit_forms_of_local_sites():
    """据某报报道(记者 …) after the site's dateline; （特约摄影 某某）; （某县图书馆：某某）."""
    assert _credits_of("# 标题\n\n某网3月4日讯 据某某日报报道(记者 蔺秋原 杭小满) 3月2日晚,晚会举行。\n") == [
        ("蔺秋原", "reporter"), ("杭小满", "reporter")]
    assert _credits_of("# 标题\n\n5月3日,会议召开。(特约摄影 蔺秋原)\n") == [("蔺秋原", "photographer")]
    assert _credits_of("# 标题\n\n5月3日,会议召开。(青溪县图书馆:蔺秋原)\n") == [("蔺秋原", "author")]


def test_dateline_byline_under_a_photo_caption():
    page = ("# 标题\n\n图为晚会现场。 记者 蔺秋原 摄\n\n"
            "某网3月4日讯 据某某日报报道(记者 杭小满 童可卿) 3月2日晚,晚会举行。\n")
    assert _credits_of(page) == [("蔺秋原", "photographer"), ("杭小满", "reporter"), ("童可卿", "reporter")]


def test_labelled_source_fields_and_editors():
    """来源: 作者: 实习生: 编辑: and a time: writers are credits, editors are not, the line leaves the body."""
    (art,) = read_page("# 标题\n\n来源:青溪融媒体中心 作者:蔺秋原 杭小满 实习生:童可卿 编辑:邢岚 "
                       "2021-03-01 16:43:19\n\n3月1日,仪式举行。\n")
    assert [(c.name, c.role) for c in art.credits] == [
        ("蔺秋原", "author"), ("杭小满", "author"), ("童可卿", "correspondent")]
    assert "邢岚" not in art.body
    assert _credits_of("# 标题\n\n5月3日,会议召开。(记者 蔺秋原 编辑 杭小满)\n") == [("蔺秋原", "reporter")]


def test_dateline_byline_without_brackets_closed_by_a_report_word():
    """本网讯 记者甲 通讯员乙报道： is a byline and leaves the body; 本报讯 记者从某局获悉 is the sentence's subject."""
    (art,) = read_page("# 标题\n\n本网讯 记者蔺秋原 通讯员杭小满报道：3月1日，全市会议召开。\n")
    assert [(c.name, c.role) for c in art.credits] == [("蔺秋原", "reporter"), ("杭小满", "correspondent")]
    assert art.body.splitlines()[-1].startswith("3月1日")
    assert _credits_of("# 标题\n\n青溪网讯 记者 蔺秋原 童可卿 报道 3月1日，会议召开。\n") == [
        ("蔺秋原", "reporter"), ("童可卿", "reporter")]
    assert _credits_of("# 标题\n\n本报讯 记者从市教育局获悉，今年将新建三所学校。\n") == []
