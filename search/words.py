"""A paragraph as a sequence of tokens: jieba's words, and each character between them.

The words were cut once, at indexing time, and are read back from the gram index
(:meth:`GramIndex.word_spans`), so nothing here loads jieba. Each token carries its normalized
form, which is what is compared, and the stretch of the printed text it came from, which is
what is shown: the printed pieces joined give back the printed paragraph exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

from .catalog import SegmentedGrams
from .grams import GramIndex
from .normalize import normalize_with_offsets


@dataclass(frozen=True)
class Token:
    norm: str  # as compared: normalized
    printed: str  # as shown, with any whitespace that follows it
    is_word: bool  # a jieba word, not punctuation between words


def tokens(grams: GramIndex | SegmentedGrams, doc: int, printed: str) -> list[Token]:
    """The tokens of catalog paragraph ``doc`` whose printed text is ``printed``."""
    normalized, offsets = normalize_with_offsets(printed)
    if not normalized:
        return [Token("", printed, False)] if printed else []
    words = dict(grams.word_spans(doc).tolist())
    cuts: list[tuple[int, int, bool]] = []
    at = 0
    while at < len(normalized):
        end = words.get(at)
        cuts.append((at, end or at + 1, end is not None))
        at = end or at + 1
    starts = [0] + [offsets[start] for start, _, _ in cuts[1:]] + [len(printed)]
    return [
        Token(normalized[start:end], printed[starts[i] : starts[i + 1]], is_word)
        for i, (start, end, is_word) in enumerate(cuts)
    ]


def word_forms(grams: GramIndex | SegmentedGrams, doc: int) -> list[str]:
    """The normalized words of catalog paragraph ``doc`` (punctuation left out)."""
    text = grams.text(doc)
    return [text[start:end] for start, end in grams.word_spans(doc).tolist()]
