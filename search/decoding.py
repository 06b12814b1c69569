"""Turn the bytes of a resolution file into clean text, whatever the collection did to it.

Real collections mix UTF-8 with and without a BOM, UTF-16, GB18030/GBK, CRLF line ends and
full-width digits; a binary file must be refused here, before any parsing guesses at it.
"""

from __future__ import annotations

import codecs
from pathlib import Path

_SNIFF_BYTES = 8192
# A text file has almost no control characters besides tab, CR and LF.
_MAX_CONTROL_SHARE = 0.01
_CONTROL_BYTES = frozenset(range(32)) - {9, 10, 12, 13}
_CONTROL_BYTE_STRING = bytes(sorted(_CONTROL_BYTES))  # for bytes.translate's delete

# Full-width digits and Latin letters (０-９, Ａ-Ｚ, ａ-ｚ) read as their ASCII forms; full-width
# punctuation stays, because Chinese text uses it on purpose.
_ASCII_FORMS = {
    **{0xFF10 + i: ord("0") + i for i in range(10)},
    **{0xFF21 + i: ord("A") + i for i in range(26)},
    **{0xFF41 + i: ord("a") + i for i in range(26)},
}


class DecodeError(ValueError):
    """The file is not text in an encoding resolutions come in."""


def read_text(path: Path) -> str:
    """The file's text with LF line ends and ASCII digits and letters."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise DecodeError(f"cannot read the file ({error.strerror or error})") from error
    return decode(data)


def decode(data: bytes) -> str:
    """Decode resolution bytes: BOMs, UTF-8, then GB18030; binary data is refused."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            return _clean(_decode_as(data[len(bom) :], encoding))
    _refuse_binary(data)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.reason == "unexpected end of data":
            # Valid UTF-8 up to a character cut in half: a truncated file, not GB18030.
            raise DecodeError(
                "UTF-8 text cut short in the middle of a character: the file is truncated"
            ) from error
        text = _decode_as(data, "gb18030")
    return _clean(text)


def _decode_as(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise DecodeError(
            f"not valid {encoding.upper()} text (bad byte at offset {error.start})"
        ) from error


def _refuse_binary(data: bytes) -> None:
    sample = data[:_SNIFF_BYTES]
    if not sample:
        return
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTE_STRING))
    if b"\x00" in sample or controls / len(sample) > _MAX_CONTROL_SHARE:
        raise DecodeError("binary content, not a text file")


def _clean(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    return text.translate(_ASCII_FORMS)
