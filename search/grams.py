"""Exact substring search over the whole corpus with numpy: a positional character-bigram index.

The engine must return *exactly* the paragraphs whose normalized text contains a query string, at
half a million paragraphs, in milliseconds. Tokens cannot do that for Chinese (a query can start or
end inside any word), so this module indexes characters, and every loop over postings is a numpy
operation rather than Python.

Layout. The documents are joined with "\\n" (which normalized text never contains) into one text.
Each character is replaced by its rank in the sorted ``alphabet`` of distinct code points, so the
text is ``ids``, an array of 1, 2 or 4 bytes per character; ``doc_starts[d]`` is where document
``d`` begins and ``doc_starts[n]`` is the total length plus one, as if a separator followed the
last document.

- Bigram postings: for every position ``i`` whose character and the next are both inside a
  document, the key ``(codes[i] << 21) | codes[i+1]`` (code points fit in 21 bits). ``keys`` holds
  the distinct keys sorted, ``positions[offsets[k]:offsets[k+1]]`` the ascending positions of key
  ``k``: the posting list of a bigram is one slice.
- Doc-level postings: ``uni_docs[uni_offsets[c]:uni_offsets[c+1]]`` are the documents holding
  the character of id ``c`` and ``uni_counts`` how often; ``bi_offsets``, ``bi_docs`` and
  ``bi_counts`` do the same for each bigram key. A query of one or two characters (the commonest
  kind in Chinese) is answered by one slice and never touches positions. At 500,000 documents the
  bigram half costs a third more disk and makes common two-character queries some twenty times
  faster than going through positions (scripts/bench_grams.py).
- ``block_docs[b]`` is the document holding position ``b << BLOCK_SHIFT``; turning positions into
  documents is then a gather from that small table plus a short correction loop, several times
  faster than a binary search of ``doc_starts``.
- ``word_flags`` (optional) marks where jieba's words start (bit 1) and end (bit 2), for ranking
  whole-word matches above matches inside a longer word.

Query of three characters or more. Every bigram of ``q`` is looked up (one absent: no match).
The rarest anchors the candidates: its posting slice, shifted back by its offset in ``q``. Each
character the anchor does not cover is then checked, rarest first, by gathering ``ids`` at the
candidates, which shrink at every step. A gather costs one memory access per candidate, about
half a binary search in another bigram's posting list, and checking characters rather than a
covering set of bigrams lets the anchor be the rarest bigram of all.

Storage. ``save`` writes one ``.npy`` file per array and a JSON manifest into a temporary
directory beside the target and renames it into place (see ``save``); ``load`` memory-maps the
arrays, so opening an index costs milliseconds and the operating system pages in what queries use.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from .errors import UnresError
from .store import write_directory

SEPARATOR = "\n"
FORMAT = "unres-grams"
FORMAT_VERSION = 2
MANIFEST = "manifest.json"
KEY_SHIFT = 21  # every code point is below 2**21
BLOCK_SHIFT = 6  # 64-character blocks: a 75 M-character text needs a 4.7 MB block table
WORD_START = 1
WORD_END = 2

# Every array the index is made of; word_flags is present only when built with word spans.
_ARRAYS = (
    "alphabet",
    "ids",
    "doc_starts",
    "block_docs",
    "keys",
    "offsets",
    "positions",
    "uni_offsets",
    "uni_docs",
    "uni_counts",
    "bi_offsets",
    "bi_docs",
    "bi_counts",
)
_WORD_FLAGS = "word_flags"
_UTF32 = "utf-32-le"
_SURROGATES = "surrogatepass"  # a lone surrogate is a character too; do not fail on it
_EMPTY = np.empty(0, dtype=np.int64)


class GramIndexError(UnresError):
    """The index on disk is missing, corrupt or of another version, or cannot do what was asked.

    (``whole_word`` on an index built without word spans; ``save`` over a directory that holds
    something else.)
    """


class GramIndex:
    """Exact substring search over a fixed list of documents; doc id = index in the list."""

    def __init__(self, arrays: dict[str, np.ndarray]) -> None:
        self._a = arrays
        self._lengths: np.ndarray | None = None

    # ----------------------------------------------------------------------------- building

    @classmethod
    def build(
        cls,
        texts: Sequence[str],
        word_spans: Sequence[Sequence[tuple[int, int]] | np.ndarray] | None = None,
    ) -> GramIndex:
        """Index normalized ``texts``; ``word_spans[d]``: (start, end) of doc ``d``'s words.

        Memory: the text is encoded a slice of documents at a time, and the postings are made in
        passes over ranges of first-character ids (see ``_postings``), so besides its result the
        build holds about one byte per character plus one pass's working arrays.
        """
        lens = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
        doc_starts = np.zeros(len(texts) + 1, dtype=np.int64)
        np.cumsum(lens + 1, out=doc_starts[1:])
        alphabet, counts, ids = _encode_texts(texts, int(lens.sum()) + max(len(texts) - 1, 0))
        sep = np.searchsorted(alphabet, ord(SEPARATOR))
        sep_id = int(sep) if sep < len(alphabet) and alphabet[sep] == ord(SEPARATOR) else None
        block_docs = _block_docs(doc_starts, len(ids))
        pairs = int(lens.sum()) - int(
            np.count_nonzero(lens)
        )  # L - 1 bigrams in a document of L > 0
        postings = _postings(ids, alphabet, counts, sep_id, block_docs, doc_starts, pairs)
        keys, offsets, positions, bi_offsets, bi_docs, bi_counts = postings[:6]
        uni_offsets, uni_docs, uni_counts = postings[6:]
        del postings
        arrays = {
            "alphabet": alphabet,
            "ids": ids,
            "doc_starts": doc_starts,
            "block_docs": block_docs,
            "keys": keys,
            "offsets": offsets,
            "positions": positions,
            "uni_offsets": uni_offsets,
            "uni_docs": uni_docs,
            "uni_counts": uni_counts,
            "bi_offsets": bi_offsets,
            "bi_docs": bi_docs,
            "bi_counts": bi_counts,
        }
        if word_spans is not None:
            arrays[_WORD_FLAGS] = _word_flags(word_spans, doc_starts, lens, len(ids))
        return cls(arrays)

    # ----------------------------------------------------------------------------- persistence

    def save(self, directory: Path) -> None:
        """Write the index to ``directory``, replacing any index there.

        The files go into a fresh temporary directory beside the target, are flushed to disk, and
        the directory is renamed into place, so a reader never opens a half-written set. POSIX
        cannot rename a directory over a non-empty one: an existing index is first renamed aside
        and deleted after the swap, so for that instant the path is missing and ``load`` raises
        ``GramIndexError`` (retry). Readers that already loaded the old index keep working, since
        their memory maps hold the deleted files open.
        """
        directory = Path(directory)
        if directory.is_dir() and any(directory.iterdir()) and not (directory / MANIFEST).is_file():
            raise GramIndexError(
                f"{directory} holds something other than a gram index; not replacing it"
            )

        def fill(tmp: Path) -> None:
            for name, array in self._a.items():
                _write(tmp / f"{name}.npy", lambda f, a=array: np.save(f, a, allow_pickle=False))
            manifest = json.dumps(self._manifest(), indent=1).encode()
            _write(tmp / MANIFEST, lambda f: f.write(manifest))

        write_directory(directory, fill)

    def _manifest(self) -> dict:
        return {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "docs": self.doc_count,
            "chars": len(self._a["ids"]),
            "bigrams": len(self._a["keys"]),
            "positions": len(self._a["positions"]),
            "arrays": {
                name: {"dtype": a.dtype.str, "shape": list(a.shape)} for name, a in self._a.items()
            },
        }

    @classmethod
    def load(cls, directory: Path) -> GramIndex:
        """Open the index in ``directory``, memory-mapped; GramIndexError if it is unusable."""
        directory = Path(directory)
        specs = _read_manifest(directory)["arrays"]
        missing = [name for name in _ARRAYS if name not in specs]
        if missing:
            raise GramIndexError(f"{directory}: manifest lacks arrays {missing}")
        arrays = {name: _load_array(directory, name, spec) for name, spec in specs.items()}
        _check_sizes(directory, arrays)
        return cls(arrays)

    # ----------------------------------------------------------------------------- documents

    @property
    def doc_count(self) -> int:
        return len(self._a["doc_starts"]) - 1

    @property
    def has_word_spans(self) -> bool:
        return _WORD_FLAGS in self._a

    def text(self, doc_id: int) -> str:
        """The normalized text of document ``doc_id``."""
        start, end = self._bounds(doc_id)
        codes = self._a["alphabet"][self._a["ids"][start:end]]
        return codes.tobytes().decode(_UTF32, _SURROGATES)

    def lengths(self) -> np.ndarray:
        """Characters per document (int32), for BM25 length normalization."""
        if self._lengths is None:
            self._lengths = (np.diff(self._a["doc_starts"]) - 1).astype(np.int32)
        return self._lengths

    def _bounds(self, doc_id: int) -> tuple[int, int]:
        if not 0 <= doc_id < self.doc_count:
            raise IndexError(f"doc id {doc_id} out of range 0..{self.doc_count - 1}")
        starts = self._a["doc_starts"]
        return int(starts[doc_id]), int(starts[doc_id + 1]) - 1

    # ----------------------------------------------------------------------------- queries

    def find(self, q: str) -> np.ndarray:
        """Sorted global start positions (int64) of every occurrence of ``q``, overlaps included."""
        if len(q) < 2:
            raise ValueError("find() needs at least two characters; use docs() for one")
        codes = _codes(q)
        q_ids = self._ids_of(codes)
        if q_ids is None:
            return _EMPTY
        k = self._key_indices(codes, list(range(len(q) - 1)))
        if k is None:
            return _EMPTY
        bounds = self._a["offsets"]
        anchor = int(np.argmin(bounds[k + 1] - bounds[k]))
        lo, hi = bounds[k[anchor]], bounds[k[anchor] + 1]
        candidates = self._a["positions"][lo:hi].astype(np.int64)
        rest = [j for j in range(len(q)) if j not in (anchor, anchor + 1)]
        if not rest:
            return candidates
        candidates -= anchor
        # Only the anchor's first and last few positions can put q outside the text.
        ids = self._a["ids"]
        first = np.searchsorted(candidates, 0)
        last = np.searchsorted(candidates, len(ids) - len(q), side="right")
        candidates = candidates[first:last]
        for j in sorted(rest, key=lambda j: self._char_doc_frequency(int(q_ids[j]))):
            candidates = candidates[ids[j:][candidates] == q_ids[j]]  # ids[candidates + j]
            if not len(candidates):
                break
        return candidates

    def docs(self, q: str) -> tuple[np.ndarray, np.ndarray]:
        """Sorted ids of the documents containing ``q`` and how often each does (both int64)."""
        if not q:
            raise ValueError("empty query")
        if len(q) <= 2:
            return self._short_docs(_codes(q))
        return self.doc_counts(self.find(q))

    def doc_counts(self, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The documents of sorted global ``positions`` and how many fall in each (both int64)."""
        docs = self.doc_of(positions)
        firsts = _run_starts(docs)
        counts = np.diff(firsts, append=len(docs))
        return docs[firsts].astype(np.int64), counts

    def spans(self, doc_id: int, q: str) -> list[tuple[int, int]]:
        """(start, end) of every occurrence of ``q`` in document ``doc_id``, local to it."""
        if not q:
            raise ValueError("empty query")
        text = self.text(doc_id)
        found = []
        start = text.find(q)
        while start >= 0:
            found.append((start, start + len(q)))
            start = text.find(q, start + 1)
        return found

    def whole_word(self, positions: np.ndarray, n: int) -> np.ndarray:
        """For each global occurrence ``[p, p + n)``: is it exactly one word of the segmentation?"""
        if not self.has_word_spans:
            raise GramIndexError("this index was built without word spans")
        flags = self._a[_WORD_FLAGS]
        positions = np.asarray(positions, dtype=np.int64)
        here = flags[positions]
        whole = (here & WORD_START) != 0
        for j in range(1, n):
            here = flags[j:][positions]  # flags[positions + j]
            whole &= (here & WORD_START) == 0
        whole &= (here & WORD_END) != 0  # ``here`` is now the last character
        return whole

    def word_spans(self, doc_id: int) -> np.ndarray:
        """jieba's words of document ``doc_id``: (start, end) rows local to its normalized text.

        Read back from ``word_flags``, so showing words (a word-level diff) never loads jieba.
        """
        if not self.has_word_spans:
            raise GramIndexError("this index was built without word spans")
        start, end = self._bounds(doc_id)
        flags = np.asarray(self._a[_WORD_FLAGS][start:end])
        starts = np.flatnonzero(flags & WORD_START)
        ends = np.flatnonzero(flags & WORD_END) + 1
        return np.stack([starts, ends], axis=1)

    def _ids_of(self, codes: np.ndarray) -> np.ndarray | None:
        """The ids of a query's code points, or None if one is not inside any document."""
        if (codes == ord(SEPARATOR)).any():
            return None
        alphabet = self._a["alphabet"]
        idx = np.searchsorted(alphabet, codes)
        if not _all_found(alphabet, idx, codes):
            return None
        return idx

    def _key_indices(self, codes: np.ndarray, at: list[int]) -> np.ndarray | None:
        """Where the query's bigrams at offsets ``at`` are in ``keys``; None if one is absent."""
        wide = codes.astype(np.uint64)
        wanted = (wide[at] << np.uint64(KEY_SHIFT)) | wide[[o + 1 for o in at]]
        keys = self._a["keys"]
        k = np.searchsorted(keys, wanted)
        if not _all_found(keys, k, wanted):  # a bigram holding the separator is never found
            return None
        return k

    def _char_doc_frequency(self, char_id: int) -> int:
        bounds = self._a["uni_offsets"]
        return int(bounds[char_id + 1] - bounds[char_id])

    def _short_docs(self, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Documents and counts of a one- or two-character query, from doc-level postings."""
        if len(codes) == 1:
            found = self._ids_of(codes)
            prefix = "uni_"
        else:
            found = self._key_indices(codes, [0])
            prefix = "bi_"
        if found is None:
            return _EMPTY, _EMPTY
        bounds = self._a[prefix + "offsets"]
        lo, hi = bounds[found[0]], bounds[found[0] + 1]
        docs, counts = self._a[prefix + "docs"][lo:hi], self._a[prefix + "counts"][lo:hi]
        return docs.astype(np.int64), counts.astype(np.int64)

    def doc_of(self, positions: np.ndarray) -> np.ndarray:
        """The document (uint32) of each global position, sorted or not, via the block table."""
        return _doc_of(self._a["block_docs"], self._a["doc_starts"], positions)


# --------------------------------------------------------------------------------- build helpers


def _codes(text: str) -> np.ndarray:
    return np.frombuffer(text.encode(_UTF32, _SURROGATES), dtype=np.uint32)


def _all_found(table: np.ndarray, where: np.ndarray, wanted: np.ndarray) -> bool:
    """Did ``np.searchsorted(table, wanted)`` (= ``where``) land on each wanted value?"""
    if (where >= len(table)).any():
        return False
    return bool((table[where] == wanted).all())


# Characters encoded per slice of documents, and the least positions a postings pass takes.
_ENCODE_CHARS = 1 << 20
_PASS_CHARS = 1 << 21
_PASSES = 24  # at most about this many passes over the text; fewer when it is small


def _text_slices(texts: Sequence[str], chars: int):
    """``SEPARATOR``-joined slices of about ``chars`` characters, each followed by a separator
    but the last: concatenated, they are the whole text. Raises on a document with a newline."""
    first, batch, size = 0, [], 0
    for d, text in enumerate(texts):
        batch.append(text)
        size += len(text) + 1
        if size >= chars:
            yield _joined(batch, first, last=d == len(texts) - 1)
            first, batch, size = d + 1, [], 0
    if batch:
        yield _joined(batch, first, last=True)


def _joined(batch: list[str], first: int, last: bool) -> str:
    joined = SEPARATOR.join(batch)
    if joined.count(SEPARATOR) != len(batch) - 1:
        bad = next(i for i, t in enumerate(batch) if SEPARATOR in t)
        raise ValueError(f"document {first + bad} contains a newline; normalize it first")
    return joined if last else joined + SEPARATOR


def _encode_texts(texts: Sequence[str], length: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The sorted distinct code points, how often each occurs, and the text as ranks in them.

    Two passes over slices of the text (one to find the alphabet, one to fill ``ids`` in the
    narrowest dtype), so neither the whole joined text nor its UTF-32 codes are ever held.
    """
    seen = np.zeros(0, dtype=np.int64)
    for piece in _text_slices(texts, _ENCODE_CHARS):
        here = np.bincount(_codes(piece))
        if len(here) > len(seen):
            here[: len(seen)] += seen
            seen = here
        else:
            seen[: len(here)] += here
    alphabet = np.flatnonzero(seen).astype(np.uint32)
    if not len(alphabet):
        return alphabet, np.empty(0, dtype=np.int64), np.empty(0, dtype=np.uint8)
    lookup = np.zeros(len(seen), dtype=np.min_scalar_type(len(alphabet) - 1))
    lookup[alphabet] = np.arange(len(alphabet))
    ids = np.empty(length, dtype=lookup.dtype)
    at = 0
    for piece in _text_slices(texts, _ENCODE_CHARS):
        codes = _codes(piece)
        ids[at : at + len(codes)] = lookup[codes]
        at += len(codes)
    assert at == length
    return alphabet, seen[alphabet], ids


def _passes(counts: np.ndarray, sep_id: int | None, length: int) -> tuple[np.ndarray, list]:
    """Split the character ids into ranges of about equal numbers of characters, one per pass.

    Returns the range number of each id (uint8) and the (lo, hi) id ranges to process; the
    separator's id is a range of its own, never processed. An id more frequent than the target
    gets a range to itself.
    """
    target = max(_PASS_CHARS, -(-length // _PASSES))
    while True:
        raw = np.cumsum(counts) // target
        if sep_id is not None:
            raw[sep_id] = -1
        change = np.flatnonzero(raw[1:] != raw[:-1]) + 1
        if len(change) < 255:
            break
        target *= 2
    bounds = [0, *change.tolist(), len(counts)] if len(counts) else [0]
    number = np.zeros(len(counts), dtype=np.uint8)
    number[change] = 1
    np.cumsum(number, out=number)
    ranges = [(lo, hi) for lo, hi in zip(bounds[:-1], bounds[1:]) if lo != sep_id]
    return number, ranges


def _postings(
    ids: np.ndarray,
    alphabet: np.ndarray,
    counts: np.ndarray,
    sep_id: int | None,
    block_docs: np.ndarray,
    doc_starts: np.ndarray,
    pairs: int,
) -> tuple[np.ndarray, ...]:
    """Bigram (position and doc level) and unigram (doc level) postings, in passes.

    Each pass takes the positions whose character id falls in one range of ids (``_passes``),
    so a pass holds whole unigram and bigram groups, and the groups of pass ``k`` all sort before
    those of pass ``k + 1``. Sorting a few million packed words a pass, the build never holds a
    whole-text array wider than ``ids`` besides the results, which are written into arrays sized
    in advance (exactly, or by a bound and then shrunk in place).

    Returns keys, offsets, positions, bi_offsets, bi_docs, bi_counts, uni_offsets, uni_docs,
    uni_counts, in the dtypes documented on the build helpers below.
    """
    size, length = len(alphabet), len(ids)
    index_bits = max(length - 1, 1).bit_length()
    pos_dtype = np.uint32 if index_bits <= 32 else np.uint64
    chars = length - (int(counts[sep_id]) if sep_id is not None else 0)
    positions = np.empty(pairs, dtype=pos_dtype)
    bi_docs = np.empty(pairs, dtype=np.uint32)  # at most one run per position
    uni_docs = np.empty(chars, dtype=np.uint32)
    uni_runs = np.zeros(size, dtype=np.int64)  # documents per character id
    keys, offsets, bi_offsets, bi_counts, uni_counts = [], [], [], [], []
    n_pos = n_bi = n_uni = 0
    range_of, ranges = _passes(counts, sep_id, length)
    text_range = range_of[ids]
    for lo, hi in ranges:
        at = np.flatnonzero(text_range == range_of[lo])
        if not len(at):
            continue
        first = ids[at].astype(np.uint64)
        first -= np.uint64(lo)

        # Unigrams: sort (character, document) words; ``at`` ascends, so documents do too.
        words = first << np.uint64(32)
        words |= _doc_of(block_docs, doc_starts, at)
        words.sort()
        starts = _run_starts(words)
        uni_counts.append(_run_lengths(starts, len(words)))
        runs = words[starts]
        del words, starts
        uni_docs[n_uni : n_uni + len(runs)] = runs & np.uint64(0xFFFFFFFF)
        n_uni += len(runs)
        runs >>= np.uint64(32)
        uni_runs[lo:hi] = np.bincount(runs.astype(np.intp), minlength=hi - lo)
        del runs

        # Bigrams: the pairs starting here whose second character is inside the same document.
        if at[-1] == length - 1:
            at, first = at[:-1], first[:-1]
        second = ids[1:][at]  # ids[at + 1]
        if sep_id is not None:
            inside = second != sep_id
            at, first, second = at[inside], first[inside], second[inside]
            del inside
        first *= np.uint64(size)
        first += second
        del second
        value_bits = max((hi - lo) * size - 1, 1).bit_length()
        if value_bits + index_bits <= 64:
            words = first
            words <<= np.uint64(index_bits)
            words |= at.astype(np.uint64)
            del at
            words.sort()
            found = (words & np.uint64((1 << index_bits) - 1)).astype(pos_dtype)
            words >>= np.uint64(index_bits)
        else:
            words, order = _group(first, 64, len(first))
            found = at[order].astype(pos_dtype)
            del at, order
        del first
        starts = _run_starts(words)
        high, low = np.divmod(words[starts], np.uint64(size))
        del words
        high += np.uint64(lo)
        keys.append((alphabet[high].astype(np.uint64) << np.uint64(KEY_SHIFT)) | alphabet[low])
        del high, low
        offsets.append(starts + n_pos)
        positions[n_pos : n_pos + len(found)] = found
        n_pos += len(found)

        # Doc-level bigram postings: a run is one document within one group of positions.
        docs = _doc_of(block_docs, doc_starts, found)
        del found
        new_group = np.zeros(len(docs), dtype=bool)
        new_group[starts] = True
        del starts
        new_run = new_group.copy()
        new_run[1:] |= docs[1:] != docs[:-1]
        firsts = np.flatnonzero(new_run)
        del new_run
        bi_offsets.append(np.flatnonzero(new_group[firsts]) + n_bi)
        del new_group
        bi_docs[n_bi : n_bi + len(firsts)] = docs[firsts]
        bi_counts.append(_run_lengths(firsts, len(docs)))
        n_bi += len(firsts)
        del docs, firsts
    del text_range
    assert n_pos == pairs and n_uni <= chars and n_bi <= pairs
    bi_docs.resize(n_bi, refcheck=False)  # in place: the unused tail was never touched
    uni_docs.resize(n_uni, refcheck=False)
    uni_offsets = np.zeros(size + 1, dtype=np.int64)
    np.cumsum(uni_runs, out=uni_offsets[1:])
    return (
        _concatenate(keys, np.uint64),
        _concatenate([*offsets, [pairs]], np.int64),
        positions,
        _concatenate([*bi_offsets, [n_bi]], np.int64),
        bi_docs,
        _narrow_concatenate(bi_counts),
        uni_offsets,
        uni_docs,
        _narrow_concatenate(uni_counts),
    )


def _concatenate(parts: list, dtype) -> np.ndarray:
    return np.concatenate(parts).astype(dtype, copy=False) if parts else np.empty(0, dtype=dtype)


def _narrow_concatenate(parts: list[np.ndarray]) -> np.ndarray:
    """Run lengths of all passes in the narrowest uint that holds the largest (uint8 if none)."""
    top = max((int(p.max()) for p in parts if len(p)), default=0)
    dtype = np.min_scalar_type(top)
    return np.concatenate(parts, dtype=dtype) if parts else np.empty(0, dtype=dtype)


def _run_lengths(firsts: np.ndarray, total: int) -> np.ndarray:
    """Lengths of the runs starting at ``firsts`` in an array of ``total``, in the narrowest uint."""
    lengths = np.empty(len(firsts), dtype=np.int64)
    np.subtract(firsts[1:], firsts[:-1], out=lengths[:-1])
    if len(firsts):
        lengths[-1] = total - firsts[-1]
    return lengths.astype(np.min_scalar_type(int(lengths.max(initial=0))))


def _group(values: np.ndarray, value_bits: int, length: int) -> tuple[np.ndarray, np.ndarray]:
    """Sort ``values`` (uint64, overwritten) stably, returning them and their original indices.

    While value and index fit together in 64 bits, one in-place sort of the packed words does it
    (numpy's vectorized sort; a stable argsort is slower and needs an extra index array).
    """
    index_bits = max(length - 1, 1).bit_length()
    index_dtype = np.uint32 if index_bits <= 32 else np.uint64
    if value_bits + index_bits > 64:
        order = np.argsort(values, kind="stable")
        return values[order], order.astype(index_dtype)
    packed = values
    packed <<= np.uint64(index_bits)
    packed |= np.arange(len(values), dtype=np.uint64)
    packed.sort()
    indices = (packed & np.uint64((1 << index_bits) - 1)).astype(index_dtype)
    packed >>= np.uint64(index_bits)
    return packed, indices


def _run_starts(sorted_values: np.ndarray) -> np.ndarray:
    """Indices where a new value begins in a sorted array."""
    if not len(sorted_values):
        return np.empty(0, dtype=np.int64)
    return np.flatnonzero(np.concatenate(([True], sorted_values[1:] != sorted_values[:-1])))


def _doc_of(block_docs: np.ndarray, doc_starts: np.ndarray, positions: np.ndarray) -> np.ndarray:
    ends = doc_starts[1:]  # one past each document's separator
    docs = block_docs[positions >> BLOCK_SHIFT]
    # A block can hold the start of later documents; step those positions forward.
    behind = np.flatnonzero(ends[docs] <= positions)
    while len(behind):
        docs[behind] += 1
        behind = behind[ends[docs[behind]] <= positions[behind]]
    return docs


def _block_docs(doc_starts: np.ndarray, length: int) -> np.ndarray:
    """The document holding the first position of each block (a separator counts as before it)."""
    block_starts = np.arange(0, length, 1 << BLOCK_SHIFT, dtype=np.int64)
    return (np.searchsorted(doc_starts, block_starts, side="right") - 1).astype(np.uint32)


def _word_flags(
    word_spans: Sequence[Sequence[tuple[int, int]] | np.ndarray],
    doc_starts: np.ndarray,
    lens: np.ndarray,
    length: int,
) -> np.ndarray:
    """WORD_START/WORD_END bits over the global text from per-document (start, end) spans."""
    if len(word_spans) != len(lens):
        raise ValueError(f"{len(word_spans)} span lists for {len(lens)} documents")
    # Per-document arrays concatenate in one C call; callers may pass (k, 2) numpy arrays.
    pieces = [np.asarray(spans, dtype=np.int64).reshape(-1, 2) for spans in word_spans]
    per_doc = np.fromiter(map(len, pieces), dtype=np.int64, count=len(pieces))
    flat = np.concatenate(pieces) if pieces else np.empty((0, 2), dtype=np.int64)
    doc_lens = np.repeat(lens, per_doc)
    bad = np.flatnonzero((flat[:, 0] < 0) | (flat[:, 0] >= flat[:, 1]) | (flat[:, 1] > doc_lens))
    if len(bad):
        doc = int(np.searchsorted(np.cumsum(per_doc), bad[0], side="right"))
        span = tuple(flat[bad[0]].tolist())
        raise ValueError(f"document {doc}: word span {span} is empty or outside the text")
    base = np.repeat(doc_starts[:-1], per_doc)
    flags = np.zeros(length, dtype=np.uint8)
    flags[base + flat[:, 0]] = WORD_START
    flags[base + flat[:, 1] - 1] |= WORD_END
    return flags


# --------------------------------------------------------------------------------- storage helpers


def _write(path: Path, fill) -> None:
    """Create ``path``, let ``fill`` write it, and flush it to disk before the rename publishes it."""
    with open(path, "wb") as f:
        fill(f)
        f.flush()
        os.fsync(f.fileno())


def _read_manifest(directory: Path) -> dict:
    try:
        manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise GramIndexError(f"{directory}: no gram index here ({MANIFEST} missing)") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise GramIndexError(f"{directory}: unreadable {MANIFEST}: {e}") from e
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise GramIndexError(f"{directory}: not a gram index")
    if manifest.get("version") != FORMAT_VERSION:
        version = manifest.get("version")
        raise GramIndexError(
            f"{directory}: format version {version}, this code reads {FORMAT_VERSION}; rebuild the index"
        )
    if not isinstance(manifest.get("arrays"), dict):
        raise GramIndexError(f"{directory}: manifest lacks its array list")
    return manifest


def _load_array(directory: Path, name: str, spec: dict) -> np.ndarray:
    if name not in (*_ARRAYS, _WORD_FLAGS):
        raise GramIndexError(f"{directory}: unknown array {name!r} in manifest")
    path = directory / f"{name}.npy"
    try:
        dtype, shape = np.dtype(spec["dtype"]), tuple(spec["shape"])
        # A zero-length file cannot be memory-mapped; its contents do not matter anyway.
        array = np.load(path, mmap_mode=None if 0 in shape else "r", allow_pickle=False)
        array = np.asarray(array)  # a plain view: results of indexing a memmap would be memmaps
    except (OSError, ValueError, TypeError, KeyError, EOFError) as e:
        raise GramIndexError(f"{directory}: cannot read {path.name}: {e}") from e
    if array.dtype != dtype or array.shape != shape:
        found, expected = f"{array.dtype}{list(array.shape)}", f"{dtype}{list(shape)}"
        raise GramIndexError(f"{directory}: {path.name} is {found}, manifest says {expected}")
    return array


def _check_sizes(directory: Path, a: dict[str, np.ndarray]) -> None:
    """Arrays that index one another must agree in length, or queries would fail at random."""
    pairs = [
        ("keys", len(a["keys"]) + 1, "offsets", len(a["offsets"])),
        ("keys", len(a["keys"]) + 1, "bi_offsets", len(a["bi_offsets"])),
        ("alphabet", len(a["alphabet"]) + 1, "uni_offsets", len(a["uni_offsets"])),
        ("uni_docs", len(a["uni_docs"]), "uni_counts", len(a["uni_counts"])),
        ("bi_docs", len(a["bi_docs"]), "bi_counts", len(a["bi_counts"])),
        ("ids", -(-len(a["ids"]) >> BLOCK_SHIFT), "block_docs", len(a["block_docs"])),
    ]
    if _WORD_FLAGS in a:
        pairs.append(("ids", len(a["ids"]), _WORD_FLAGS, len(a[_WORD_FLAGS])))
    for first, expected, second, found in pairs:
        if expected != found:
            raise GramIndexError(f"{directory}: {second} does not match {first}; rebuild the index")
