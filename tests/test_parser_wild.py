"""The ten real texts of tests/data/wild (see PROVENANCE.md there): what ``unres parse``
must read from each — symbol, body, session, date where printed, every operative paragraph
with its verb, the citations, and what it warns about."""

from __future__ import annotations

from pathlib import Path

import pytest

from search.model import FOOTNOTE, OPERATIVE, PREAMBLE, SUBPARAGRAPH
from search.parser import ParseError, parse_file

WILD = Path(__file__).resolve().parent / "data" / "wild"


def parsed(name: str):
    return parse_file(WILD / f"{name}.txt")


def operatives(resolution) -> list[tuple]:
    """(part, number, item, verb, first characters) of each operative paragraph and item."""
    return [
        (p.part, p.number, p.item, p.verb, p.text[:6])
        for p in resolution.paragraphs
        if p.type in (OPERATIVE, SUBPARAGRAPH)
    ]


def cites(resolution) -> list[str]:
    return [cite for p in resolution.paragraphs for cite in p.cites]


IDENTITY = {  # symbol, number, body, session, year, date, meeting, title
    "ga_1514_XV_wikisource_trad_pages1-2": (
        "A/RES/1514 (XV)", "1514 (XV)", "GA", 15, 1960, "1960-12-14", 947,
        "關於准許殖民地國家及民族獨立之宣言",
    ),
    "ga_2758_XXVI_blog_trad_bilingual": (
        "A/RES/2758 (XXVI)", "2758 (XXVI)", "GA", 26, 1971, "1971-10-25", 1976,
        "恢復中華人民共和國在聯合國的合法權利",
    ),
    "ga_3390_XXX_A_unfocusmirror_partial": (
        "A/RES/3390 (XXX)", "3390 (XXX)", "GA", 30, None, None, None, "朝鲜问题",
    ),
    "ga_4_I_1946_wikisource": (
        "A/RES/4 (I)", "4 (I)", "GA", 1, 1946, "1946-02-14", 31,
        "非政府组织代表出席经济暨社会理事会",
    ),
    "ga_50_72_static_un_org_partial": (
        "A/RES/50/72", "50/72", "GA", 50, 1995, "1995-12-12", 90,
        "审查大会第十届特别会议通过的建议和决定的执行情况",
    ),
    "ga_54_254_chinanews": (
        "A/RES/54/254", "54/254", "GA", 54, 2000, "2000-03-15", 93, "联合国千年首脑会议",
    ),
    "sc_2446_2018_zhonghuashu": (
        "S/RES/2446 (2018)", "2446 (2018)", "SC", None, 2018, "2018-11-15", 8401, "",
    ),
    "sc_368_1975_wikisource": (
        "S/RES/368 (1975)", "368 (1975)", "SC", None, 1975, "1975-04-17", 1821, "",
    ),
    "sc_56_1948_wikisource_trad": (
        "S/RES/56 (1948)", "56 (1948)", "SC", None, 1948, "1948-08-19", 354, "",
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(IDENTITY))
def test_identity_of_each_real_text(name):
    r = parsed(name)
    got = (r.symbol, r.number, r.body, r.session, r.year, r.date, r.meeting, r.title)
    assert got == IDENTITY[name]


OPERATIVES = {
    "ga_1514_XV_wikisource_trad_pages1-2": [
        (None, None, None, "宣布", "鄭重宣布有迅"),
        (None, None, None, None, "且為此目的宣"),
        (None, 1, None, None, "各民族之受異"),
        (None, 2, None, None, "所有民族均有"),
        (None, 3, None, None, "絕對不得以政"),
        (None, 4, None, None, "對未獨立民族"),
        (None, 5, None, None, "在託管領土及"),
        (None, 6, None, None, "凡以局部破壞"),
        (None, 7, None, None, "所有國家均應"),
    ],
    "ga_2758_XXVI_blog_trad_bilingual": [(None, None, None, "决定", "決定:恢復中")],
    "ga_3390_XXX_A_unfocusmirror_partial": [
        ("A", 1, None, "重申", "重申其会员国"),
        ("A", 2, None, "希望", "希望所有直接"),
        ("A", 3, None, None, "教促所有直接"),  # 敦促 misprinted by the OCR
    ],
    "ga_4_I_1946_wikisource": [
        (None, None, None, "建议", "建议:"),
        (None, None, "甲", None, "经济暨社会理"),
        (None, None, "乙", None, "经济暨社会理"),
    ],
    "ga_50_72_static_un_org_partial": [
        ("A", 1, None, "重申", "重申裁军谈判"),
        ("A", 2, None, "欢迎", "欢迎裁军谈判"),
        ("A", 3, None, "促请", "促请裁军谈判"),
        ("A", 4, None, "承认", "承认裁军谈判"),
        ("A", 5, None, "鼓励", "鼓励审查裁军"),
        ("A", 6, None, "促请", "促请裁军谈判"),
        ("A", 7, None, "请", "请秘书长继续"),
        ("A", 8, None, "请", "请裁军谈判会"),
        ("A", 9, None, "决定", "决定将题为“"),
    ],
    "ga_54_254_chinanews": [
        (None, 1, None, "决定", "决定在“二十"),
        (None, 2, None, "决定", "又决定千年首"),
        (None, 3, None, "决定", "还决定,由于"),
        (None, 4, None, "请", "请大会主席与"),
    ],
    "sc_2446_2018_zhonghuashu": [
        (None, 1, None, "决定", "决定将第23"),
        (None, 2, None, "决定", "决定继续积极"),
    ],
    "sc_368_1975_wikisource": [
        (None, None, None, "决定", "决定:"),
        (None, None, "a", "要求", "要求有关各方"),
        (None, None, "b", None, "将联合国紧急"),
        (None, None, "c", "请", "请秘书长在这"),
    ],
    "sc_56_1948_wikisource_trad": [
        (None, 1, None, "促请", "促請各有關政"),
        (None, 2, None, "决议", "決議推行理事"),
        (None, 2, "甲", None, "各方對在其管"),
        (None, 2, "乙", None, "各方對其所管"),
        (None, 2, "丙", None, "各方對其管轄"),
        (None, 2, "丁", None, "各方均不得以"),
        (None, 2, "戊", None, "各方均不得藉"),
    ],
}


@pytest.mark.parametrize("name", sorted(OPERATIVES))
def test_every_operative_paragraph_with_its_verb(name):
    assert operatives(parsed(name)) == OPERATIVES[name]


CITES = {
    "ga_1514_XV_wikisource_trad_pages1-2": [],
    "ga_2758_XXVI_blog_trad_bilingual": [],
    "ga_3390_XXX_A_unfocusmirror_partial": ["3333 (XXIX)", "711 A (VII)", "811 (IX)"],
    "ga_4_I_1946_wikisource": [],
    "ga_50_72_static_un_org_partial": [],  # CD/1356号决定 is a decision, not a resolution
    "ga_54_254_chinanews": ["53/202", "53/239"],
    "sc_2446_2018_zhonghuashu": [
        *"2121 2127 2134 2149 2181 2196 2212 2217 2262 2264 2281 2301 2339 2387 2399 2272".split(),
        "2387",
    ],
    "sc_368_1975_wikisource": [
        "338 (1973)", "340 (1973)", "341 (1973)", "346 (1974)", "362 (1974)",
        "338 (1973)", "338 (1973)",
    ],
    "sc_56_1948_wikisource_trad": ["54 (1948)", "54 (1948)"],
}  # fmt: skip
YEARS_2446 = dict(
    zip(
        "2121 2127 2134 2149 2181 2196 2212 2217 2262 2264 2281 2301 2339 2387 2399 2272".split(),
        "2013 2013 2014 2014 2014 2015 2015 2015 2016 2016 2016 2016 2017 2017 2018 2016".split(),
    )
)


@pytest.mark.parametrize("name", sorted(CITES))
def test_citations_in_every_form(name):
    expected = CITES[name]
    if name.startswith("sc_2446"):  # a list: 第2121(2013)、2127(2013)、…号决议
        expected = [f"{n} ({YEARS_2446[n]})" for n in expected]
    assert cites(parsed(name)) == expected


def test_preambles_are_read_in_both_scripts():
    trad = parsed("ga_1514_XV_wikisource_trad_pages1-2")
    preamble = [(p.lead, p.verb) for p in trad.paragraphs if p.type == PREAMBLE]
    assert preamble == [
        ("念及", "念及"),
        ("深知", "深知"),
        ("承認", "承认"),
        ("深知", "深知"),
        ("鑑於", "鉴于"),
        ("深知", "深知"),
        ("深信", "深信"),
        ("聲明", "声明"),
        ("深信", "深信"),
        ("歡迎", "欢迎"),
        ("確信", "确信"),
    ]
    # The wiki page-scan lines between the two pages are not text of the resolution.
    assert not any("Page:" in p.text or "校對" in p.text for p in trad.paragraphs)


def test_multi_part_text_cut_short_keeps_both_parts_and_warns():
    r = parsed("ga_50_72_static_un_org_partial")
    assert r.parts == {"A": "裁军谈判会议的报告", "B": "裁军周"}
    assert [(p.part, p.type) for p in r.paragraphs].count(("B", PREAMBLE)) == 5
    assert (r.committee, r.report, r.agenda_item) == ("第一委员会", "A/50/592", "72")
    assert r.paragraphs[0].footnotes == [1]  # 报告,1 in the flattened page
    assert r.paragraphs[6].text.endswith("CD/1356号决定,以及关于尽可能早日执行该项决定的承诺;")
    assert r.warnings == [
        "part B is cut short: its last paragraph ends mid-sentence (…国政府、各国际组织和国家) "
        "and no adoption date or meeting follows",
        "part B has no operative paragraph: the text is cut short",
    ]


def test_partial_text_without_a_date_warns():
    r = parsed("ga_3390_XXX_A_unfocusmirror_partial")
    assert r.warnings == [
        "part A is cut short: its last paragraph ends mid-sentence (…守停战协定并彻底维持该地) "
        "and no adoption date or meeting follows",
        "no adoption date found",
    ]


def test_bilingual_page_keeps_the_chinese_and_says_it_skipped_english():
    r = parsed("ga_2758_XXVI_blog_trad_bilingual")
    assert r.warnings == ["bilingual page: skipped its English text (874 letters)"]
    assert [p.lead for p in r.paragraphs] == ["回顧", "考慮到", "承認", "決定"]
    assert not any("Restoration" in p.text or "資料來源" in p.text for p in r.paragraphs)


def test_council_footnotes_after_the_vote_line():
    footnotes = [p for p in parsed("sc_368_1975_wikisource").paragraphs if p.type == FOOTNOTE]
    assert [(f.number, f.text) for f in footnotes] == [
        (1, "两个理事国(中国和伊拉克)没有参加表决。")
    ]
    trad = [p for p in parsed("sc_56_1948_wikisource_trad").paragraphs if p.type == FOOTNOTE]
    assert [(f.number, f.text) for f in trad] == [
        (32, "此決議草案業經分部表決通過。全文未舉行表決。")
    ]


def test_complete_texts_have_no_warnings():
    for name in IDENTITY:
        if "partial" not in name and "bilingual" not in name:
            assert parsed(name).warnings == [], name


def test_operative_paragraphs_without_their_own_number_are_refused():
    with pytest.raises(ParseError) as caught:
        parsed("ga_61_211_operative_partial_pdftext")
    message = str(caught.value)
    assert "\n" not in message
    assert message.endswith(
        "ga_61_211_operative_partial_pdftext.txt: not a resolution: no number of its own "
        "(no title line such as '68/46. 标题', heading such as '第2446(2018)号决议' "
        "or symbol such as A/RES/68/46)"
    )
