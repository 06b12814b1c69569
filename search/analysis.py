"""Chinese word segmentation for the Whoosh index, with offsets into the original text.

Text and queries are first normalized (:mod:`search.normalize`), then cut into words by
jieba in precise mode: every character belongs to at most one word, so words follow one
another and Whoosh can number them 0, 1, 2… and answer phrase queries. jieba's own
Whoosh analyzer emits overlapping search-mode words and stores character offsets as
positions, so phrases find nothing there; this module does not use it. The HMM that
guesses words missing from the dictionaries is off: it triples jieba's cost, the words
only rank (matching is by characters, :mod:`search.grams`), and dictionary words are
what a reader calls a whole word.

Three layers:

- :func:`segment` gives the word spans of normalized text. Tokens that hold no letter or
  digit (punctuation, ``____`` rules) are not words and get no position.
- :class:`JiebaTokenizer` is the Whoosh tokenizer, returned by :func:`word_analyzer`. Its
  token texts are normalized words; ``startchar``/``endchar`` point into the text as the
  reader sees it, through the offsets map of :func:`normalize_with_offsets`, which is
  what highlighting needs. The schema is pickled into the index, so the class must stay
  importable under this name.
- :func:`remember` and :func:`forget` let the indexer segment in worker processes: the
  parent hands each paragraph's spans (keyed by its normalized text) to
  :func:`remember` before ``add_document``, and :func:`segment` uses them instead of
  running jieba a second time. The memo keeps at most ``REMEMBER_LIMIT`` texts, dropping
  the oldest first; the caller clears it with :func:`forget`, e.g. after each commit.

jieba is imported and its dictionary loaded on the first segmentation, not at import:
a private ``jieba.Tokenizer`` with its logging quietened, its dictionary cache in the
user's cache directory (``$XDG_CACHE_HOME/unres`` or ``~/.cache/unres``, else the temp
directory), and the UN terms of ``search/data/userdict.txt`` added. That file is plain
jieba user-dictionary format, ``word freq tag`` a line, with no room for comments: the
words are names of organs, treaties and fixed terms that jieba would otherwise split
(裁军谈判会议, 不扩散核武器条约), written in normalized form. A dictionary word is one
token, so searching one of its parts does not find it as a word.
"""

from __future__ import annotations

import functools
import importlib.resources
import logging
import os
import re
import tempfile
import warnings
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from whoosh.analysis import Token, Tokenizer

from .normalize import normalize, normalize_with_offsets

if TYPE_CHECKING:
    import jieba

REMEMBER_LIMIT = 10_000

# A token is a word when it holds a letter or a digit, in any script.
_WORDLIKE = re.compile(r"[^\W_]")

_remembered: dict[str, tuple[tuple[int, int], ...]] = {}


def segment(text: str) -> list[tuple[int, int]]:
    """(start, end) spans of the words of ``text``, which must be normalized."""
    spans = _remembered.get(text)
    if spans is None:
        spans = tuple(
            (start, end)
            for word, start, end in _jieba().tokenize(text, mode="default", HMM=False)
            if _WORDLIKE.search(word)
        )
    return list(spans)


def remember(text: str, spans: Iterable[tuple[int, int]]) -> None:
    """Make :func:`segment` answer ``spans`` for the normalized ``text``."""
    if text not in _remembered and len(_remembered) >= REMEMBER_LIMIT:
        del _remembered[next(iter(_remembered))]
    _remembered[text] = tuple(spans)


def forget() -> None:
    """Drop every remembered segmentation."""
    _remembered.clear()


class JiebaTokenizer(Tokenizer):
    """Whoosh tokenizer: normalized jieba words, positions counted 0, 1, 2…, and
    character offsets into the original value."""

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        # Offsets are only needed when Whoosh asks for characters (highlighting); indexing
        # asks for positions alone, and the plain normalization is several times faster.
        if chars or keeporiginal or not tokenize:
            normalized, offsets = normalize_with_offsets(value)
        else:
            normalized, offsets = normalize(value), None
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            token.text = normalized
            token.original = value  # type: ignore[attr-defined]  # a Token takes any attribute
            if positions:
                token.pos = start_pos
            if chars:
                token.startchar = start_char
                token.endchar = start_char + len(value)
            yield token
            return
        for index, (start, end) in enumerate(segment(normalized)):
            token.text = normalized[start:end]
            token.boost = 1.0
            token.stopped = False
            if offsets is not None:
                first, last = offsets[start], offsets[end - 1] + 1
                if keeporiginal:
                    token.original = value[first:last]  # type: ignore[attr-defined]
                if chars:
                    token.startchar = start_char + first
                    token.endchar = start_char + last
            if positions:
                token.pos = start_pos + index
            yield token


def word_analyzer() -> JiebaTokenizer:
    """The analyzer of the schema's text fields. No stop words and no stemming; case is
    already folded by normalization."""
    return JiebaTokenizer()


@functools.cache
def _jieba() -> jieba.Tokenizer:
    """jieba's tokenizer with its dictionary and ours loaded, made on first use."""
    with warnings.catch_warnings():
        # jieba 0.42 imports pkg_resources, which recent setuptools deprecate loudly.
        warnings.simplefilter("ignore")
        import jieba
    # jieba sets its logger to DEBUG and reports every dictionary load on stderr.
    logging.getLogger("jieba").setLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.tmp_dir = _cache_dir()
    with importlib.resources.files("search.data").joinpath("userdict.txt").open("rb") as f:
        tokenizer.load_userdict(f)  # loads the main dictionary first
    return tokenizer


def _cache_dir() -> str:
    """Where jieba keeps its dictionary cache, which makes loads after the first fast."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = os.path.join(base, "unres")
    try:
        os.makedirs(path, exist_ok=True)
    except OSError:
        return tempfile.gettempdir()
    return path if os.access(path, os.W_OK) else tempfile.gettempdir()
