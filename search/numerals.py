"""Numbers as old resolutions print them: Chinese numerals and Roman session numerals.

Texts of the 1940s-1970s write resolution numbers, sessions, dates and meetings in Chinese
numerals, either digit by digit (二七五八 = 2758, 一九四八 = 1948) or with the multipliers
(二十六 = 26, 五十六 = 56); the General Assembly marks a session of its first thirty with a
Roman numeral (2758 (XXVI) is of the 26th session).
"""

from __future__ import annotations

CHINESE_DIGITS = "〇零一二三四五六七八九"
CHINESE_NUMERAL_CHARS = CHINESE_DIGITS + "两十百千"
_DIGIT_VALUES = {**{c: i for i, c in enumerate("〇一二三四五六七八九")}, "零": 0, "两": 2}
_MULTIPLIERS = {"十": 10, "百": 100, "千": 1000}
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def chinese_to_int(text: str) -> int | None:
    """二七五八 → 2758, 二十六 → 26, 十五 → 15, 一百零一 → 101; None if not a numeral."""
    if not text or any(char not in _DIGIT_VALUES and char not in _MULTIPLIERS for char in text):
        return None
    if not any(char in _MULTIPLIERS for char in text):
        return int("".join(str(_DIGIT_VALUES[char]) for char in text))
    total, digit = 0, None
    for char in text:
        if char in _MULTIPLIERS:
            total += (1 if digit is None else digit) * _MULTIPLIERS[char]
            digit = None
        else:
            digit = _DIGIT_VALUES[char]
    return total + (digit or 0)


def number_value(text: str) -> int | None:
    """An ASCII or Chinese numeral as an int: 947, 九四七 and 九百四十七 alike."""
    text = text.strip()
    return int(text) if text.isascii() and text.isdigit() else chinese_to_int(text)


def roman_to_int(text: str) -> int | None:
    """XXVI → 26; None when ``text`` is not a Roman numeral."""
    if not text or any(char not in _ROMAN for char in text):
        return None
    total = 0
    for char, following in zip(text, text[1:] + " "):
        value = _ROMAN[char]
        total += -value if following in _ROMAN and _ROMAN[following] > value else value
    return total


def int_to_roman(value: int) -> str:
    """26 → XXVI (sessions run to 30 in the old numbering; any small number works)."""
    parts = []
    for size, letters in ((100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX")):
        count, value = divmod(value, size)
        parts.append(letters * count)
    for size, letters in ((5, "V"), (4, "IV"), (1, "I")):
        count, value = divmod(value, size)
        parts.append(letters * count)
    return "".join(parts)
