"""The one text normalization, applied alike to indexed text and to queries.

Resolutions reach us from PDF and Word extraction, where the same words appear as
``２０１３年``, ``2013 年`` or ``2013年``, and Latin text in any case. Whatever is indexed
and whatever is searched goes through :func:`normalize`, so those spellings meet as one
search form. The search form is never shown to a reader: it turns ``，；（）`` into ASCII
punctuation, which is intended.

The rules, in order of application to the original text:

1. Whitespace. A run of whitespace is dropped when either neighbour is CJK (see
   below), at the start, or at the end of the text; any other run becomes one ASCII
   space. Chinese does not separate words, so a space next to a Chinese character is
   a layout artefact (``2013 年`` → ``2013年``, ``其中 大会`` → ``其中大会``), whereas
   between two Latin words or numbers it separates them
   (``NPT/CONF.2010/50  (Vols`` → ``npt/conf.2010/50 (vols``).
2. Folding. Every other character becomes its NFKC form, case-folded
   (``２０１３`` → ``2013``, ``ＮＰＴ`` → ``npt``). NFKC is applied per character, so
   combining sequences are not composed, and a character whose NFKC form contains a
   space (spacing accents such as ``¨`` and ``￣``) is kept as it is: its space would
   escape rule 1 and make the normalization non-idempotent.
3. Script. Traditional characters become simplified through OpenCC's ``t2s``
   conversion (``裁軍`` → ``裁军``, ``決議案`` → ``决议案``), so that either script finds
   both. OpenCC converts phrases, which could in principle change a text's length; then
   each run of ideographs whose length changed is converted character by character, which
   keeps one normalized character per original one (:func:`_simplify`).

"CJK" is judged on the ORIGINAL character, before folding, by code point: the
ideographs (unified, extensions, compatibility, radicals, enclosed and squared forms),
CJK symbols and punctuation (U+3001-303F; U+3000 itself is whitespace), the vertical,
small and compatibility forms of CJK punctuation, and the full-width region
U+FF00-FFEF except the full-width digits and Latin letters. Those are kept out so that
``２０１３ １２`` stays two numbers, as ``2013 12`` does. Every character that folds to
or from CJK is in the class, which keeps ``normalize`` idempotent: the tokenizer may
well be handed text that is already normalized.

:func:`normalize_with_offsets` also maps every normalized character back to the
original character it came from, which is how the tokenizer reports highlight offsets
in the text the reader sees. :func:`normalize` applies the same rules, with the same
character class and fold table, in a few whole-string passes, because it runs on
every query and on every paragraph at index time. The tests hold the two to the same
output on every line of the corpus and on generated text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from functools import cache

# Rule 1's notion of CJK, on original characters (see the module docstring).
_CJK_CLASS = (
    r"\u2329\u232a"  # angle brackets that NFKC turns into 〈 〉
    r"\u2e80-\u2fdf"  # CJK and Kangxi radicals (PDF extraction emits ⼀ for 一)
    r"\u3001-\u303f"  # CJK symbols and punctuation, without U+3000 (a space)
    r"\u3190-\u319f"  # kanbun marks: ㆒ is 一
    r"\u3200-\u33ff"  # enclosed CJK letters and months, CJK compatibility: ㈠ ㋀
    r"\u3400-\u4dbf"  # extension A
    r"\u4e00-\u9fff"  # unified ideographs
    r"\uf900-\ufaff"  # compatibility ideographs
    r"\ufe10-\ufe1f\ufe30-\ufe6f"  # vertical, compatibility and small forms: ︽ ﹑
    r"\uff00-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uffef"  # full-width, not 0-9 A-Z a-z
    r"\U0001f12a"  # 🄪, which NFKC turns into 〔s〕
    r"\U0001f200-\U0001f2ff"  # enclosed ideographic supplement: 🈐
    r"\U00020000-\U0003134f"  # extensions B-G and compatibility supplement
)
_WHITESPACE_RUN = re.compile(r"\s+")
_CJK_CHAR = re.compile(rf"[{_CJK_CLASS}]")
# In text whose whitespace runs are already single spaces: a space that rule 1 drops
# for its CJK neighbour. Starting with the literal space lets the regex engine skip
# ahead quickly, and single spaces leave it nothing to backtrack over.
_SPACE_BY_CJK = re.compile(rf" (?:(?=[{_CJK_CLASS}])|(?<=[{_CJK_CLASS}] ))")
# The complement of characters that fold to themselves (tests check every one), so
# that folding touches only the rare runs that can change: upper case, full width.
_FOLDABLE_RUN = re.compile(r"[^\x00-\x40\x5b-\x7f\u3001-\u3011\u4e00-\u9fff]+")


# What OpenCC may rewrite: runs of ideographs (everything else it leaves as it is).
_IDEOGRAPH_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")


class _FoldTable(dict):
    """Code point → folded string, filled on first sight so nothing runs at import.

    Usable directly as a ``str.translate`` table. It grows to the number of distinct
    characters ever seen, a few thousand for this corpus.
    """

    def __missing__(self, code_point: int) -> str:
        char = chr(code_point)
        folded = unicodedata.normalize("NFKC", char).casefold()
        if any(c.isspace() for c in folded):
            folded = char
        self[code_point] = folded
        return folded


_FOLD = _FoldTable()


def normalize(text: str) -> str:
    """The search form of ``text``: the whitespace rule, then NFKC and case folding."""
    # A run and the single space it collapses to have the same neighbours, so
    # collapsing first does not change which runs rule 1 drops.
    spaced = _SPACE_BY_CJK.sub("", _WHITESPACE_RUN.sub(" ", text)).strip()
    return _simplify(_fold(spaced))[0]


def to_simplified(text: str) -> str:
    """``text`` with traditional characters made simplified, nothing else changed;
    one character for one, so positions in the result are positions in ``text``."""
    return _simplify(text)[0]


def normalize_with_offsets(text: str) -> tuple[str, list[int]]:
    """``normalize(text)`` and, for each of its characters, the index in ``text`` of
    the character it came from, followed by ``len(text)``.

    The original span of normalized ``[s, e)`` is ``[offsets[s], offsets[e - 1] + 1)``.
    """
    # Fold first, which keeps whitespace as it is and never creates any, so the runs
    # are found in the folded text and judged on their neighbours in the original.
    folded = _fold(text)
    origin = range(len(text)) if len(folded) == len(text) else _origins(text)

    def space(run: re.Match[str]) -> tuple[str, Sequence[int]]:
        first, last = origin[run.start()], origin[run.end() - 1]
        return (" ", [first]) if _keeps_space(text, first, last + 1) else ("", [])

    spaced, offsets = _rewrite_runs(folded, _WHITESPACE_RUN, space, origin)
    simplified, changed = _simplify(spaced)
    if changed is not None:  # a run converted per character: re-map its characters
        offsets = [offsets[i] for i in changed]
    offsets.append(len(text))
    return simplified, offsets


def _rewrite_runs(
    text: str,
    pattern: re.Pattern[str],
    rewrite: Callable[[re.Match[str]], tuple[str, Sequence[int]]],
    origin: Sequence[int],
) -> tuple[str, list[int]]:
    """``text`` with each run of ``pattern`` rewritten, and for each character of the result
    its origin: ``origin[i]`` for text[i] kept, what ``rewrite`` says for a rewritten run."""
    pieces: list[str] = []
    offsets: list[int] = []
    done = 0
    for run in pattern.finditer(text):
        start, end = run.span()
        pieces.append(text[done:start])
        offsets.extend(origin[done:start])
        piece, piece_origin = rewrite(run)
        pieces.append(piece)
        offsets.extend(piece_origin)
        done = end
    pieces.append(text[done:])
    offsets.extend(origin[done:])
    return "".join(pieces), offsets


def _simplify(text: str) -> tuple[str, list[int] | None]:
    """OpenCC t2s of ``text`` and, only when some run had to be converted character by
    character, for each result character the index of its source character."""
    converted = _converter().convert(text)
    if len(converted) == len(text):
        return converted, None
    return _rewrite_runs(text, _IDEOGRAPH_RUN, _convert_run, range(len(text)))


def _convert_run(run: re.Match[str]) -> tuple[str, Sequence[int]]:
    """A run of ideographs converted whole, or character by character when that changes
    its length (each character then keeps its own position)."""
    whole = _converter().convert(run.group())
    start, end = run.span()
    if len(whole) == end - start:
        return whole, range(start, end)
    chars = [_converter().convert(char) for char in run.group()]
    return "".join(chars), [start + i for i, char in enumerate(chars) for _ in char]


@cache
def _converter():
    """OpenCC's traditional-to-simplified converter, loaded on first use."""
    import opencc

    return opencc.OpenCC("t2s")


def _keeps_space(text: str, start: int, end: int) -> bool:
    """Whether the whitespace run text[start:end] becomes one space (rule 1)."""
    return (
        0 < start
        and end < len(text)
        and not _CJK_CHAR.match(text, start - 1)
        and not _CJK_CHAR.match(text, end)
    )


def _fold(text: str) -> str:
    return _FOLDABLE_RUN.sub(_fold_run, text)


def _fold_run(run: re.Match[str]) -> str:
    return run.group().translate(_FOLD)


def _origins(text: str) -> list[int]:
    """For each character of _fold(text), the index of its character in text."""
    return [i for i, char in enumerate(text) for _ in _FOLD[ord(char)]]
