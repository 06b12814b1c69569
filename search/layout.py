"""What the two layout readers (PDF text, Markdown) hand to the parser, and how lines join.

A layout reader only decides where paragraphs and footnote bodies begin and end; leads,
verbs and citations are read later, the same way for both shapes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_SPACES_RE = re.compile(r"[ \t\u3000]+")
_ASCII_WORD_END = re.compile(r"[A-Za-z0-9)\]]$")
_ASCII_WORD_START = re.compile(r"^[A-Za-z0-9(\[]")
_ASCII_ALNUM = re.compile(r"[A-Za-z0-9]")


@dataclass
class RawParagraph:
    """A paragraph as cut from the layout, before leads and citations are read."""

    type: str
    text: str = ""
    number: int | None = None
    item: str | None = None
    lead: str | None = None  # when the layout marked it (Markdown bold)
    footnotes: list[int] = field(default_factory=list)


@dataclass
class Layout:
    """Body paragraphs in document order and footnote bodies by number."""

    paragraphs: list[RawParagraph]
    footnotes: dict[int, str]
    last_marker: int = 0  # markers count on across the parts of a resolution


def join_lines(parts: list[str]) -> str:
    """Join wrapped lines: Chinese joins with no space, Latin words keep one between them."""
    text = ""
    for part in parts:
        part = _SPACES_RE.sub(" ", part.strip())
        if not part:
            continue
        if text and _ASCII_WORD_END.search(text) and _ASCII_WORD_START.match(part):
            text += " "
        text += part
    return text


def marker_gap(found: re.Match) -> str:
    """What a removed footnote marker leaves: a space only between two Latin words."""
    text = found.string
    before = text[found.start() - 1 : found.start()]
    after = text[found.end() : found.end() + 1]
    if _ASCII_ALNUM.match(before) and _ASCII_ALNUM.match(after):
        return " "
    return ""
