"""Parse a resolution file into a :class:`~search.model.Resolution`.

Two shapes exist: text extracted from the official PDFs, and Markdown conversions. Both go
through the same steps:

1. decode the bytes (:mod:`search.decoding`);
2. find the frame: title line, adoption line, agenda item, the subject 大会， and, at the end,
   the adoption date and plenary meeting;
3. cut the body between subject and date into raw paragraphs and footnote bodies — the PDF
   shape by a line state machine (:mod:`search.pdf_layout`), Markdown by its own markers
   (:mod:`search.markdown_layout`);
4. finish each paragraph the same way: bold repetition collapsed, lead and verb recognised,
   citations collected.

A file missing the title, the operative part or the adoption date raises :class:`ParseError`:
a half-parsed resolution is never returned.
"""

from __future__ import annotations

import re
from pathlib import Path

from . import markdown_layout, pdf_layout
from .citations import NUMBER_PATTERN, canonical_number, find_cites, session_of
from .clauses import collapse_bold, match_lead, normalize_verb
from .decoding import DecodeError, decode, read_text
from .errors import UnresError
from .layout import Layout, RawParagraph
from .model import FOOTNOTE, OPERATIVE, Paragraph, Resolution

_TITLE_RE = re.compile(rf"^\s*(?:#+\s*)?({NUMBER_PATTERN})\s*[.．]\s*(\S.*?)\s*$")
_ADOPTION_RE = re.compile(r"^\s*\[(.+)\]\s*$")
_COMMITTEE_RE = re.compile(
    r"根据(第[一二三四五六]委员会)的报告\s*[(（]\s*(A/[^,，)）]+?)\s*"
    r"(?:[,，]\s*第\s*(\d+)\s*段)?\s*[)）]\s*通过"
)
_PLENARY_RE = re.compile(r"未交付主要委员会而通过")
_AGENDA_RE = re.compile(r"^\s*议程项目\s*(\S+?)\s*$")
_SUBJECT_RE = re.compile(r"^\s*(?:\*\*)?大会(?:\*\*)?\s*[，,]\s*$")
_DATE_RE = re.compile(r"^\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*$")
_MEETING_RE = re.compile(r"^\s*第\s*(\d+)\s*次全体会议\s*$")
_MARKDOWN_RE = re.compile(r"^\s*#{1,6}\s|\*\*\S|<sup>", re.MULTILINE)
_MEETING_SEARCH_LINES = 6


class ParseError(UnresError, ValueError):
    """A file that is not a complete resolution; names the file and what is missing."""

    def __init__(self, source: str, problem: str):
        super().__init__(f"{source}: {problem}")
        self.source = source
        self.problem = problem


def parse_file(path: Path | str) -> Resolution:
    """Parse the resolution file at ``path``."""
    path = Path(path)
    try:
        text = read_text(path)
    except DecodeError as error:
        raise ParseError(str(path), str(error)) from error
    return parse_text(text, source=str(path))


def parse_bytes(data: bytes, source: str = "<bytes>") -> Resolution:
    """Parse resolution file content given as bytes."""
    try:
        text = decode(data)
    except DecodeError as error:
        raise ParseError(source, str(error)) from error
    return parse_text(text, source=source)


def parse_text(text: str, source: str = "<text>") -> Resolution:
    """Parse decoded resolution text (LF line ends, ASCII digits)."""
    if not text.strip():
        raise ParseError(source, "the file is empty")
    lines = text.split("\n")
    title_at, number, title = _find_title(lines, source)
    date_at, date = _find_date(lines, title_at, source)
    meeting = _find_meeting(lines, date_at)
    subject_at = _find_subject(lines, title_at, date_at)
    is_markdown = bool(_MARKDOWN_RE.search(text))
    layout_module = markdown_layout if is_markdown else pdf_layout
    layout = layout_module.cut(lines[subject_at + 1 : date_at], lines[date_at + 1 :])
    paragraphs = _finish(layout)
    if not any(p.type == OPERATIVE for p in paragraphs):
        raise ParseError(source, "truncated: no operative paragraphs (1. 2. …) found")
    committee, report = _adoption(lines[: title_at + 3])
    return Resolution(
        symbol=f"A/RES/{number}",
        number=number,
        session=session_of(number),
        title=title,
        date=date,
        meeting=meeting,
        committee=committee,
        report=report,
        agenda_item=_agenda_item(lines[:title_at]),
        special_session=number.startswith("S-"),
        paragraphs=paragraphs,
    )


def _find_title(lines: list[str], source: str) -> tuple[int, str, str]:
    for index, line in enumerate(lines):
        found = _TITLE_RE.match(line)
        if found and canonical_number(found.group(1)):
            title = markdown_layout.strip_inline(found.group(2)).strip()
            return index, canonical_number(found.group(1)), title
    raise ParseError(source, "not a resolution: no title line such as '68/46. 标题'")


def _find_date(lines: list[str], title_at: int, source: str) -> tuple[int, str]:
    for index in range(len(lines) - 1, title_at, -1):
        found = _DATE_RE.match(lines[index])
        if found:
            year, month, day = (int(part) for part in found.groups())
            if not (1 <= month <= 12 and 1 <= day <= 31):
                raise ParseError(source, f"adoption date out of range: {lines[index].strip()}")
            return index, f"{year:04d}-{month:02d}-{day:02d}"
    raise ParseError(source, "truncated: no adoption date (such as 2013 年 12 月 5 日) at the end")


def _find_meeting(lines: list[str], date_at: int) -> int | None:
    for line in lines[date_at + 1 : date_at + 1 + _MEETING_SEARCH_LINES]:
        found = _MEETING_RE.match(line)
        if found:
            return int(found.group(1))
    return None


def _find_subject(lines: list[str], title_at: int, date_at: int) -> int:
    for index in range(title_at + 1, date_at):
        if _SUBJECT_RE.match(collapse_bold(lines[index].strip())[1]):
            return index
    return title_at


def _adoption(head: list[str]) -> tuple[str | None, str | None]:
    for line in head:
        found = _ADOPTION_RE.match(line)
        if not found:
            continue
        committee = _COMMITTEE_RE.search(found.group(1))
        if committee:
            return committee.group(1), committee.group(2).replace(" ", "")
        if _PLENARY_RE.search(found.group(1)):
            return None, None
    return None, None


def _agenda_item(head: list[str]) -> str | None:
    for line in head:
        found = _AGENDA_RE.match(line)
        if found:
            return found.group(1)
    return None


def _finish(layout: Layout) -> list[Paragraph]:
    paragraphs = [_finish_paragraph(raw) for raw in layout.paragraphs]
    for number in sorted(layout.footnotes):
        body = layout.footnotes[number]
        paragraphs.append(
            Paragraph(type=FOOTNOTE, text=body, number=number, cites=find_cites(body))
        )
    return paragraphs


def _finish_paragraph(raw: RawParagraph) -> Paragraph:
    lead, text = collapse_bold(raw.text)
    lead = raw.lead or lead or match_lead(text)
    return Paragraph(
        type=raw.type,
        text=text,
        number=raw.number,
        item=raw.item,
        lead=lead,
        verb=normalize_verb(lead) if lead else None,
        footnotes=raw.footnotes,
        cites=find_cites(text),
    )
