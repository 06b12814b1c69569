"""Cut the body of a PDF-extracted resolution into paragraphs and footnote bodies.

The extraction keeps the page's lines, not the document's paragraphs. What it leaves:

- hard wraps mid-sentence, usually with a blank line between the halves;
- a new paragraph on a line that opens with a space — but a continuation after a footnote
  marker opens with a space too, so a line only starts a paragraph when it opens with an
  operative number in sequence, a bold (repeated) lead, or a clause starter right after a
  paragraph that has ended (preambular paragraphs end with ，, operative ones with ； or 。);
- footnote markers as a lone number on its own line or a digit after 》/，/a word; they are
  recognised by their numbering (markers count up 1, 2, 3 …; a later mention may repeat one);
- footnote bodies where a page ended, after a rule of underscores (sometimes lost), each
  under its number (one body in 68/64 lost its number; it takes the one its marker announced);
- running page headers (``A/RES/68/64 标题…``) and page numbers (``2/3``).

The module works on lines and knows nothing of leads or citations beyond what it needs to
decide where paragraphs begin.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .clauses import collapse_bold, match_lead
from .layout import Layout, RawParagraph, join_lines, marker_gap
from .model import ANNEX, OPERATIVE, PREAMBLE, SUBPARAGRAPH

_RULE_RE = re.compile(r"^_{3,}$")
_PAGE_HEADER_RE = re.compile(r"^A/RES/\S+(?:\s.*)?$")
_PAGE_NUMBER_RE = re.compile(r"^\d{1,3}/\d{1,3}$")
_JOB_NUMBER_RE = re.compile(r"^\d{2}-\d{5}(?:\s*\(C\))?$|^\*\d{7,}\*$")
_LONE_NUMBER_RE = re.compile(r"^(\d{1,3})$")
_NUMBERED_FOOTNOTE_RE = re.compile(r"^(\d{1,3})\s+(\S.*)$")
_OPERATIVE_RE = re.compile(r"^(\d{1,3})\s*[.．]\s*(?=\S)")
_ITEM_RE = re.compile(r"^[(（]([a-z])[)）]\s*(?=\S)")
_ANNEX_RE = re.compile(r"^附件[一二三四五六七八九十]*$")
# A number followed by one of these is a quantity or a date part, never a footnote marker.
_UNIT_START_RE = re.compile(r"^\s*[年月日号次段届卷条款项个名%％]")
# Where an inline marker may stand: after a closing mark or a Chinese character.
_INLINE_MARKER_RE = re.compile(
    r"(?<=[\u4e00-\u9fff》），,。”」])\s*(\d{1,2})(?:\s+|$|(?=[\u4e00-\u9fff]))"
)
_PREAMBLE_ENDS = ("，", ",", "：")
_OPERATIVE_ENDS = ("；", ";", "。", "：")


@dataclass
class _Line:
    text: str  # stripped
    indented: bool  # opens with a space: may begin a paragraph


@dataclass
class _State:
    paragraphs: list[RawParagraph] = field(default_factory=list)
    parts: list[list[str]] = field(default_factory=list)  # lines of each paragraph
    footnotes: dict[int, list[str]] = field(default_factory=dict)
    in_footnotes: bool = False
    footnote: int | None = None  # the footnote whose body is being read
    last_marker: int = 0
    last_operative: int = 0
    in_annex: bool = False

    @property
    def current(self) -> RawParagraph | None:
        return self.paragraphs[-1] if self.paragraphs else None

    def current_text(self) -> str:
        return join_lines(self.parts[-1]) if self.parts else ""


def cut(body: list[str], tail: list[str]) -> Layout:
    """Paragraphs of the body (subject to date) and footnotes found there or in the tail."""
    state = _State()
    lines = _content_lines(body)
    for index, line in enumerate(lines):
        following = lines[index + 1].text if index + 1 < len(lines) else ""
        _read_line(state, line, following)
    _read_tail(state, _content_lines(tail))
    for paragraph, parts in zip(state.paragraphs, state.parts):
        paragraph.text = join_lines(parts)
    footnotes = {number: join_lines(parts) for number, parts in state.footnotes.items()}
    return Layout(
        paragraphs=[p for p in state.paragraphs if p.text],
        footnotes={number: body for number, body in footnotes.items() if body},
    )


def _content_lines(raw_lines: list[str]) -> list[_Line]:
    lines = []
    for raw in raw_lines:
        text = raw.strip()
        if not text or _is_page_furniture(text):
            continue
        lines.append(_Line(text=text, indented=raw[:1] in (" ", "\u3000", "\t")))
    return lines


def _is_page_furniture(text: str) -> bool:
    return bool(
        _PAGE_HEADER_RE.match(text) or _PAGE_NUMBER_RE.match(text) or _JOB_NUMBER_RE.match(text)
    )


def _read_line(state: _State, line: _Line, following: str) -> None:
    if _RULE_RE.match(line.text):
        state.in_footnotes, state.footnote = True, None
        return
    lone = _LONE_NUMBER_RE.match(line.text)
    if lone and not _UNIT_START_RE.match(following):
        _read_lone_number(state, int(lone.group(1)))
        return
    if state.in_footnotes:
        if _starts_paragraph(state, line) and _footnote_complete(state):
            state.in_footnotes, state.footnote = False, None
        else:
            _read_footnote_line(state, line.text)
            return
    if _starts_paragraph(state, line):
        _open_paragraph(state, line.text)
    elif state.current is None:
        _open(state, RawParagraph(type=ANNEX if state.in_annex else PREAMBLE))
    _append(state, line.text, following)


def _read_lone_number(state: _State, number: int) -> None:
    if state.in_footnotes:
        state.footnote = number
        state.footnotes.setdefault(number, [])
    elif number <= state.last_marker and number not in state.footnotes:
        # A referenced footnote's body whose rule line was lost.
        state.in_footnotes, state.footnote = True, number
        state.footnotes[number] = []
    elif state.current is not None:
        _add_marker(state, number)


def _read_footnote_line(state: _State, text: str) -> None:
    numbered = _NUMBERED_FOOTNOTE_RE.match(text)
    if numbered and _may_start_footnote(state, int(numbered.group(1))):
        state.footnote = int(numbered.group(1))
        state.footnotes[state.footnote] = [numbered.group(2)]
        return
    if state.footnote is None:
        state.footnote = _missing_footnote(state)
        state.footnotes.setdefault(state.footnote, [])
    state.footnotes[state.footnote].append(text)


def _may_start_footnote(state: _State, number: int) -> bool:
    if number in state.footnotes:
        return False
    return state.footnote is None or number > state.footnote


def _missing_footnote(state: _State) -> int:
    """The number a body that lost its own must have: the first marker without a body."""
    for number in range(1, state.last_marker + 1):
        if number not in state.footnotes:
            return number
    return max(state.footnotes, default=state.last_marker) + 1


def _footnote_complete(state: _State) -> bool:
    if state.footnote is None:
        return True
    body = join_lines(state.footnotes.get(state.footnote, []))
    return not body or body.endswith(("。", ".", "）", ")"))


def _starts_paragraph(state: _State, line: _Line) -> bool:
    if not line.indented:
        return False
    numbered = _OPERATIVE_RE.match(line.text)
    if numbered:
        number = int(numbered.group(1))
        return number == state.last_operative + 1 or (state.in_annex and number == 1)
    if _ITEM_RE.match(line.text) and state.last_operative:
        return True
    lead, _ = collapse_bold(line.text)
    if lead is not None:
        return True
    return match_lead(line.text) is not None and _paragraph_complete(state)


def _paragraph_complete(state: _State) -> bool:
    current = state.current
    if current is None:
        return True
    ends = _PREAMBLE_ENDS if current.type == PREAMBLE else _OPERATIVE_ENDS
    return state.current_text().endswith(ends)


def _open_paragraph(state: _State, text: str) -> None:
    numbered = _OPERATIVE_RE.match(text)
    item = _ITEM_RE.match(text)
    if numbered:
        state.last_operative = int(numbered.group(1))
        kind = ANNEX if state.in_annex else OPERATIVE
        _open(state, RawParagraph(type=kind, number=state.last_operative))
    elif item:
        number, letter = state.last_operative, item.group(1)
        _open(state, RawParagraph(type=SUBPARAGRAPH, number=number, item=letter))
    else:
        kind = ANNEX if state.in_annex else (OPERATIVE if state.last_operative else PREAMBLE)
        _open(state, RawParagraph(type=kind))


def _open(state: _State, paragraph: RawParagraph) -> None:
    state.paragraphs.append(paragraph)
    state.parts.append([])


def _append(state: _State, text: str, following: str) -> None:
    current = state.paragraphs[-1]  # a paragraph is always open when a line is appended
    numbered = _OPERATIVE_RE.match(text)
    if numbered and not state.parts[-1] and current.number == int(numbered.group(1)):
        text = text[numbered.end() :]
    item = _ITEM_RE.match(text)
    if item and not state.parts[-1] and current.type == SUBPARAGRAPH:
        text = text[item.end() :]
    state.parts[-1].append(_remove_inline_markers(state, text, following))


def _remove_inline_markers(state: _State, text: str, following: str) -> str:
    """Drop footnote markers inside a line, recording them on the current paragraph."""

    def replace(found: re.Match) -> str:
        number = int(found.group(1))
        at_end = found.end() == len(text)
        if _UNIT_START_RE.match(following if at_end else text[found.end() :]):
            return found.group(0)
        expected = number == state.last_marker + 1
        repeated = at_end and number <= state.last_marker
        if not (expected or repeated):
            return found.group(0)
        _add_marker(state, number)
        return marker_gap(found)

    return _INLINE_MARKER_RE.sub(replace, text)


def _add_marker(state: _State, number: int) -> None:
    state.last_marker = max(state.last_marker, number)
    footnotes = state.paragraphs[-1].footnotes  # markers are read inside an open paragraph
    if number not in footnotes:
        footnotes.append(number)


def _read_tail(state: _State, lines: list[_Line]) -> None:
    """After the adoption date come footnote bodies of the last page and any annex (附件)."""
    state.in_footnotes, state.footnote = False, None
    for index, line in enumerate(lines):
        following = lines[index + 1].text if index + 1 < len(lines) else ""
        if _ANNEX_RE.match(line.text):
            state.in_annex, state.in_footnotes, state.last_operative = True, False, 0
            _open(state, RawParagraph(type=ANNEX))
        elif state.in_annex:
            _read_line(state, line, following)
        elif _RULE_RE.match(line.text) or _LONE_NUMBER_RE.match(line.text):
            state.in_footnotes = True
            _read_line(state, line, following)
        elif state.in_footnotes:
            _read_footnote_line(state, line.text)
