"""Concordance (KWIC) lines: every match with the characters around it, one match a line.

Translators read a wording in its context across many paragraphs at once; a concordance puts
each occurrence on a line of its own with the same amount of text on either side, so the
matches line up in a column.
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_CONTEXT = 20  # characters on each side


@dataclass(frozen=True)
class ConcordanceLine:
    left: str  # up to ``context`` characters before the match, as printed
    match: str
    right: str  # up to ``context`` characters after it

    def to_dict(self) -> dict:
        return {"left": self.left, "match": self.match, "right": self.right}


def concordance(
    text: str, spans: list[tuple[int, int]], context: int = DEFAULT_CONTEXT
) -> list[ConcordanceLine]:
    """One line per highlighted span of ``text``, in order; line breaks become spaces."""
    flat = text.replace("\r", " ").replace("\n", " ")
    return [
        ConcordanceLine(
            flat[max(0, start - context) : start], flat[start:end], flat[end : end + context]
        )
        for start, end in spans
    ]
