"""The parser against the five real resolutions, their re-encodings, and broken files.

The golden files in tests/golden were checked paragraph by paragraph against the sources by
eye; the tests compare every field of every paragraph.
"""

import codecs
import json
import re

import pytest
from conftest import CORPUS, GOLDEN

from search.clauses import match_lead, normalize_verb
from search.model import FOOTNOTE, OPERATIVE, PREAMBLE
from search.parser import ParseError, parse_bytes, parse_file, parse_text

GOLDEN_FILES = sorted(GOLDEN.glob("*.json"))
EXPECTED_COUNTS = {  # (preambular, operative) as the issue gives them
    "68/46": (14, 11),
    "68/64": (12, 10),
    "67/38": (14, 9),
    "72/251": (15, 22),
    "75/47": (14, 9),
}
FULL_WIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")


def load_golden(path):
    """The golden record, with the fields added since it was checked filled in as they must
    be for these five: General Assembly, year of the date, no parts, no warnings."""
    data = json.loads(path.read_text(encoding="utf-8"))
    data["body"] = "GA"
    data["year"] = int(data["date"][:4])
    data["parts"] = {}
    data["warnings"] = []
    for paragraph in data["paragraphs"]:
        paragraph["part"] = None
    return data.pop("file"), data


@pytest.mark.parametrize("golden", GOLDEN_FILES, ids=lambda p: p.stem)
def test_parse_matches_golden_file(golden):
    source, expected = load_golden(golden)
    assert parse_file(CORPUS / source).to_dict() == expected


def test_paragraph_counts_match_the_issue(corpus_files):
    counts = {}
    for path in corpus_files:
        resolution = parse_file(path)
        kinds = [p.type for p in resolution.paragraphs]
        counts[resolution.number] = (kinds.count(PREAMBLE), kinds.count(OPERATIVE))
    assert counts == EXPECTED_COUNTS


def test_metadata_of_pdf_resolution():
    resolution = parse_file(CORPUS / "000_00f2a18be826c79a.txt")
    assert (resolution.symbol, resolution.number, resolution.session) == (
        "A/RES/68/46",
        "68/46",
        68,
    )
    assert resolution.title == "推进多边核裁军谈判"
    assert (resolution.date, resolution.meeting) == ("2013-12-05", 60)
    assert (resolution.committee, resolution.report) == ("第一委员会", "A/68/411")
    assert resolution.agenda_item is None


def test_metadata_of_markdown_resolution():
    resolution = parse_file(CORPUS / "004_1060b8f6ddc9584f.txt")
    assert resolution.number == "75/47"
    assert (resolution.committee, resolution.report) == ("第一委员会", "A/75/399")
    assert resolution.agenda_item == "103(u)"
    assert (resolution.date, resolution.meeting) == ("2020-12-07", 37)


def test_missing_adoption_line_gives_nulls_not_guesses():
    resolution = parse_file(CORPUS / "002_9173574a0d462b55.txt")
    assert (resolution.committee, resolution.report) == (None, None)


def test_no_extraction_debris_in_any_paragraph(corpus_files):
    debris = re.compile(r"A/RES/|\*\*|<sup>|\]\(#\)|_{3}|^\d+[.．]|(.{2,})\1\1\1|\s$|^\s")
    for path in corpus_files:
        for paragraph in parse_file(path).paragraphs:
            assert not debris.search(paragraph.text), (path.name, paragraph.text)


def test_bold_repetition_collapsed_and_lead_read():
    paragraphs = parse_file(CORPUS / "000_00f2a18be826c79a.txt").paragraphs
    third_operative = [p for p in paragraphs if p.type == OPERATIVE][2]
    assert third_operative.lead == "确认"
    assert third_operative.text.startswith("确认国际组织")
    first_operative = [p for p in paragraphs if p.type == OPERATIVE][0]
    assert (first_operative.lead, first_operative.verb) == ("满意地注意到", "注意到")


def test_marker_splitting_a_word_is_removed():
    paragraphs = parse_file(CORPUS / "001_c02938ddcf51bef6.txt").paragraphs
    third = [p for p in paragraphs if p.type == OPERATIVE][2]
    assert "关于工作方案的决定以及" in third.text
    assert third.footnotes == [2]


def test_footnote_body_that_lost_its_number_takes_its_markers_number():
    footnotes = [
        p for p in parse_file(CORPUS / "001_c02938ddcf51bef6.txt").paragraphs if p.type == FOOTNOTE
    ]
    assert [(f.number, f.text) for f in footnotes] == [
        (1, "《大会正式记录，第六十八届会议，补编第 27 号》(A/68/27)。"),
        (2, "同上，《第六十四届会议，补编第 27 号》(A/64/27)，第 18 段。"),
        (3, "同上，《第六十八届会议，补编第 27 号》(A/68/27)，第 18 段。"),
    ]


def test_citations_are_canonical():
    paragraphs = parse_file(CORPUS / "002_9173574a0d462b55.txt").paragraphs
    assert paragraphs[1].cites[0] == "56/24 T"
    footnote = parse_file(CORPUS / "000_00f2a18be826c79a.txt").paragraphs[-5]
    assert footnote.cites == ["S-10/2"]


def variants(data: bytes):
    text = data.decode("utf-8")
    yield "gb18030", text.encode("gb18030")
    yield "bom-crlf", codecs.BOM_UTF8 + text.replace("\n", "\r\n").encode("utf-8")
    yield "utf16", codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    yield "full-width-digits", text.translate(FULL_WIDTH_DIGITS).encode("utf-8")


@pytest.mark.parametrize("golden", GOLDEN_FILES, ids=lambda p: p.stem)
def test_reencoded_files_parse_the_same(golden):
    source, expected = load_golden(golden)
    for name, data in variants((CORPUS / source).read_bytes()):
        assert parse_bytes(data, source=name).to_dict() == expected, name


def error_of(data: bytes) -> str:
    with pytest.raises(ParseError) as caught:
        parse_bytes(data, source="bad.txt")
    message = str(caught.value)
    assert message.startswith("bad.txt: ")
    assert "\n" not in message
    return message


def test_empty_and_blank_files_are_refused():
    assert "empty" in error_of(b"")
    assert "empty" in error_of(b" \n\r\n \n")


def test_binary_file_is_refused():
    assert "binary" in error_of(bytes(range(256)) * 20)
    assert "binary" in error_of(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")


def test_truncated_file_is_parsed_as_far_as_it_goes_with_warnings():
    text = (CORPUS / "000_00f2a18be826c79a.txt").read_text(encoding="utf-8")
    cut = text[: text.index("人道主义后果")]
    resolution = parse_bytes(cut.encode(), source="cut.txt")
    assert resolution.number == "68/46"
    assert [(p.lead, p.text[-8:]) for p in resolution.paragraphs] == [
        ("回顾", "无核武器世界而拟定建议，"[-8:]),
        ("深为关切", "用都会导致灾难性"),
    ]
    assert resolution.date is None
    assert resolution.warnings == [
        "the text is cut short: its last paragraph ends mid-sentence (…的任何使用都会导致灾难性) "
        "and no adoption date or meeting follows",
        "the text has no operative paragraph: the text is cut short",
        "no adoption date found",
    ]


def test_text_with_a_title_and_no_paragraph_is_refused():
    assert "no paragraph" in error_of("68/46. 推进多边核裁军谈判\n\n大会，\n".encode())


def test_non_resolution_text_is_refused():
    assert "not a resolution" in error_of("今天天气很好。\n我们去公园散步。\n".encode())
    assert "not a resolution" in error_of(b"# README\n\nSome English text.\n")


def test_invalid_date_is_a_warning():
    text = (CORPUS / "000_00f2a18be826c79a.txt").read_text(encoding="utf-8")
    bad = parse_text(text.replace("2013 年 12 月 5日", "2013 年 13 月 45日"), source="bad.txt")
    assert bad.date is None
    assert bad.meeting == 60
    assert bad.warnings[0] == "adoption date out of range: 2013 年 13 月 45日"


def test_parse_text_and_parse_file_agree(corpus_files):
    for path in corpus_files:
        text = path.read_text(encoding="utf-8")
        assert parse_text(text, source=path.name) == parse_file(path)


def test_missing_file_is_a_parse_error(tmp_path):
    with pytest.raises(ParseError, match="cannot read"):
        parse_file(tmp_path / "nowhere.txt")


SUBPARAGRAPHS_AND_ANNEX = """ [根据第六委员会的报告(A/70/500)通过] 

70/99. 测试决议 

 大会大会大会大会， 

 回顾回顾回顾回顾其以往决议， 

 1. 决定决定决定决定： 

 (a) 设立一个工作组； 

 (b) 请秘书长提出报告； 

 2. 请请请请秘书长执行本决议。 

2015 年 12 月 9 日 

第 75 次全体会议 

附件

 1. 工作组由十名成员组成； 

 2. 工作组每年开会一次。 
"""


def test_subparagraphs_and_annex_paragraphs_are_typed():
    resolution = parse_text(SUBPARAGRAPHS_AND_ANNEX, source="70-99.txt")
    shape = [(p.type, p.number, p.item, p.text) for p in resolution.paragraphs]
    assert shape == [
        ("preamble", None, None, "回顾其以往决议，"),
        ("operative", 1, None, "决定："),
        ("subparagraph", 1, "a", "设立一个工作组；"),
        ("subparagraph", 1, "b", "请秘书长提出报告；"),
        ("operative", 2, None, "请秘书长执行本决议。"),
        ("annex", 1, None, "工作组由十名成员组成；"),
        ("annex", 2, None, "工作组每年开会一次。"),
    ]
    assert (resolution.committee, resolution.report, resolution.meeting) == (
        "第六委员会",
        "A/70/500",
        75,
    )


@pytest.mark.parametrize(
    ("lead", "verb"),
    [
        ("表示继续关切", "关切"),
        ("表示最嚴重關切", "严重关切"),
        ("进一步请", "请"),
        ("继续鼓励", "鼓励"),
    ],
)
def test_words_of_degree_before_the_verb_are_not_the_verb(lead, verb):
    assert match_lead(lead + "各国") == lead
    assert normalize_verb(lead) == verb
