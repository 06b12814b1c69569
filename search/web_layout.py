"""Web copies of resolutions: restore the lines a page lost, drop what the site added.

A copied web page often holds the whole resolution on one line: the page's line breaks became
single spaces. Chinese needs no spaces between words, so a space beside a Chinese character
in such a line is almost always a lost line break; :func:`restore_lines` breaks the line there,
except where the space belongs to what it separates: inside Latin text and symbols
(``2758 (XXVI)``, ``A/RES/68/46``), after a paragraph number or part letter (``1. 重申``,
``A. 裁军谈判会议的报告``), before the parenthesis of an old number (``二七五八 (二十六)``)
and before the 号 of a citation.

Pages also carry site chrome: wiki navigation rows (``← | 上一篇 | … |``), and on bilingual
pages the English text. :func:`drop_english` removes lines that are English prose and says how
much it dropped, so the parser can warn.
"""

from __future__ import annotations

import re

from .clauses import match_lead
from .numerals import CHINESE_NUMERAL_CHARS

# A line this long holding this many paragraph boundaries is a flattened page.
_FLAT_MIN_CHARS = 150
_FLAT_MIN_BOUNDARIES = 2
_BOUNDARY_RE = re.compile(r"[，,；;。：:]\d{0,2}\s+")
_NUMBERED_START_RE = re.compile(r"^(?:\d{1,3}\s*[.．]|[(（][a-z甲乙丙丁戊])")
_SPACE_RUN_RE = re.compile(r"[ \t\u3000\u00a0]+")
_CJK_RE = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
# The token before a space that the space belongs to: a number, a part letter, a number
# closing in a parenthesis, each followed by its dot.
_LABEL_END_RE = re.compile(
    rf"(?:^|\s)(?:(?:E?S-)?\d{{1,3}}(?:/\d{{1,4}})?|[{CHINESE_NUMERAL_CHARS}]{{1,4}}|[A-Za-z]{{1,4}}"
    r"|\S*[)）])\s*[.．、]$"
)
_NUMERAL_END_RE = re.compile(rf"[0-9{CHINESE_NUMERAL_CHARS}]$")
_NUMBER_END_RE = re.compile(rf"(?:[0-9{CHINESE_NUMERAL_CHARS}]|\d\s?[A-Z]{{1,2}})$")  # 56/24 T 号
_UNITS = "号號年月日次届屆段卷条條款项項个個名"
# A symbol or a Latin word inside a sentence (S-9/5 号决议, 见 A/76/472), not a title's number
# (ES-11/1. 标题).
_REFERENCE_START_RE = re.compile(
    r"[A-Z]{1,5}[-/](?!\d{1,2}/\d{1,3}\s*[.．])|[A-Za-z]{2,}(?![-/\d])"
)
_LONE_NUMBER_END_RE = re.compile(r"(?:^|\s)\d{1,3}$")
_ITEM_END_RE = re.compile(r"(?:^|\s)[(（][a-z甲乙丙丁戊己庚辛壬癸]{1,2}[)）]$")
_LATIN_RE = re.compile(r"[A-Za-z]")
_IDEOGRAPH_RE = re.compile(r"[\u3400-\u9fff]")
# English prose: many Latin letters, hardly any Chinese.
_ENGLISH_MIN_LETTERS = 40
_ENGLISH_MAX_IDEOGRAPH_SHARE = 0.1
# Wiki navigation rows, and the lines a wiki page of a scanned book puts above each page.
_NAVIGATION_RE = re.compile(
    r"^\s*\|?\s*(?:←|→)|^\s*\|\s*$|^\s*Page:\S|^\s*此[页頁](?:尚未|已)?[校核][对對]|^\s*Logo of "
)
_TRAILING_BAR_RE = re.compile(r"\s*\|\s*$")


def restore_lines(lines: list[str]) -> list[str]:
    """Lines with every flattened line broken where its lost line breaks were."""
    restored: list[str] = []
    for line in lines:
        if len(line) >= _FLAT_MIN_CHARS and _is_flat(line):
            restored += _break_flat(line)
        else:
            restored.append(line)
    return restored


def _is_flat(line: str) -> bool:
    """Whether the line holds several paragraphs: clause ends followed by a space and the
    start of another clause (a starter such as 回顾, or a paragraph number)."""
    starts = 0
    for boundary in _BOUNDARY_RE.finditer(line):
        rest = line[boundary.end() :]
        if _NUMBERED_START_RE.match(rest) or match_lead(rest):
            starts += 1
            if starts == _FLAT_MIN_BOUNDARIES:
                return True
    return False


def _break_flat(line: str) -> list[str]:
    pieces: list[str] = []
    done = 0
    for space in _SPACE_RUN_RE.finditer(line):
        before, rest = line[done : space.start()], line[space.end() :]
        if before and rest and _is_lost_break(before, rest):
            pieces.append(before)
            done = space.end()
    pieces.append(line[done:])
    return [piece.strip() for piece in pieces if piece.strip()]


def _is_lost_break(before: str, rest: str) -> bool:
    after = rest[:1]
    if after.isascii() and not _CJK_RE.search(before.rsplit(None, 1)[-1]):
        return False  # Latin text, symbols, numbers: the space is real
    if _REFERENCE_START_RE.match(rest):
        return False  # 见 A/76/472, 其中特别指出, S-9/5 号决议: a reference inside the sentence
    if _LABEL_END_RE.search(before) or _ITEM_END_RE.search(before):
        return False  # 1. 重申, A. 裁军谈判会议的报告, (a) 请
    if before.endswith("第") or _LONE_NUMBER_END_RE.search(before):
        return False  # 第 67/56 号决议; a footnote's number before its text: 1 A/42/242。
    if after in "(（" and _NUMERAL_END_RE.search(before):
        return False  # 二七五八 (二十六)
    # 第3333(XXIX) 号决议, 2013 年 12 月: a number and its unit
    return not (after in _UNITS and _NUMBER_END_RE.search(before))


def drop_english(lines: list[str]) -> tuple[list[str], int]:
    """The lines that are not English prose, and how many Latin letters were dropped."""
    kept, dropped = [], 0
    for line in lines:
        # A CJK character is 3 bytes in UTF-8: lines with few ASCII characters are kept unread.
        if 3 * len(line) - len(line.encode("utf-8")) < 2 * _ENGLISH_MIN_LETTERS:
            kept.append(line)
            continue
        letters = len(_LATIN_RE.findall(line))
        ideographs = len(_IDEOGRAPH_RE.findall(line))
        if letters >= _ENGLISH_MIN_LETTERS and ideographs < _ENGLISH_MAX_IDEOGRAPH_SHARE * letters:
            dropped += letters
        else:
            kept.append(line)
    return kept, dropped


def drop_navigation(lines: list[str]) -> list[str]:
    """Lines without wiki navigation rows and the table bars a copied page leaves."""
    return [_TRAILING_BAR_RE.sub("", line) for line in lines if not _NAVIGATION_RE.match(line)]
