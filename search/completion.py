"""Word completion for the search box, from the Whoosh index's lexicon of jieba words.

The Whoosh index holds the paragraph text cut into jieba's words (``text`` field, normalized
words); its term dictionary is sorted, so the words starting with what a reader has typed are
one range of it, each with the number of paragraphs it occurs in. Matching itself is by
characters (:mod:`search.grams`); completion only proposes whole words the Assembly used.
"""

from __future__ import annotations

import heapq

from .engine import Engine, QueryError
from .normalize import normalize
from .store import IndexPaths, open_whoosh

FIELD = "text"


def completions(engine: Engine, prefix: str, limit: int = 10) -> dict:
    """The ``limit`` commonest words starting with ``prefix``, commonest first:
    ``{"prefix", "words": [{"word", "paragraphs"}]}``. Paragraph counts are Whoosh's, which
    include paragraphs replaced since the last merge of its segments."""
    if engine.index_dir is None:
        raise QueryError("this engine was not opened from an index folder; no word lexicon")
    start = normalize(prefix).strip()
    if not start:
        return {"prefix": prefix, "words": []}
    # Opened per call (under a millisecond on the bundled corpus): a reader kept open would
    # hold segment files that a later "unres index" replaces.
    with open_whoosh(IndexPaths(engine.index_dir)).reader() as reader:
        found = (
            (info.doc_frequency(), term.decode("utf-8"))
            for term, info in reader.iter_prefix(FIELD, start)
        )
        commonest = heapq.nsmallest(limit, found, key=lambda pair: (-pair[0], pair[1]))
    return {
        "prefix": prefix,
        "words": [{"word": word, "paragraphs": n} for n, word in commonest],
    }
