"""Cut the body of a Markdown resolution into paragraphs and footnote bodies.

Markdown conversions mark what the PDF text only implies: the lead in ``**bold**``, footnote
markers as ``<sup>1</sup>``, footnote bodies as lines opening with ``<sup>1</sup>``, operative
paragraphs as a numbered list. Citations are links whose text is the citation
(``[73/41](#)``); the link target is dropped. Blank lines separate paragraphs.
"""

from __future__ import annotations

import re

from .layout import Layout, RawParagraph, join_lines, marker_gap
from .model import ANNEX, OPERATIVE, PREAMBLE, SUBPARAGRAPH

_FOOTNOTE_BODY_RE = re.compile(r"^<sup>\s*(\d{1,3})\s*</sup>\s*(.*)$")
_MARKER_RE = re.compile(r"\s*<sup>\s*(\d{1,3})\s*</sup>\s*")
_OPERATIVE_RE = re.compile(r"^(\d{1,3})\s*[.．]\s+")
_ITEM_RE = re.compile(r"^[(（]([a-z])[)）]\s*")
_LEAD_RE = re.compile(r"^\*\*\s*([^*]+?)\s*\*\*")
_LINK_RE = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_EMPHASIS_RE = re.compile(r"\*\*|__")
_TAG_RE = re.compile(r"</?[A-Za-z][^>]*>")
_HEADING_RE = re.compile(r"^#{1,6}\s*")
_RULE_RE = re.compile(r"^(?:-{3,}|\*{3,}|_{3,})$")
_ANNEX_RE = re.compile(r"^(?:#{1,6}\s*)?附件[一二三四五六七八九十]*$")
_OPERATIVE_ENDS = ("；", ";", "。", "：")


def strip_inline(text: str) -> str:
    """Text without Markdown inline syntax: links keep their text, markers and bold go."""
    text = _LINK_RE.sub(r"\1", text)
    text = _MARKER_RE.sub(marker_gap, text)
    text = _TAG_RE.sub("", text)
    return _EMPHASIS_RE.sub("", text)


def cut(body: list[str], tail: list[str]) -> Layout:
    """Paragraphs of the body (subject to date) and footnotes found there or in the tail."""
    reader = _Reader()
    for line in body:
        reader.read(line.strip())
    reader.end_block()
    for line in tail:
        reader.read_tail(line.strip())
    return reader.layout()


class _Reader:
    def __init__(self) -> None:
        self.paragraphs: list[RawParagraph] = []
        self.parts: list[list[str]] = []
        self.footnotes: dict[int, list[str]] = {}
        self.footnote: int | None = None
        self.block_open = False  # no blank line since the current paragraph's last line
        self.operative_seen = False
        self.in_annex = False

    def read(self, line: str) -> None:
        if not line or _RULE_RE.match(line):
            self.end_block()
            return
        if _ANNEX_RE.match(line):
            self.in_annex = True
            self.end_block()
            return
        footnote = _FOOTNOTE_BODY_RE.match(line)
        if footnote:
            self.footnote = int(footnote.group(1))
            self.footnotes[self.footnote] = [footnote.group(2)]
            self.block_open = False
            return
        if self.footnote is not None and self.block_open is False and not self._starts(line):
            self.footnotes[self.footnote].append(line)
            return
        self.footnote = None
        line = _HEADING_RE.sub("", line)
        if self._starts(line) or not self.block_open:
            if not self._continues_open_operative(line):
                self._open(line)
        self._append(line)
        self.block_open = True

    def read_tail(self, line: str) -> None:
        if _FOOTNOTE_BODY_RE.match(line) or _ANNEX_RE.match(line) or self.in_annex:
            self.read(line)
        elif self.footnote is not None and line and not _RULE_RE.match(line):
            self.footnotes[self.footnote].append(line)

    def end_block(self) -> None:
        self.block_open = False

    def layout(self) -> Layout:
        for paragraph, parts in zip(self.paragraphs, self.parts):
            paragraph.text = join_lines(parts)
        footnotes = {
            n: join_lines([strip_inline(p) for p in parts]) for n, parts in self.footnotes.items()
        }
        return Layout(
            paragraphs=[p for p in self.paragraphs if p.text],
            footnotes={n: body for n, body in footnotes.items() if body},
        )

    def _starts(self, line: str) -> bool:
        return bool(_OPERATIVE_RE.match(line) or (self.operative_seen and _ITEM_RE.match(line)))

    def _continues_open_operative(self, line: str) -> bool:
        """An unnumbered block after an operative paragraph that has not ended goes on it."""
        if self._starts(line) or not self.paragraphs or self.in_annex:
            return False
        current = self.paragraphs[-1]
        return current.type != PREAMBLE and not join_lines(self.parts[-1]).endswith(_OPERATIVE_ENDS)

    def _open(self, line: str) -> None:
        numbered = _OPERATIVE_RE.match(line)
        item = _ITEM_RE.match(line)
        last_number = next((p.number for p in reversed(self.paragraphs) if p.number), None)
        if numbered:
            self.operative_seen = True
            kind = ANNEX if self.in_annex else OPERATIVE
            paragraph = RawParagraph(type=kind, number=int(numbered.group(1)))
        elif item and self.operative_seen:
            paragraph = RawParagraph(type=SUBPARAGRAPH, number=last_number, item=item.group(1))
        else:
            kind = ANNEX if self.in_annex else (OPERATIVE if self.operative_seen else PREAMBLE)
            paragraph = RawParagraph(type=kind)
        self.paragraphs.append(paragraph)
        self.parts.append([])

    def _append(self, line: str) -> None:
        current = self.paragraphs[-1]
        if not self.parts[-1]:
            line = _strip_number(line, current)
            lead = _LEAD_RE.match(line)
            if lead:
                current.lead = lead.group(1)
        for number in _MARKER_RE.findall(line):
            if int(number) not in current.footnotes:
                current.footnotes.append(int(number))
        self.parts[-1].append(strip_inline(line))


def _strip_number(line: str, paragraph: RawParagraph) -> str:
    if paragraph.type in (OPERATIVE, ANNEX) and paragraph.number is not None:
        return _OPERATIVE_RE.sub("", line, count=1)
    if paragraph.type == SUBPARAGRAPH:
        return _ITEM_RE.sub("", line, count=1)
    return line
