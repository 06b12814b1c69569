"""Resolution numbers in their canonical form, and the resolutions a paragraph cites.

People cite 68/46; special sessions read S-10/2; some older numbers carry a letter part, printed
as 56/24T or 56/24 T, which is canonically ``56/24 T``. A citation is a number followed by 号 in a
run that ends in 号决议 (resolution); runs ending in 号决定 cite decisions and are left out.
"""

from __future__ import annotations

import re

NUMBER_PATTERN = r"(?:S-\d{1,2}/\d{1,3}|\d{1,3}/\d{1,3}(?:\s?[A-Z]{1,2}(?![A-Za-z]))?)"
_NUMBER_RE = re.compile(rf"^\s*({NUMBER_PATTERN})\s*$")
_PARTS_RE = re.compile(r"^(S-)?(\d{1,3})/(\d{1,3})\s?([A-Z]{1,2})?$")

# 第 67/56 号: the number may follow 第 or stand alone (S-10/2 号决议).
_CITED_RE = re.compile(rf"(?<![A-Za-z0-9/.\-])({NUMBER_PATTERN})\s*号")
_SYMBOL_CITED_RE = re.compile(rf"A/RES/({NUMBER_PATTERN})")
_RUN_END_RE = re.compile(r"号(决议|决定)|[；;。]")


def canonical_number(raw: str) -> str | None:
    """``56/24T`` → ``56/24 T``; None when ``raw`` is not a resolution number."""
    found = _NUMBER_RE.match(raw)
    if not found:
        return None
    parts = _PARTS_RE.match(found.group(1))
    special, session, serial, letter = parts.groups()
    number = f"{special or ''}{int(session)}/{int(serial)}"
    return f"{number} {letter}" if letter else number


def session_of(number: str) -> int:
    """The session part of a canonical number: 68 for 68/46, 10 for S-10/2."""
    return int(number.removeprefix("S-").split("/", 1)[0])


def find_cites(text: str) -> list[str]:
    """The resolutions ``text`` cites, canonical, in order of first mention."""
    cites: dict[str, None] = {}
    for found in _CITED_RE.finditer(text):
        run_end = _RUN_END_RE.search(text, found.end() - 1)
        if run_end and run_end.group(1) == "决议":
            cites[canonical_number(found.group(1))] = None
    for found in _SYMBOL_CITED_RE.finditer(text):
        cites[canonical_number(found.group(1))] = None
    return list(cites)
