"""Cut the body of a resolution written one paragraph to a line into paragraphs.

Wiki transcriptions, web pages (their lost line breaks restored by :mod:`search.web_layout`),
HTML and Word documents give each paragraph its own line, but not always: a line can stop
mid-sentence (``且為此目的`` / ``宣言如下:``) or a restored break can fall inside a paragraph,
after a footnote marker (``决定,2`` / ``以及…``). So a line opens a paragraph when it is
numbered in sequence, is an item, or follows a paragraph that has ended: preambular
paragraphs end with ，; operative ones with ；, 。 or, introducing items, ：.

Numbering comes in every era's form: ``1.``, ``一.``, ``一、`` (declarations), items ``(a)``
and ``(甲)``. Before any operative mark the paragraphs are preambular; an unnumbered
paragraph that ends like an operative one (``決定:恢復…。``, ``鄭重宣布…;``) or introduces
items (``决定:``) starts the operative part. Section headings (``壹``, ``A.``, ``I.``) are not
paragraphs and are dropped. Footnote markers are digits at a line's end or after a closing
mark, counting up from 1; their bodies follow the closing lines as ``1 text``.
"""

from __future__ import annotations

import re

from .layout import Layout, RawParagraph, join_lines, marker_gap
from .model import ANNEX, OPERATIVE, PREAMBLE, SUBPARAGRAPH
from .numerals import CHINESE_NUMERAL_CHARS, number_value

_NUMBERED_RE = re.compile(
    rf"^(\d{{1,3}}|[{CHINESE_NUMERAL_CHARS}]{{1,4}})\s*(?:[.．](?!\d)|(?<=[{CHINESE_NUMERAL_CHARS}])、)\s*(?=\S)"
)
_ITEM_RE = re.compile(r"^[(（]([a-z]{1,2}|[甲乙丙丁戊己庚辛壬癸])[)）]\s*(?=\S)")
_HEADING_RE = re.compile(
    r"^(?:[壹贰貳叁參肆伍陆陸柒捌玖拾]+|[IVX]{1,5}|[A-Z]|第[一二三四五六七八九十]+[节節部分章])"
    r"((?:\s*[.．、]\s*\S.{0,40}|\s+\S.{0,40})?)$"
)
_CLAUSE_END = ("，", ",", "；", ";", "。", "：", ":", ".")
_OPERATIVE_END = ("；", ";", "。", "：", ":")
# Some transcriptions end sentences with an ASCII full stop (一九四六年…全会.).
_OPERATIVE_CLOSED = (*_OPERATIVE_END, ".")
_FOOTNOTE_BODY_RE = re.compile(r"^(\d{1,3})\s+([^\s/.\d].*)$")
_ANNEX_RE = re.compile(r"^(?:附件|附件[一二三四五六七八九十]+)$")
_RULE_RE = re.compile(r"^_{3,}$")
# A footnote marker: one or two digits after a Chinese character or a closing mark.
_MARKER_RE = re.compile(
    r"(?<=[\u4e00-\u9fff》），,。”」;；:：])\s?(\d{1,2})(?=\s|$|[\u4e00-\u9fff])"
)
_UNIT_START_RE = re.compile(r"^\s*[年月日号號次段届屆卷条條款项項个個名%％]")


class _Reader:
    def __init__(self, last_marker: int) -> None:
        self.paragraphs: list[RawParagraph] = []
        self.parts: list[list[str]] = []
        self.footnotes: dict[int, str] = {}
        self.last_number = 0
        self.last_marker = last_marker
        self.operative = False  # the operative part has begun
        self.in_annex = False

    def read(self, text: str) -> None:
        heading = _HEADING_RE.match(text)
        if heading and (not heading.group(1) or not self._open_ended()):
            return  # a bare 壹 never continues a sentence; "I. 总则" only after one ended
        numbered = _NUMBERED_RE.match(text)
        number = number_value(numbered.group(1)) if numbered else None
        item = _ITEM_RE.match(text)
        if (
            numbered
            and number is not None
            and (number == self.last_number + 1 or self._restarts(number))
        ):
            self.last_number = number
            self.operative = True
            kind = ANNEX if self.in_annex else OPERATIVE
            self._open(RawParagraph(type=kind, number=number), text[numbered.end() :])
        elif item and (self.operative or self._introduces_items()):
            self.operative = True
            number_of_item = self.last_number or None
            kind = ANNEX if self.in_annex else SUBPARAGRAPH
            paragraph = RawParagraph(type=kind, number=number_of_item, item=item.group(1))
            self._open(paragraph, text[item.end() :])
        elif self.paragraphs and self._open_ended():
            self.parts[-1].append(self._without_markers(text))
        else:
            self._open(RawParagraph(type=ANNEX if self.in_annex else PREAMBLE), text)

    def read_tail(self, text: str) -> None:
        """After the closing lines: footnote bodies, an annex, or site text (ignored)."""
        if _ANNEX_RE.match(text):
            self.in_annex, self.last_number = True, 0
            return
        if self.in_annex:
            self.read(text)
            return
        body = _FOOTNOTE_BODY_RE.match(text)
        if (
            body
            and int(body.group(1)) not in self.footnotes
            and not _UNIT_START_RE.match(body.group(2))
        ):
            self.footnotes[int(body.group(1))] = body.group(2).strip()

    def layout(self) -> Layout:
        for paragraph, parts in zip(self.paragraphs, self.parts):
            paragraph.text = join_lines(parts)
        self._settle_types()
        return Layout(
            paragraphs=[p for p in self.paragraphs if p.text],
            footnotes=dict(self.footnotes),
            last_marker=self.last_marker,
        )

    def _restarts(self, number: int) -> bool:
        """A declaration in the annex, or items 一、二、 after an introducing colon."""
        return number == 1 and (self.in_annex or self._introduces_items())

    def _introduces_items(self) -> bool:
        return bool(self.parts) and join_lines(self.parts[-1]).endswith(("：", ":"))

    def _open_ended(self) -> bool:
        """Whether the current paragraph has not ended, so the next line continues it."""
        if not self.parts:
            return False
        text = join_lines(self.parts[-1])
        operative = self.paragraphs[-1].type != PREAMBLE and self.operative
        ends = _OPERATIVE_CLOSED if operative else None
        return not text.endswith(ends or _CLAUSE_END)

    def _open(self, paragraph: RawParagraph, text: str) -> None:
        if self.paragraphs and self.paragraphs[-1].type == PREAMBLE:
            self._settle_last()
        self.paragraphs.append(paragraph)
        self.parts.append([self._without_markers(text)])

    def _settle_last(self) -> None:
        """An unnumbered paragraph that ends like an operative one begins the operative part."""
        if join_lines(self.parts[-1]).endswith(_OPERATIVE_END):
            self.operative = True

    def _settle_types(self) -> None:
        operative = False
        for paragraph in self.paragraphs:
            if paragraph.type == PREAMBLE and (
                operative or paragraph.text.endswith(_OPERATIVE_END)
            ):
                paragraph.type = OPERATIVE
            operative = operative or paragraph.type in (OPERATIVE, SUBPARAGRAPH)

    def _without_markers(self, text: str) -> str:
        def replace(found: re.Match) -> str:
            number = int(found.group(1))
            rest = text[found.end() :]
            if _UNIT_START_RE.match(rest) or not (
                number == self.last_marker + 1 or (not rest.strip() and number <= self.last_marker)
            ):
                return found.group(0)
            self.last_marker = max(self.last_marker, number)
            if self.paragraphs and number not in self.paragraphs[-1].footnotes:
                self.paragraphs[-1].footnotes.append(number)
            return marker_gap(found)

        return _MARKER_RE.sub(replace, text)


def cut(body: list[str], tail: list[str], last_marker: int = 0) -> Layout:
    """Paragraphs of the body and footnote bodies (and any annex) after the closing lines;
    ``last_marker``: the last footnote marker of the parts before this one."""
    reader = _Reader(last_marker)
    for line in body:
        text = line.strip()
        if text and not _RULE_RE.match(text):
            reader.read(text)
    for line in tail:
        text = line.strip()
        if text and not _RULE_RE.match(text):
            reader.read_tail(text)
    return reader.layout()
