"""The normalization: exact outputs and offsets, and its two paths held equal on the corpus."""

from __future__ import annotations

import random
import sys
import unicodedata
from pathlib import Path

import opencc
import pytest

from search import normalize as normalize_module
from search.normalize import normalize, normalize_with_offsets, to_simplified

CORPUS = Path(__file__).resolve().parent.parent / "index_data"


def _corpus_lines() -> list[str]:
    lines = []
    for path in sorted(CORPUS.glob("*.txt")):
        lines += path.read_text(encoding="utf-8").splitlines()
    return lines


def _rule_fold(char: str) -> str:
    """Rule 2 of the module docstring, spelled out independently of the module."""
    folded = unicodedata.normalize("NFKC", char).casefold()
    return char if any(c.isspace() for c in folded) else folded


T2S = opencc.OpenCC("t2s")


def _rule(char: str) -> str:
    """Rules 2 and 3: fold, then OpenCC's traditional-to-simplified conversion."""
    return T2S.convert(_rule_fold(char))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Spaces beside Chinese are layout; between Latin words or numbers they separate.
        ("2013 年 12 月 5日", "2013年12月5日"),
        ("其中 大会", "其中大会"),
        ("NPT/CONF.2010/50  (Vols", "npt/conf.2010/50 (vols"),
        ("(NPT/CONF.2010/50 \n(Vols.I-III))", "(npt/conf.2010/50 (vols.i-iii))"),
        (
            " 回顾回顾回顾回顾其 2012 年 12 月 3 日第 67/56 号决议， ",
            "回顾回顾回顾回顾其2012年12月3日第67/56号决议,",
        ),
        ("不限成员名额\n\n工作组", "不限成员名额工作组"),
        ("第 56/24 T 号决议", "第56/24 t号决议"),
        ("A/RES/68/46", "a/res/68/46"),
        # Full-width digits, letters and punctuation fold to ASCII.
        ("２０１３年１２月５日", "2013年12月5日"),
        ("ＮＰＴ／ＣＯＮＦ．２０１０／５０", "npt/conf.2010/50"),
        ("大会，回顾（第 67/56 号）；", "大会,回顾(第67/56号);"),
        ("6． 请请请请裁军谈判会议", "6.请请请请裁军谈判会议"),
        # Full-width digits and letters are not CJK: two numbers stay two numbers.
        ("２０１３ １２", "2013 12"),
        ("２０１３ 年", "2013年"),
        # Other whitespace: the ideographic space, tabs, no-break spaces.
        ("回顾\u3000其", "回顾其"),
        ("a\u3000b", "a b"),
        ("Vols.\t\u00a0I", "vols. i"),
        # Characters that expand, and a spacing accent that keeps its form.
        ("㈠ 总则", "(一)总则"),
        ("ﬁnal Straße", "final strasse"),
        ("a ¨ b", "a ¨ b"),
        ("", ""),
        (" \n\t ", ""),
    ],
)
def test_normalize(text: str, expected: str) -> None:
    assert normalize(text) == expected
    assert normalize_with_offsets(text)[0] == expected


@pytest.mark.parametrize(
    ("text", "expected", "offsets"),
    [
        ("2013 年 12 月", "2013年12月", [0, 1, 2, 3, 5, 7, 8, 10, 11]),
        ("NPT  (Vols", "npt (vols", [0, 1, 2, 3, 5, 6, 7, 8, 9, 10]),
        ("２０１３ 年", "2013年", [0, 1, 2, 3, 5, 6]),
        (" a b ", "a b", [1, 2, 3, 5]),
        ("㈠ 总则", "(一)总则", [0, 0, 0, 2, 3, 4]),
        ("Straße 中", "strasse中", [0, 1, 2, 3, 4, 4, 5, 7, 8]),
        ("", "", [0]),
    ],
)
def test_offsets(text: str, expected: str, offsets: list[int]) -> None:
    assert normalize_with_offsets(text) == (expected, offsets)


def test_queries_meet_the_text() -> None:
    forms = {normalize(q) for q in ("2013年", "2013 年", "２０１３ 年", " 2013\n年 ")}
    assert forms == {"2013年"}


def test_both_paths_agree_on_every_corpus_line() -> None:
    lines = _corpus_lines()
    assert len(lines) > 500
    for line in lines:
        normalized, offsets = normalize_with_offsets(line)
        assert normalize(line) == normalized, line
        assert len(offsets) == len(normalized) + 1
        assert offsets[-1] == len(line)
        assert offsets == sorted(offsets)


def test_both_paths_agree_on_whole_files() -> None:
    for path in sorted(CORPUS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        assert normalize(text) == normalize_with_offsets(text)[0]


def test_both_paths_agree_on_generated_text() -> None:
    alphabet = list("核裁军谈判会议2013年abcXYZ./()，；（）。、２０Ａｂ㈠ßﬁ¨《》“”-_") + [
        " ",
        "  ",
        "\n",
        "\t",
        "\u3000",
        "\u00a0",
        "\U00020000",
        "⼀",
    ]
    rng = random.Random(20131205)
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        normalized, offsets = normalize_with_offsets(text)
        assert normalize(text) == normalized, repr(text)
        assert len(offsets) == len(normalized) + 1
        assert normalize(normalized) == normalized, repr(text)


def test_spans_map_back_to_the_original() -> None:
    """A normalized span that starts and ends on whole original characters, not on a
    space, maps back to original text that normalizes to that span."""
    for line in _corpus_lines() + ["㈠ 总则 ﬁnal  Straße ２０１３ 年"]:
        normalized, offsets = normalize_with_offsets(line)
        starts = [
            s
            for s in range(len(normalized))
            if normalized[s] != " " and (s == 0 or offsets[s - 1] != offsets[s])
        ]
        ends = {e for e in range(1, len(normalized) + 1) if offsets[e] != offsets[e - 1]}
        for s in starts:
            for e in range(s + 1, min(s + 8, len(normalized)) + 1):
                if e in ends and normalized[e - 1] != " ":
                    original = line[offsets[s] : offsets[e - 1] + 1]
                    assert normalize(original) == normalized[s:e], (line, s, e)


def test_idempotent_on_the_corpus() -> None:
    for line in _corpus_lines():
        once = normalize(line)
        assert normalize(once) == once


def test_every_bmp_character_folds_by_the_rule() -> None:
    for code_point in range(0x10000):
        char = chr(code_point)
        if char.isspace() or 0xD800 <= code_point <= 0xDFFF:
            continue
        assert normalize(char) == _rule(char), hex(code_point)


@pytest.mark.parametrize(
    ("traditional", "simplified"),
    [
        ("裁軍", "裁军"),
        ("多邊主義", "多边主义"),
        ("聯合國憲章之原則", "联合国宪章之原则"),
        ("決議案五十四(一九四八)", "决议案五十四(一九四八)"),
        ("茲宣佈", "兹宣布"),
    ],
)
def test_traditional_and_simplified_meet(traditional: str, simplified: str) -> None:
    assert normalize(traditional) == normalize(simplified)
    assert to_simplified(traditional) == simplified


def test_offsets_point_at_the_printed_traditional_characters() -> None:
    text = "大會， 回顧 聯合國憲章的原則，"
    normalized, offsets = normalize_with_offsets(text)
    assert normalized == normalize(text) == "大会,回顾联合国宪章的原则,"
    start = normalized.index("联合国宪章")
    assert text[offsets[start] : offsets[start + 4] + 1] == "聯合國憲章"


class _Lengthening:
    """A converter whose phrase conversion changes a length, as OpenCC's phrase tables may."""

    def convert(self, text: str) -> str:
        return T2S.convert(text.replace("乾隆", "乾隆帝"))


def test_a_phrase_that_changes_length_falls_back_to_characters(monkeypatch) -> None:
    monkeypatch.setattr(normalize_module, "_converter", lambda: _Lengthening())
    text = "乾隆年間 聯合國 A"
    normalized, offsets = normalize_with_offsets(text)
    # The run holding the phrase is converted character by character: one for one.
    assert normalized == normalize(text) == "干隆年间联合国a"
    assert [text[offsets[i]] for i in range(len(normalized))] == list("乾隆年間聯合國A")


def test_idempotent_around_every_character_that_folds() -> None:
    """Characters that fold to or from CJK must be CJK themselves for rule 1, or a
    second pass would drop a space the first one kept."""
    for code_point in range(sys.maxunicode + 1):
        char = chr(code_point)
        if char.isspace() or 0xD800 <= code_point <= 0xDFFF or _rule_fold(char) == char:
            continue
        for text in (f"a {char} a", f"中 {char} 中", f"{char} {char}"):
            once = normalize(text)
            assert normalize(once) == once, (hex(code_point), text)
