"""The search accelerator: everything a query needs, as arrays, derived from the Whoosh index.

Whoosh is the index of record, but walking its posting lists in pure Python costs 100-500 ms a
query at 200,000 paragraphs, and exact Chinese substring matching cannot be done with its word
terms at all. So the paragraphs are laid out for numpy as well:

- ``grams/``: the exact-match index over the normalized paragraph texts (:mod:`search.grams`),
  with jieba's word boundaries for ranking;
- one column per filter (session, date, type, verb, resolution) and a citation posting list,
  so every filter is a vectorized comparison;
- the display records as JSON lines with an offset table, read only for the hits shown; what
  belongs to a paragraph's resolution (title, date, meeting…) is kept once per resolution.

Segmented as Whoosh is. Each Whoosh segment has one accelerator segment, ``accel/<segment
name>/`` (:class:`Segment`), built once from that segment's stored fields when Whoosh writes
it and never changed after: adding files builds segments only for the new paragraphs, and
when Whoosh merges segments (its merge policy, in a later run) the merged one is built from
its own stored fields, a cost in proportion to what merged. ``accel/manifest.json`` lists the
segments in Whoosh's order with the documents each has deleted (Whoosh's deletion sets), so
global document numbers are Whoosh's and deletions are a mask (:attr:`Catalog.live`). The
manifest is replaced atomically after each commit; an accelerator segment no manifest names is
deleted then. A search reads one manifest and the segments it names: one consistent commit.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, fields
from pathlib import Path
from typing import BinaryIO

import numpy as np

from .citations import part_number, whole_number
from .errors import IndexNotFound, UnresError
from .grams import GramIndex, GramIndexError
from .model import PARAGRAPH_TYPES, Resolution
from .normalize import normalize
from .store import IndexPaths, write_directory, write_file

FORMAT = "unres-accel"
FORMAT_VERSION = 4
SEGMENT_FORMAT = "unres-accel-segment"
MANIFEST = "manifest.json"
RECORDS = "records.jsonl"
RESOLUTIONS = "resolutions.json"
# A record's keys that belong to its resolution: kept once per resolution in a segment
# (``number`` is the paragraph's; the resolution's is the record's ``resolution``), with the
# file it was read from.
RESOLUTION_KEYS = frozenset(f.name for f in fields(Resolution)) - {"paragraphs", "number"} | {
    "source"
}
GRAMS = "grams"
_COLUMNS = (
    "session",
    "date",
    "type",
    "verb",
    "resolution",
    "position",
    "cite_offsets",
    "cite_docs",
    "record_offsets",
)
_CODED = ("type", "verb", "resolution")  # columns holding codes into a vocabulary
NO_VALUE = -1


class CatalogError(UnresError):
    """The accelerator folder is missing, damaged or of another version."""


@dataclass
class Entry:
    """One paragraph as the segment builder receives it."""

    # The stored record: the paragraph and its text, and on a resolution's first paragraph
    # (position 0) the resolution's metadata, which holds for the paragraphs that follow.
    record: dict
    words: bytes  # jieba word spans over the normalized text, as little-endian uint16 pairs


def encode_words(spans: list[tuple[int, int]]) -> bytes:
    """Word spans as compact bytes for storage (paragraph offsets fit in 16 bits)."""
    return np.asarray(spans, dtype="<u2").reshape(-1).tobytes()


def decode_words(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype="<u2").reshape(-1, 2)


class Segment:
    """The accelerator of one Whoosh segment: its columns, vocabularies, records and grams.

    Codes in the columns are local to the segment (:class:`Catalog` maps them to global ones).
    """

    def __init__(
        self,
        manifest: dict,
        columns: dict,
        grams: GramIndex,
        records: Path | BinaryIO,
        resolutions: list[dict] | None = None,
    ):
        self.manifest = manifest
        self.columns = columns
        self.grams = grams
        self._records = records  # the records file, or the spool of a segment being built
        self._resolutions = resolutions  # metadata per resolution code, read on first use
        self.vocab: dict[str, list[str]] = manifest["vocab"]
        self.title_norms: list[str] = manifest["titles"]  # normalized, one per resolution

    @property
    def count(self) -> int:
        return int(self.manifest["count"])

    @classmethod
    def build(cls, entries: Iterable[Entry]) -> Segment:
        builder = _Builder()
        for entry in entries:
            builder.add(entry)
        return builder.finish()

    def save(self, directory: Path) -> None:
        """Write the segment to ``directory`` atomically (it is never changed afterwards)."""
        spool = self._records
        assert not isinstance(spool, Path), "a loaded segment is saved already"

        def fill(tmp: Path) -> None:
            self.grams.save(tmp / GRAMS)
            for name in _COLUMNS:
                np.save(tmp / f"{name}.npy", self.columns[name], allow_pickle=False)
            with open(tmp / RECORDS, "wb") as stream:
                spool.seek(0)
                shutil.copyfileobj(spool, stream)
            (tmp / RESOLUTIONS).write_text(
                json.dumps(self._resolutions, ensure_ascii=False), encoding="utf-8"
            )
            (tmp / MANIFEST).write_text(
                json.dumps(self.manifest, ensure_ascii=False), encoding="utf-8"
            )

        write_directory(directory, fill)
        spool.close()
        self._records = directory / RECORDS

    @classmethod
    def load(cls, directory: Path) -> Segment:
        try:
            manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
            if (
                manifest.get("format") != SEGMENT_FORMAT
                or manifest.get("version") != FORMAT_VERSION
            ):
                raise CatalogError(
                    f"{directory}: search accelerator of another version; run 'unres index'"
                )
            columns = {name: np.load(directory / f"{name}.npy", mmap_mode="r") for name in _COLUMNS}
            grams = GramIndex.load(directory / GRAMS)
        except (OSError, ValueError, KeyError, GramIndexError) as error:
            raise CatalogError(
                f"{directory}: unreadable search accelerator ({error}); run 'unres index'"
            ) from error
        return cls(manifest, columns, grams, directory / RECORDS)

    def open_records(self) -> BinaryIO:
        """The records file, open for :meth:`record`."""
        assert isinstance(self._records, Path), "a segment is read once saved"
        return open(self._records, "rb")

    def record(self, stream: BinaryIO, doc: int) -> dict:
        """The record of the segment's document ``doc``, read from ``stream`` (open_records)."""
        offsets = self.columns["record_offsets"]
        start, end = int(offsets[doc]), int(offsets[doc + 1])
        stream.seek(start)
        resolution = self.resolutions()[int(self.columns["resolution"][doc])]
        return {**resolution, **json.loads(stream.read(end - start))}

    def resolutions(self) -> list[dict]:
        """The metadata of each resolution code (RESOLUTION_KEYS), read on first use."""
        if self._resolutions is None:
            assert isinstance(self._records, Path)
            try:
                text = (self._records.parent / RESOLUTIONS).read_text(encoding="utf-8")
            except OSError as error:
                raise CatalogError(
                    f"{self._records.parent}: unreadable search accelerator ({error}); "
                    "run 'unres index'"
                ) from error
            self._resolutions = json.loads(text)
        return self._resolutions

    def code(self, vocabulary: str, value: str) -> int:
        """The column code of ``value``; NO_VALUE - 1 (matches nothing) when it is unknown."""
        return _code(self.vocab, vocabulary, value)

    def cited_by(self, number: str) -> np.ndarray:
        """The segment's paragraphs citing resolution ``number``."""
        code = self.code("cites", number)
        if code < 0:
            return np.empty(0, dtype=np.int64)
        offsets = self.columns["cite_offsets"]
        return np.asarray(self.columns["cite_docs"][offsets[code] : offsets[code + 1]], np.int64)


class Catalog:
    """Every segment of one commit as one: columns, vocabularies, records and grams over
    global document numbers (Whoosh's), with :attr:`live` marking the documents not deleted.

    ``grams.docs`` answers live documents only; masks built from the columns must be
    combined with ``live``.
    """

    def __init__(self, directory: Path, manifest: dict, segments: list[Segment]):
        self.directory = directory
        self.manifest = manifest
        self.segments = segments
        counts = [segment.count for segment in segments]
        self.offsets = np.zeros(len(segments) + 1, dtype=np.int64)
        np.cumsum(counts, out=self.offsets[1:])
        self.live = np.ones(self.count, dtype=bool)
        for start, entry in zip(self.offsets, manifest["segments"]):
            self.live[start + np.asarray(entry["deleted"], dtype=np.int64)] = False
        self.vocab, maps = _merge_vocabularies([segment.vocab for segment in segments])
        self._resolution_maps = [mapping["resolution"] for mapping in maps]
        self._resolution_facts: list[dict] | None = None
        self._parts_of: dict[str, dict[str, list[int]]] = {}
        self.title_norms = [""] * len(self.vocab["resolution"])
        for segment, mapping in zip(segments, maps):  # later segments hold newer titles
            for local, title in enumerate(segment.title_norms):
                self.title_norms[mapping["resolution"][local]] = title
        self.columns = _global_columns(segments, maps)
        self.grams = SegmentedGrams(
            [segment.grams for segment in segments], self.offsets, self.live
        )

    @property
    def count(self) -> int:
        """Documents in the segments, deleted ones included: the length of every column."""
        return int(self.offsets[-1])

    @property
    def generation(self) -> int:
        return int(self.manifest["generation"])

    @classmethod
    def open(cls, index_dir: Path) -> Catalog:
        """The accelerator of the index in ``index_dir``, for searching.

        IndexNotFound if there is no index; CatalogError if the accelerator is missing or
        unreadable: searching never writes the index, ``unres index`` rebuilds it. An
        accelerator behind the Whoosh index (a run killed between the two) searches what it
        holds, the last complete commit; the next run brings it up to date.
        """
        paths = IndexPaths(Path(index_dir))
        if not paths.exists():
            raise IndexNotFound(f"no index in {paths.root} (run 'unres index' first)")
        return cls.load(paths.accel)

    @classmethod
    def load(cls, directory: Path) -> Catalog:
        manifest = _published(directory)
        if not all((directory / e["name"] / MANIFEST).is_file() for e in manifest["segments"]):
            # An indexing run published a new manifest and deleted these segments meanwhile.
            manifest = _published(directory)
        segments = [Segment.load(directory / entry["name"]) for entry in manifest["segments"]]
        return cls(directory, manifest, segments)

    def records(self, docs: Iterable[int]) -> Iterator[dict]:
        """Records of many paragraphs, in the order given, each segment's file opened once."""
        with ExitStack() as stack:
            streams: dict[int, BinaryIO] = {}
            for doc in docs:
                at = int(np.searchsorted(self.offsets, doc, side="right")) - 1
                if at not in streams:
                    streams[at] = stack.enter_context(self.segments[at].open_records())
                yield self.segments[at].record(streams[at], int(doc) - int(self.offsets[at]))

    def code(self, vocabulary: str, value: str) -> int:
        """The column code of ``value``; NO_VALUE - 1 (matches nothing) when it is unknown."""
        return _code(self.vocab, vocabulary, value)

    def number_codes(self, vocabulary: str, number: str) -> list[int]:
        """Codes of canonical ``number`` in a vocabulary of resolution numbers: the number
        itself and, for a number without a part letter, every part of it (50/72 → 50/72 A,
        50/72 B)."""
        if vocabulary not in self._parts_of:  # built once: a vocabulary may hold 20,000
            parts: dict[str, list[int]] = {}
            for code, known in enumerate(self.vocab[vocabulary]):
                parts.setdefault(whole_number(known), []).append(code)
            self._parts_of[vocabulary] = parts
        exact = self.code(vocabulary, number)
        others = self._parts_of[vocabulary].get(number, [])
        return sorted(code for code in {exact, *others} if code >= 0)

    def resolution_docs(self, number: str) -> np.ndarray:
        """Live paragraphs of resolution ``number`` (canonical: 68/46, 2758 (XXVI), every part
        of 50/72 or one, 50/72 B), in document order; empty if it is not indexed."""
        codes = self.number_codes("resolution", number)
        docs = np.flatnonzero(np.isin(np.asarray(self.columns["resolution"]), codes) & self.live)
        return docs[np.argsort(self.columns["chrono"][docs], kind="stable")]

    @property
    def resolution_facts(self) -> list[dict]:
        """What is known of each resolution code as a whole (its RESOLUTION_KEYS, as printed),
        read from the segments on first use: views listing many resolutions (a trace of a
        common word) and the report:/committee: filters read no paragraph records."""
        if self._resolution_facts is None:
            facts: list[dict] = [{} for _ in self.vocab["resolution"]]
            for segment, mapping in zip(self.segments, self._resolution_maps):
                for local, meta in enumerate(segment.resolutions()):  # newer segments last
                    facts[mapping[local]] = meta
            self._resolution_facts = facts
        return self._resolution_facts

    def cited_by(self, number: str) -> np.ndarray:
        """Live paragraphs citing resolution ``number``."""
        docs = _concatenate(
            [
                segment.cited_by(number) + start
                for segment, start in zip(self.segments, self.offsets)
            ]
        )
        return docs[self.live[docs]]


class SegmentedGrams:
    """The gram indexes of the segments as one, over global document numbers."""

    def __init__(self, parts: list[GramIndex], offsets: np.ndarray, live: np.ndarray):
        self.parts = parts
        self.offsets = offsets
        self.live = live
        self._lengths: np.ndarray | None = None

    def docs(self, q: str) -> tuple[np.ndarray, np.ndarray]:
        """Sorted live documents containing ``q`` and how often each does."""
        found = self.matches(q)
        return found.docs, found.counts

    def whole_word_docs(self, q: str) -> tuple[np.ndarray, np.ndarray]:
        """Sorted live documents where ``q`` stands as a whole jieba word, and how often."""
        return self.matches(q).whole_word()

    def matches(self, q: str) -> TermMatches:
        """Where ``q`` occurs: its documents at once, where it is a whole word on demand."""
        return TermMatches(self, q)

    def text(self, doc: int) -> str:
        """The normalized text of document ``doc``."""
        at = int(np.searchsorted(self.offsets, doc, side="right")) - 1
        return self.parts[at].text(int(doc) - int(self.offsets[at]))

    def word_spans(self, doc: int) -> np.ndarray:
        """jieba's words in document ``doc``, as (start, end) offsets into :meth:`text`."""
        at = int(np.searchsorted(self.offsets, doc, side="right")) - 1
        return self.parts[at].word_spans(int(doc) - int(self.offsets[at]))

    def lengths(self) -> np.ndarray:
        """Characters per document (int32), for BM25 length normalization."""
        if self._lengths is None:
            self._lengths = _concatenate([part.lengths() for part in self.parts], np.int32)
        return self._lengths

    def _gather(self, found: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
        docs = _concatenate([d + start for (d, _), start in zip(found, self.offsets)])
        counts = _concatenate([c for _, c in found])
        keep = self.live[docs]
        return docs[keep], counts[keep]


class TermMatches:
    """The documents holding one term and how often; the character positions found on the
    way are kept, so the whole-word test (ranking) does not search the term again."""

    def __init__(self, grams: SegmentedGrams, q: str):
        self.grams, self.q = grams, q
        self._positions: list[np.ndarray | None] = []
        found = []
        for part in grams.parts:
            if len(q) > 2:  # found through positions anyway
                positions = part.find(q)
                self._positions.append(positions)
                found.append(part.doc_counts(positions))
            else:  # doc-level postings answer at once
                self._positions.append(None)
                found.append(part.docs(q))
        self.docs, self.counts = grams._gather(found)

    def whole_word(self) -> tuple[np.ndarray, np.ndarray]:
        """Sorted live documents where the term stands as a whole jieba word, and how often."""
        if len(self.q) < 2:
            return _concatenate([]), _concatenate([])
        found = []
        for part, positions in zip(self.grams.parts, self._positions):
            if positions is None:
                positions = part.find(self.q)
            found.append(part.doc_counts(positions[part.whole_word(positions, len(self.q))]))
        return self.grams._gather(found)


def read_manifest(directory: Path) -> dict | None:
    """The accelerator's manifest, None if there is none yet."""
    try:
        manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as error:
        raise CatalogError(f"{directory}: unreadable search accelerator ({error})") from error
    if manifest.get("format") != FORMAT or manifest.get("version") != FORMAT_VERSION:
        return None  # another version: rebuilt by the next run
    return manifest


def _published(directory: Path) -> dict:
    manifest = read_manifest(directory)
    if manifest is None:
        raise CatalogError(f"{directory}: no search accelerator; run 'unres index'")
    return manifest


def write_manifest(directory: Path, generation: int, segments: list[dict]) -> None:
    """Publish a commit's accelerator: ``segments`` as [{"name", "deleted"}] in Whoosh's order."""
    manifest = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "generation": generation,
        "segments": segments,
    }
    data = json.dumps(manifest).encode()
    write_file(directory / MANIFEST, lambda stream: stream.write(data))


def _code(vocab: dict[str, list[str]], vocabulary: str, value: str) -> int:
    try:
        return vocab[vocabulary].index(value)
    except ValueError:
        return NO_VALUE - 1


def _merge_vocabularies(vocabs: list[dict[str, list[str]]]) -> tuple[dict, list[dict]]:
    """Global vocabularies (first seen, first numbered) and, per segment, local→global codes."""
    merged: dict[str, list[str]] = {"type": list(PARAGRAPH_TYPES)}
    codes: dict[str, dict[str, int]] = {"type": {v: i for i, v in enumerate(PARAGRAPH_TYPES)}}
    maps = []
    for vocab in vocabs:
        mapping = {}
        for name, values in vocab.items():
            known = codes.setdefault(name, {})
            merged.setdefault(name, [])
            for value in values:
                if value not in known:
                    known[value] = len(merged[name])
                    merged[name].append(value)
            mapping[name] = np.array([known[value] for value in values], dtype=np.int32)
        maps.append(mapping)
    for name in ("verb", "resolution", "cites"):
        merged.setdefault(name, [])
    return merged, maps


def _global_columns(segments: list[Segment], maps: list[dict]) -> dict[str, np.ndarray]:
    columns: dict[str, np.ndarray] = {}
    for name in ("session", "date", *_CODED, "position"):
        parts = []
        for segment, mapping in zip(segments, maps):
            column = np.asarray(segment.columns[name])
            if name in _CODED and len(mapping[name]):
                # NO_VALUE (-1) stays -1: the lookup's extra last slot holds it.
                lookup = np.append(mapping[name], NO_VALUE).astype(np.int32)
                column = lookup[column]
            parts.append(column)
        dtype = segments[0].columns[name].dtype if segments else np.int32
        columns[name] = _concatenate(parts, dtype)
    # Chronological order as one sortable key: date, then resolution, then position in it
    # (27, 20 and 16 bits). Made at open in a few vector operations; a global sort would
    # cost tens of milliseconds at half a million paragraphs, on every cold start.
    columns["chrono"] = (
        (columns["date"].astype(np.int64) << 36)
        | (columns["resolution"].astype(np.int64) << 16)
        | columns["position"].astype(np.int64)
    )
    return columns


def _concatenate(parts: list[np.ndarray], dtype=np.int64) -> np.ndarray:
    return np.concatenate(parts).astype(dtype, copy=False) if parts else np.empty(0, dtype)


class _Builder:
    """Accumulates entries, then lays them out as arrays."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.words: list[np.ndarray] = []
        self.rows: list[tuple] = []
        # Records go to disk as they come: at 500,000 paragraphs they are 300 MB.
        self.records = tempfile.TemporaryFile()
        self.record_offsets = [0]
        self.vocab = {"type": list(PARAGRAPH_TYPES), "verb": [], "resolution": [], "cites": []}
        self.codes = {
            name: {v: i for i, v in enumerate(values)} for name, values in self.vocab.items()
        }
        self.titles: list[str] = []
        self.resolutions: list[dict] = []
        self.meta: dict = {}  # of the resolution whose paragraphs are being added
        self.cites: list[list[int]] = []

    def _code(self, vocabulary: str, value: str | None) -> int:
        if value is None:
            return NO_VALUE
        codes = self.codes[vocabulary]
        if value not in codes:
            codes[value] = len(self.vocab[vocabulary])
            self.vocab[vocabulary].append(value)
        return codes[value]

    def add(self, entry: Entry) -> None:
        if "title" in entry.record:  # a resolution's first paragraph holds its metadata
            self.meta = {k: v for k, v in entry.record.items() if k in RESOLUTION_KEYS}
        record = {**self.meta, **entry.record}
        self.texts.append(normalize(record["text"]))
        self.words.append(decode_words(entry.words))
        # Each part of a multi-part resolution is a resolution of its own here (50/72 B),
        # with its own title; a filter on 50/72 takes every part.
        part = record.get("part")
        resolution = self._code("resolution", part_number(record["resolution"], part))
        if resolution == len(self.titles):
            part_title = (record.get("parts") or {}).get(part) or ""
            self.titles.append(normalize(f"{record['title']} {part_title}"))
            self.resolutions.append({k: v for k, v in record.items() if k in RESOLUTION_KEYS})
        date = int(record["date"].replace("-", "")) if record.get("date") else 0
        self.rows.append(
            (
                NO_VALUE if record["session"] is None else record["session"],  # the Council: none
                date,
                self._code("type", record["type"]),
                self._code("verb", record.get("verb")),
                resolution,
                record["position"],
            )
        )
        self.cites.append([self._code("cites", cite) for cite in record.get("cites", [])])
        paragraph = {k: v for k, v in record.items() if k not in RESOLUTION_KEYS}
        line = json.dumps(paragraph, ensure_ascii=False).encode() + b"\n"
        self.records.write(line)
        self.record_offsets.append(self.record_offsets[-1] + len(line))

    def finish(self) -> Segment:
        rows = np.array(self.rows, dtype=np.int64).reshape(-1, 6)
        session, date, kind, verb, resolution, position = rows.T
        cite_offsets, cite_docs = _invert(self.cites, len(self.vocab["cites"]))
        columns = {
            "session": session.astype(np.int16),
            "date": date.astype(np.int32),
            "type": kind.astype(np.int8),
            "verb": verb.astype(np.int32),
            "resolution": resolution.astype(np.int32),
            "position": position.astype(np.int32),
            "cite_offsets": cite_offsets,
            "cite_docs": cite_docs,
            "record_offsets": np.asarray(self.record_offsets, dtype=np.int64),
        }
        grams = GramIndex.build(self.texts, self.words)
        self.texts, self.words = [], []  # the gram index holds them now
        manifest = {
            "format": SEGMENT_FORMAT,
            "version": FORMAT_VERSION,
            "count": len(rows),
            "vocab": self.vocab,
            "titles": self.titles,
        }
        return Segment(manifest, columns, grams, self.records, self.resolutions)


def _invert(lists: list[list[int]], size: int) -> tuple[np.ndarray, np.ndarray]:
    """Posting lists (CSR) from per-document lists of codes."""
    docs = np.repeat(np.arange(len(lists), dtype=np.int64), [len(codes) for codes in lists])
    codes = np.fromiter((c for codes in lists for c in codes), dtype=np.int64, count=len(docs))
    order = np.argsort(codes, kind="stable")
    offsets = np.zeros(size + 1, dtype=np.int64)
    np.cumsum(np.bincount(codes, minlength=size), out=offsets[1:])
    return offsets, docs[order].astype(np.int32)
