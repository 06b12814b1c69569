"""Parse a resolution file into a :class:`~search.model.Resolution`.

Resolutions come as text extracted from the official PDFs, Markdown conversions, wiki
transcriptions, copies of web pages (often flattened to one line), HTML, PDF and Word files
(:mod:`search.readers` turns each into text), of the General Assembly or the Security Council,
from 1946 on. All go through the same steps:

1. read the file as text (:mod:`search.readers`, :mod:`search.decoding`); restore the lines
   of a flattened web copy, drop the English of a bilingual page and wiki navigation rows
   (:mod:`search.web_layout`);
2. find the resolution's own number: its title line (``68/46. 标题``, ``2758 (XXVI). 标题``,
   ``二七五八 (二十六). 标题``), a Council heading (``第2446(2018)号决议``), or its symbol
   (``A/RES/4(I)``, ``S/RES/2446 (2018)``);
3. cut what follows into parts (``A``/``B``, each with its subject 大会， and closing lines)
   and each part into the subject, the body and the closing date and meeting;
4. cut each body into paragraphs with the reader its shape needs: hard-wrapped PDF text
   (:mod:`search.pdf_layout`), Markdown (:mod:`search.markdown_layout`), one paragraph to a
   line (:mod:`search.lines_layout`);
5. finish each paragraph the same way: bold repetition collapsed, lead and verb recognised,
   citations collected.

A text cut short is parsed as far as it goes, with a warning saying what is missing
(:attr:`Resolution.warnings`). :class:`ParseError` is raised only for a file with no number
of its own or no paragraph at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from . import lines_layout, markdown_layout, pdf_layout, readers, web_layout
from .citations import (
    NUMBER_PATTERN,
    body_of,
    canonical_number,
    find_cites,
    session_of,
    symbol_of,
    year_of,
)
from .clauses import collapse_bold, match_lead, normalize_verb
from .decoding import DecodeError
from .errors import UnresError
from .layout import Layout, RawParagraph
from .model import FOOTNOTE, OPERATIVE, Paragraph, Resolution
from .normalize import to_simplified
from .numerals import CHINESE_NUMERAL_CHARS, number_value

_NUM = rf"(?:\d{{1,4}}|[{CHINESE_NUMERAL_CHARS}]{{1,8}})"
_DATE = rf"({_NUM})\s*年\s*({_NUM})\s*月\s*({_NUM})\s*日"
# 第 60 次全体会议; 第一八二一次会议以十三票对零票通过。 1; 在第1387次会议上一致通过,弃权者二。
_MEETING = (
    rf"(?:在|于)?\s*第\s*({_NUM})\s*次\s*(?:全体会议|全会|会议)"
    rf"(?:[^。.]{{0,30}}通过[^。.]{{0,30}})?\s*[。.]?\s*(?:\d{{1,3}})?"
)
_TITLE_RE = re.compile(rf"^\s*(?:#+\s*)?({NUMBER_PATTERN})\s*[.．]\s*(\S.*?)\s*$")
# 第2446(2018)号决议, as pages title it too: 联合国安理会第242号决议, 安全理事会第1718(2006)号决议
_COUNCIL_HEADING_RE = re.compile(
    rf"^\s*(?:联合国)?(?:安全理事会|安理会)?\s*第\s*({NUMBER_PATTERN})\s*号决议\s*$"
)
_SYMBOL_RE = re.compile(rf"(?<![A-Za-z])[AS]/RES/\s*({NUMBER_PATTERN})")
_OLD_WORD_RE = re.compile(rf"决议案\s*({NUMBER_PATTERN})")
_HEADING_LINE_RE = re.compile(
    rf"^\s*(?:\|\s*)?(?:[AS]/RES/\s*{NUMBER_PATTERN}|\S{{0,12}}决议案\s*{NUMBER_PATTERN})\s*\|?\s*$"
)
_NUMBER_TITLE_RE = re.compile(rf"^\s*({_NUM})\s+(\S.*?)\s*$")
_DATE_TITLE_RE = re.compile(rf"^{_DATE}\s*决议案?$")
_ADOPTION_RE = re.compile(r"^\s*\[(.+)\]\s*$")
_COMMITTEE_RE = re.compile(
    r"根据(第[一二三四五六]委员会)的报告\s*[(（]\s*(A/[^,，)）]+?)\s*"
    r"(?:[,，]\s*第\s*(\d+)\s*段)?\s*[)）]\s*通过"
)
_PLENARY_RE = re.compile(r"未(?:经)?(?:发)?交(?:付)?主要委员会")
_AGENDA_RE = re.compile(r"^\s*议程项目\s*(\S+?)\s*$")
_SUBJECT_RE = re.compile(r"^\s*(?:\*\*)?(?:大会|安全理事会)(?:\*\*)?\s*[，,]\s*$")
# The subject run into the first operative words: 大会建议: (甲)…
_SUBJECT_PREFIX_RE = re.compile(r"^\s*(?:大会|安全理事会)(?=\S{1,6}[:：])")
_PART_STEMS = "甲乙丙丁戊己庚辛壬癸"  # older Chinese texts letter their parts 甲, 乙: A, B
_PART_RE = re.compile(rf"^\s*([A-Z]|[{_PART_STEMS}])\s*(?:[.．]\s*(\S.*?))?\s*$")
_DATE_LINE_RE = re.compile(rf"^\s*{_DATE}\s*[,，]?\s*(?:{_MEETING})?\s*$")
_MEETING_LINE_RE = re.compile(rf"^\s*{_MEETING}\s*$")
_COUNCIL_ADOPTION_RE = re.compile(rf"^\s*{_DATE}\s*安全理事会\s*{_MEETING}\s*$")
_GLUED_DATE_RE = re.compile(rf"^(.*[。；;.])\s*({_DATE}\s*[,，]?)\s*$")
_MARKDOWN_RE = re.compile(r"^\s*#{1,6}\s|\*\*\S|<sup>", re.MULTILINE)
_MEETING_SEARCH_LINES = 6
_HEAD_DATE_LINES = 3  # a date printed just above the title (一九七五年四月十七日)
_CLAUSE_END_RE = re.compile(r"[，,；;。：:.!?！？」”)）]\s*\d{0,2}$")
_ONE_PER_LINE_SHARE = 0.6
_LONG_LINE = 20
_PART_TITLE_LINES = 2
_PARAGRAPH_END_RE = re.compile(r"[，,；;。]\s*\d{0,2}$")
_PARAGRAPH_START_RE = re.compile(
    rf"^(?:\d{{1,3}}\s*[.．]|[{CHINESE_NUMERAL_CHARS}]{{1,4}}[.．、]|[(（])"
)


class ParseError(UnresError, ValueError):
    """A file that is not a complete resolution; names the file and what is missing."""

    def __init__(self, source: str, problem: str):
        super().__init__(f"{source}: {problem}")
        self.source = source
        self.problem = problem


@dataclass
class _Identity:
    number: str
    title: str
    at: int  # the line the number was found on
    title_date: str | None = None  # 五十六(一九四八).一九四八年八月十九日決議案


@dataclass
class _Closing:
    date: str | None = None
    meeting: int | None = None
    problem: str | None = None  # a date line that is no date: 2013 年 13 月 45日


def parse_file(path: Path | str) -> Resolution:
    """Parse the resolution file at ``path`` (.txt, .md, .html, .htm, .pdf or .docx)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ParseError(str(path), f"cannot read the file ({error.strerror or error})") from error
    return parse_bytes(data, source=str(path))


def parse_bytes(data: bytes, source: str = "<bytes>") -> Resolution:
    """Parse resolution file content given as bytes; the format follows ``source``'s suffix."""
    if not data.strip():
        raise ParseError(source, "the file is empty")
    try:
        text = readers.text_of(data, Path(source).suffix)
    except (DecodeError, readers.ReadError) as error:
        raise ParseError(source, str(error)) from error
    return parse_text(text, source=source)


def parse_text(text: str, source: str = "<text>") -> Resolution:
    """Parse decoded resolution text (LF line ends, ASCII digits)."""
    if not text.strip():
        raise ParseError(source, "the file is empty")
    warnings: list[str] = []
    lines = text.split("\n")
    is_markdown = bool(_MARKDOWN_RE.search(text))
    if not is_markdown:
        lines, english = web_layout.drop_english(web_layout.restore_lines(lines))
        if english:
            warnings.append(f"bilingual page: skipped its English text ({english} letters)")
        lines = _split_glued_dates(web_layout.drop_navigation(lines))
    simple = _simplified_lines(lines)
    identity = _identify(lines, simple, is_markdown, source)
    paragraphs: list[Paragraph] = []
    closing, parts, last_marker = _Closing(), {}, 0
    for part, part_title, start, end in _parts(lines, simple, identity.at + 1):
        if part:
            parts[part] = part_title
        layout, part_closing = _read_part(lines, simple, start, end, is_markdown, last_marker)
        paragraphs += _finish(layout, part)
        last_marker = layout.last_marker
        closing = closing if closing.date else part_closing
        if part_closing.problem:
            warnings.append(part_closing.problem)
        _warn_cut_short(paragraphs, part, part_closing, warnings)
    if not any(p.type != FOOTNOTE for p in paragraphs):
        raise ParseError(source, "no paragraph found after the title: not a resolution text")
    head = simple[: identity.at + 3]
    date = closing.date or _head_date(simple, identity)
    meeting = closing.meeting if closing.meeting is not None else _councilnumber_value(head)
    if date is None:
        warnings.append("no adoption date found")
    committee, report = _adoption(head)
    number = identity.number
    return Resolution(
        symbol=symbol_of(number),
        number=number,
        session=session_of(number),
        title=identity.title,
        date=date,
        meeting=meeting,
        committee=committee,
        report=report,
        agenda_item=_agenda_item(simple[: identity.at]),
        special_session=number.startswith(("S-", "ES-")),
        body=body_of(number),
        year=int(date[:4]) if date else year_of(number),
        parts=parts,
        warnings=warnings,
        paragraphs=paragraphs,
    )


def _simplified_lines(lines: list[str]) -> list[str]:
    """Each line in simplified characters, position for position (one OpenCC call)."""
    simple = to_simplified("\n".join(lines)).split("\n")
    if [len(line) for line in simple] != [len(line) for line in lines]:
        simple = [to_simplified(line) for line in lines]  # keep each line's length
    return simple


def _split_glued_dates(lines: list[str]) -> list[str]:
    """``…之規定。一九六〇年十二月十四日,``: the closing date glued to the last paragraph."""
    split: list[str] = []
    for line in lines:
        glued = _GLUED_DATE_RE.match(line)
        split += [glued.group(1), glued.group(2)] if glued else [line]
    return split


def _identify(lines: list[str], simple: list[str], markdown: bool, source: str) -> _Identity:
    """The resolution's own number and title, from the first line that says it."""
    for index, line in enumerate(simple):
        shown = markdown_layout.strip_inline(lines[index]) if markdown else lines[index]
        titled = _TITLE_RE.match(shown)
        number = canonical_number(titled.group(1)) if titled else None
        if titled and number:
            return _titled(number, titled.group(2), index)
        heading = _COUNCIL_HEADING_RE.match(line)
        number = canonical_number(heading.group(1)) if heading else None
        if number:
            return _Identity(number, "", index)
        if _is_subject(line):
            break  # the number comes before the subject or not at all
    # A symbol or 决议案 heading above the subject names the resolution; below it, or in a
    # text without a subject, only one heading its own line (else it is a citation).
    subject = next((i for i, line in enumerate(simple) if _is_subject(line)), None)
    for pattern in (_SYMBOL_RE, _OLD_WORD_RE):
        for index, line in enumerate(simple):
            found = pattern.search(line)
            if not found or (
                (subject is None or index > subject) and not _HEADING_LINE_RE.match(line)
            ):
                continue
            number = canonical_number(found.group(1))
            if number:
                return _titled_by_serial(number, lines, simple, index)
    raise ParseError(
        source,
        "not a resolution: no number of its own (no title line such as '68/46. 标题', "
        "heading such as '第2446(2018)号决议' or symbol such as A/RES/68/46)",
    )


def _titled(number: str, title: str, at: int) -> _Identity:
    dated = _DATE_TITLE_RE.match(to_simplified(title))
    if dated:  # a Council resolution of the 1940s is headed by its date, not a title
        return _Identity(number, "", at, title_date=_iso_date(*dated.groups()))
    return _Identity(number, title, at)


def _titled_by_serial(number: str, lines: list[str], simple: list[str], at: int) -> _Identity:
    """Found by its symbol: the title is a line opening with the serial, ``四 非政府组织…``."""
    serial = number_value(re.split(r"[\s/(]", number)[0]) if "/" not in number else None
    for index in range(at + 1, len(simple)):
        if _is_subject(simple[index]):
            break
        found = _NUMBER_TITLE_RE.match(simple[index])
        if found and serial is not None and number_value(found.group(1)) == serial:
            return _Identity(number, lines[index].strip()[len(found.group(1)) :].strip(), index)
    return _Identity(number, "", at)


def _parts(
    lines: list[str], simple: list[str], start: int
) -> list[tuple[str | None, str, int, int]]:
    """(letter, title, first line, end line) of each part; one unlettered part if none.

    A part opens with its letter, ``A`` or ``A. 标题``, its title on the letter's line or the
    lines after it, and then the subject 大会，."""
    headings = []
    for index in range(start, len(simple)):
        found = _PART_RE.match(simple[index])
        title_lines = _part_title_lines(simple, index + 1) if found else None
        if found and title_lines is not None:
            title = (
                lines[index][found.start(2) : found.end(2)]
                if found.group(2)
                else "".join(lines[i].strip() for i in title_lines)
            )
            letter = found.group(1)
            if letter in _PART_STEMS:
                letter = chr(ord("A") + _PART_STEMS.index(letter))
            headings.append((index, letter, title))
    if not headings:
        return [(None, "", start, len(simple))]
    bounds = [index for index, _, _ in headings] + [len(simple)]
    return [
        (letter, title, index + 1, bounds[k + 1])
        for k, (index, letter, title) in enumerate(headings)
    ]


def _is_subject(line: str) -> bool:
    """大会， or 安全理事会， alone on its line (bold in the PDF text: 大会大会大会大会，)."""
    return bool(_SUBJECT_RE.match(collapse_bold(line.strip())[1]))


def _part_title_lines(simple: list[str], start: int) -> list[int] | None:
    """The title lines between a part letter and the subject; None when no subject follows."""
    title: list[int] = []
    for index in range(start, len(simple)):
        line = simple[index].strip()
        if not line:
            continue
        if _is_subject(line):
            return title
        if len(title) == _PART_TITLE_LINES or _CLAUSE_END_RE.search(line):
            return None
        title.append(index)
    return None


def _read_part(
    lines: list[str],
    simple: list[str],
    start: int,
    end: int,
    markdown: bool,
    last_marker: int,
) -> tuple[Layout, _Closing]:
    """One part's lines cut into paragraphs, and its closing date and meeting."""
    subject = next((i for i in range(start, end) if _is_subject(simple[i])), None)
    body_start = start if subject is None else subject + 1
    closing_at, closing = _find_closing(simple, body_start, end)
    body = [_SUBJECT_PREFIX_RE.sub("", line) for line in lines[body_start:closing_at]]
    if closing_at == end:
        body = _without_trailing_site_text(body)
    tail = lines[closing_at + 1 : end] if closing_at < end else []
    if markdown:
        layout = markdown_layout.cut(body, tail)
    elif _one_paragraph_per_line(body):
        layout = lines_layout.cut(body, tail, last_marker)
    else:
        layout = pdf_layout.cut(body, tail)
    return layout, closing


def _without_trailing_site_text(body: list[str]) -> list[str]:
    """A page's text after the resolution's last sentence (``相关链接:`` ``主页 | 返回顶部``):
    lines after the last 。 none of which is a paragraph or its beginning."""
    ends = [i for i, line in enumerate(body) if line.rstrip().endswith("。")]
    if not ends:
        return body
    rest = body[ends[-1] + 1 :]
    if any(_could_be_paragraph(line.strip()) for line in rest):
        return body
    return body[: ends[-1] + 1]


def _could_be_paragraph(line: str) -> bool:
    return bool(
        _PARAGRAPH_END_RE.search(line)
        or _PARAGRAPH_START_RE.match(line)
        or (line and match_lead(line))
    )


def _find_closing(simple: list[str], start: int, end: int) -> tuple[int, _Closing]:
    """Where the body ends: the adoption date line (from the end; a Council text may close
    with its adoption line, 2015年7月20日安全理事会第7488次会议通过), else a meeting line."""
    for index in range(end - 1, start - 1, -1):
        dated = _DATE_LINE_RE.match(simple[index]) or _COUNCIL_ADOPTION_RE.match(simple[index])
        if dated:
            date = _iso_date(*dated.groups()[:3])
            problem = None if date else f"adoption date out of range: {simple[index].strip()}"
            meeting = number_value(dated.group(4)) if dated.group(4) else None
            for line in simple[index + 1 : index + 1 + _MEETING_SEARCH_LINES]:
                found = _MEETING_LINE_RE.match(line)
                if meeting is None and found:
                    meeting = number_value(found.group(1))
            return index, _Closing(date, meeting, problem)
    for index in range(end - 1, start - 1, -1):
        found = _MEETING_LINE_RE.match(simple[index])
        if found:
            return index, _Closing(None, number_value(found.group(1)))
    return end, _Closing()


def _iso_date(year: str, month: str, day: str) -> str | None:
    y, m, d = (number_value(part) for part in (year, month, day))
    if y is None or m is None or d is None or not (1 <= m <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{m:02d}-{d:02d}"


def _head_date(simple: list[str], identity: _Identity) -> str | None:
    """A date printed above the body: the Council's adoption line, the title, or just above."""
    for line in simple[identity.at : identity.at + 4]:
        adopted = _COUNCIL_ADOPTION_RE.match(line)
        if adopted:
            return _iso_date(*adopted.groups()[:3])
    if identity.title_date:
        return identity.title_date
    for line in simple[max(0, identity.at - _HEAD_DATE_LINES) : identity.at]:
        dated = _DATE_LINE_RE.match(line)
        if dated:
            return _iso_date(*dated.groups()[:3])
    return None


def _councilnumber_value(head: list[str]) -> int | None:
    for line in head:
        adopted = _COUNCIL_ADOPTION_RE.match(line)
        if adopted:
            return number_value(adopted.group(4))
    return None


def _one_paragraph_per_line(body: list[str]) -> bool:
    """Whether most long lines end a clause: a paragraph to a line, not hard-wrapped text."""
    long_lines = [line.strip() for line in body if len(line.strip()) >= _LONG_LINE]
    if not long_lines:
        return True
    ended = sum(1 for line in long_lines if _CLAUSE_END_RE.search(line))
    return ended >= _ONE_PER_LINE_SHARE * len(long_lines)


def _warn_cut_short(
    paragraphs: list[Paragraph], part: str | None, closing: _Closing, warnings: list[str]
) -> None:
    own = [p for p in paragraphs if p.part == part and p.type != FOOTNOTE]
    where = f"part {part}" if part else "the text"
    if own and not own[-1].text.rstrip().endswith(("。", ".", "；", ";")):
        if closing.date is None and closing.meeting is None:
            warnings.append(
                f"{where} is cut short: its last paragraph ends mid-sentence "
                f"(…{own[-1].text[-12:]}) and no adoption date or meeting follows"
            )
    if own and not any(p.type == OPERATIVE for p in own):
        warnings.append(f"{where} has no operative paragraph: the text is cut short")


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


def _finish(layout: Layout, part: str | None) -> list[Paragraph]:
    paragraphs = [_finish_paragraph(raw, part) for raw in layout.paragraphs]
    for number in sorted(layout.footnotes):
        body = layout.footnotes[number]
        paragraphs.append(
            Paragraph(type=FOOTNOTE, text=body, number=number, cites=find_cites(body), part=part)
        )
    return paragraphs


def _finish_paragraph(raw: RawParagraph, part: str | None) -> Paragraph:
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
        part=part,
    )
