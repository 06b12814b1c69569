"""Resolution numbers in their canonical form, and the resolutions a paragraph cites.

Three numberings exist, and each canonical form says which one it is:

- the General Assembly since 1976: ``68/46``, lettered parts ``56/24 T`` (printed 56/24T),
  special sessions ``S-10/2`` and emergency special sessions ``ES-11/1``;
- the General Assembly of sessions 1-30, numbered across sessions with the session as a
  Roman numeral: ``2758 (XXVI)``, ``217 A (III)`` (older texts: ``二七五八 (二十六)``, ``四(一)``);
- the Security Council, numbered since 1946 with the year: ``2446 (2018)`` (older texts:
  ``五十六(一九四八)``), symbol ``S/RES/2446 (2018)``.

A citation is a number followed by 号 in a run that ends in 号决议 (resolution), lists
included (``第2121(2013)、2127(2013)号决议``) and letter ranges (``47/202 A至D``); runs ending
in 号决定 cite decisions and are left out. Old texts cite ``决议案五十四(一九四八)``.
Traditional characters (號決議) are read as simplified.
"""

from __future__ import annotations

import re

from .numerals import CHINESE_NUMERAL_CHARS, chinese_to_int, int_to_roman, roman_to_int

GA, SC = "GA", "SC"
_FIRST_COUNCIL_YEAR = 1946
_MODERN = r"(?:E?S-\d{1,2}/\d{1,3}|\d{1,3}/\d{1,3}(?:\s?[A-Z]{1,2}(?![A-Za-z]))?)"
_OLD = r"\d{1,4}\s?(?:[A-Z]\s?)?[(（]\s?(?:[IVXL]{1,7}|(?:19|20)\d\d)\s?[)）]"
_CN = rf"[{CHINESE_NUMERAL_CHARS}]{{1,6}}\s?(?:[A-Z]\s?)?[(（]\s?[{CHINESE_NUMERAL_CHARS}]{{1,4}}\s?[)）]"
NUMBER_PATTERN = rf"(?:{_OLD}|{_CN}|{_MODERN})"
_NUMBER_RE = re.compile(rf"^\s*(?:[AS]/RES/)?\s*({NUMBER_PATTERN})\s*$")
_MODERN_RE = re.compile(r"^(E?S-)?(\d{1,3})/(\d{1,3})\s?([A-Z]{1,2})?$")
_PAREN_RE = re.compile(r"^(\S+?)\s?(?:([A-Z])\s?)?[(（]\s?(\S+?)\s?[)）]$")

_NOT_BEFORE = r"(?<![A-Za-z0-9/.\-])"
_SEPARATOR = r"\s*(?:、|,|，|和|及|以及)\s*(?:第\s*)?"
_RANGE = r"(?:\s*至\s*[A-Z](?![A-Za-z]))?"
_CITED_RUN_RE = re.compile(
    rf"{_NOT_BEFORE}({NUMBER_PATTERN}{_RANGE}(?:{_SEPARATOR}{NUMBER_PATTERN}{_RANGE})*)\s*号"
)
_IN_RUN_RE = re.compile(rf"({NUMBER_PATTERN})(?:\s*至\s*([A-Z])(?![A-Za-z]))?")
_SYMBOL_CITED_RE = re.compile(rf"[AS]/RES/({NUMBER_PATTERN})")
_OLD_WORD_CITED_RE = re.compile(rf"决议案\s*({NUMBER_PATTERN})")
_PART_LETTER_RE = re.compile(r" [A-Z]{1,2}(?= \(|$)")
_RUN_END_RE = re.compile(r"号等?(决议|决定)|[；;。]")


def canonical_number(raw: str) -> str | None:
    """``56/24T`` → ``56/24 T``, ``二七五八 (二十六)`` → ``2758 (XXVI)``, ``S/RES/2446(2018)`` →
    ``2446 (2018)``; None when ``raw`` is not a resolution number."""
    found = _NUMBER_RE.match(raw)
    if not found:
        return None
    text = found.group(1)
    modern = _MODERN_RE.match(text)
    if modern:
        special, session, serial, letter = modern.groups()
        number = f"{special or ''}{int(session)}/{int(serial)}"
        return f"{number} {letter}" if letter else number
    parts = _PAREN_RE.match(text)
    if parts is None:
        return None
    serial_text, letter, inner = parts.groups()
    serial = int(serial_text) if serial_text.isdigit() else chinese_to_int(serial_text)
    if not serial:
        return None
    part = f" {letter}" if letter else ""
    if inner.isdigit():
        year = int(inner)
        return f"{serial} ({year})" if year >= _FIRST_COUNCIL_YEAR else None
    session = roman_to_int(inner)
    if session is None:
        value = chinese_to_int(inner)
        if value is None:
            return None
        if value >= _FIRST_COUNCIL_YEAR:  # 五十六(一九四八): a Council resolution of 1948
            return f"{serial} ({value})"
        session = value
    return f"{serial}{part} ({int_to_roman(session)})" if session else None


def body_of(number: str) -> str:
    """GA or SC, from a canonical number: only Council numbers carry a year."""
    inner = number.rsplit("(", 1)[-1].rstrip(")")
    return SC if "(" in number and inner.isdigit() else GA


def session_of(number: str) -> int | None:
    """The General Assembly session: 68 for 68/46, 10 for S-10/2, 26 for 2758 (XXVI);
    None for a Council resolution."""
    if body_of(number) == SC:
        return None
    if "(" in number:
        return roman_to_int(number.rsplit("(", 1)[-1].rstrip(")"))
    return int(number.split("-")[-1].split("/", 1)[0])


def year_of(number: str) -> int | None:
    """The year a Council number carries: 2018 for 2446 (2018)."""
    return int(number.rsplit("(", 1)[-1].rstrip(")")) if body_of(number) == SC else None


def symbol_of(number: str) -> str:
    """``A/RES/68/46``, ``A/RES/2758 (XXVI)``, ``S/RES/2446 (2018)``."""
    return f"{'S' if body_of(number) == SC else 'A'}/RES/{number}"


def part_number(number: str, part: str | None) -> str:
    """The number of one part: 50/72 and B → ``50/72 B``; 3390 (XXX) and A → ``3390 A (XXX)``."""
    if not part:
        return number
    if "(" in number:
        serial, rest = number.split(" ", 1)
        return f"{serial} {part} {rest}"
    return f"{number} {part}"


def whole_number(number: str) -> str:
    """The number without its part letter: ``50/72 B`` → ``50/72``, ``217 A (III)`` →
    ``217 (III)``; a number without a part is returned as it is."""
    return _PART_LETTER_RE.sub("", number)


def find_cites(text: str) -> list[str]:
    """The resolutions ``text`` cites, canonical, in order of first mention."""
    text = text.replace("號", "号").replace("決", "决").replace("議", "议")
    if "号" not in text and "RES/" not in text and "决议案" not in text:
        return []  # most paragraphs cite nothing: skip the patterns
    mentions: list[tuple[int, str]] = []
    for run in _CITED_RUN_RE.finditer(text):
        run_end = _RUN_END_RE.search(text, run.end() - 1)
        if not (run_end and run_end.group(1) == "决议"):
            continue
        for found in _IN_RUN_RE.finditer(run.group(1)):
            at = run.start(1) + found.start()
            mentions += [(at, number) for number in _expanded(found.group(1), found.group(2))]
    for pattern in (_SYMBOL_CITED_RE, _OLD_WORD_CITED_RE):
        for found in pattern.finditer(text):
            named = canonical_number(found.group(1))
            if named:
                mentions.append((found.start(1), named))
    mentions.sort(key=lambda mention: mention[0])  # stable: a range keeps its order
    return list(dict.fromkeys(number for _, number in mentions))


def _expanded(raw: str, last_letter: str | None) -> list[str]:
    """47/202 A至D → 47/202 A, B, C, D."""
    number = canonical_number(raw)
    if number is None:
        return []
    if not last_letter or " " not in number or "(" in number:
        return [number]
    base, first = number.rsplit(" ", 1)
    if len(first) != 1 or last_letter < first:
        return [number]
    return [f"{base} {chr(code)}" for code in range(ord(first), ord(last_letter) + 1)]
