"""The search accelerator: everything a query needs, as arrays, derived from the Whoosh index.

Whoosh is the index of record, but walking its posting lists in pure Python costs 100-500 ms a
query at 200,000 paragraphs, and exact Chinese substring matching cannot be done with its word
terms at all. So after every indexing run the paragraphs are read back from Whoosh once and
laid out for numpy:

- ``grams/``: the exact-match index over the normalized paragraph texts (:mod:`search.grams`),
  with jieba's word boundaries for ranking;
- one column per filter (session, date, type, verb, resolution) and a citation posting list,
  so every filter is a vectorized comparison;
- the display records as JSON lines with an offset table, read only for the hits shown.

The folder is tagged with the Whoosh generation it was built from; a catalog that does not
match the Whoosh index on disk is stale and is rebuilt (:meth:`Catalog.open`).
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np

from .errors import IndexNotFound, UnresError
from .grams import GramIndex, GramIndexError
from .model import PARAGRAPH_TYPES
from .normalize import normalize
from .store import IndexPaths, write_directory

FORMAT = "unres-catalog"
FORMAT_VERSION = 2
MANIFEST = "manifest.json"
RECORDS = "records.jsonl"
GRAMS = "grams"
_COLUMNS = (
    "session",
    "date",
    "type",
    "verb",
    "resolution",
    "chrono",
    "cite_offsets",
    "cite_docs",
    "record_offsets",
)
NO_VALUE = -1


class CatalogError(UnresError):
    """The accelerator folder is missing, damaged, out of date or of another version."""


@dataclass
class Entry:
    """One paragraph as the catalog builder receives it."""

    record: dict  # the stored record: metadata of the paragraph and its resolution
    text: str  # as adopted
    words: bytes  # jieba word spans over the normalized text, as little-endian uint16 pairs


def encode_words(spans: list[tuple[int, int]]) -> bytes:
    """Word spans as compact bytes for storage (paragraph offsets fit in 16 bits)."""
    return np.asarray(spans, dtype="<u2").reshape(-1).tobytes()


def decode_words(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype="<u2").reshape(-1, 2)


class Catalog:
    """Columns, vocabularies, records and the gram index of one index generation."""

    def __init__(
        self,
        directory: Path | None,
        manifest: dict,
        columns: dict,
        grams: GramIndex,
        spool: BinaryIO | None = None,
    ):
        self.directory = directory
        self.manifest = manifest
        self.columns = columns
        self.grams = grams
        self._spool = spool  # the records of a catalog not (yet) saved: a temporary file
        self.vocab: dict[str, list[str]] = manifest["vocab"]
        self.title_norms: list[str] = manifest["titles"]  # normalized, one per resolution

    @property
    def count(self) -> int:
        return int(self.manifest["count"])

    @property
    def generation(self) -> int:
        return int(self.manifest["generation"])

    # --------------------------------------------------------------------------- building

    @classmethod
    def build(cls, entries: Iterable[Entry], generation: int) -> Catalog:
        builder = _Builder()
        for entry in entries:
            builder.add(entry)
        return builder.finish(generation)

    def save(self, directory: Path) -> None:
        """Write the catalog beside ``directory`` and rename it into place."""
        spool = self._spool
        assert spool is not None, "a loaded catalog is saved already"

        def fill(tmp: Path) -> None:
            self.grams.save(tmp / GRAMS)
            for name in _COLUMNS:
                np.save(tmp / f"{name}.npy", self.columns[name], allow_pickle=False)
            with open(tmp / RECORDS, "wb") as stream:
                spool.seek(0)
                shutil.copyfileobj(spool, stream)
            (tmp / MANIFEST).write_text(
                json.dumps(self.manifest, ensure_ascii=False), encoding="utf-8"
            )

        write_directory(directory, fill)
        spool.close()
        self.directory, self._spool = directory, None

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
        try:
            manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
            if manifest.get("format") != FORMAT or manifest.get("version") != FORMAT_VERSION:
                raise CatalogError(
                    f"{directory}: search accelerator of another version; run 'unres index'"
                )
            columns = {name: np.load(directory / f"{name}.npy", mmap_mode="r") for name in _COLUMNS}
            grams = GramIndex.load(directory / GRAMS)
        except (OSError, ValueError, KeyError, GramIndexError) as error:
            raise CatalogError(
                f"{directory}: unreadable search accelerator ({error}); run 'unres index'"
            ) from error
        return cls(directory, manifest, columns, grams)

    # --------------------------------------------------------------------------- reading

    def records(self, docs: Iterable[int]) -> Iterable[dict]:
        """Records of many paragraphs, read through one open file."""
        offsets = self.columns["record_offsets"]
        if self._spool:
            opened: AbstractContextManager[BinaryIO] = nullcontext(self._spool)
        else:
            assert self.directory is not None
            opened = open(self.directory / RECORDS, "rb")
        with opened as stream:
            for doc in docs:
                start, end = int(offsets[doc]), int(offsets[doc + 1])
                stream.seek(start)
                yield json.loads(stream.read(end - start))

    def code(self, vocabulary: str, value: str) -> int:
        """The column code of ``value``; NO_VALUE - 1 (matches nothing) when it is unknown."""
        try:
            return self.vocab[vocabulary].index(value)
        except ValueError:
            return NO_VALUE - 1

    def cited_by(self, number: str) -> np.ndarray:
        """Paragraphs citing resolution ``number``."""
        code = self.code("cites", number)
        if code < 0:
            return np.empty(0, dtype=np.int64)
        offsets = self.columns["cite_offsets"]
        return np.asarray(self.columns["cite_docs"][offsets[code] : offsets[code + 1]])


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
        record = entry.record
        self.texts.append(normalize(entry.text))
        self.words.append(decode_words(entry.words))
        resolution = self._code("resolution", record["resolution"])
        if resolution == len(self.titles):
            self.titles.append(normalize(record["title"]))
        date = int(record["date"].replace("-", "")) if record.get("date") else 0
        self.rows.append(
            (
                record["session"],
                date,
                self._code("type", record["type"]),
                self._code("verb", record.get("verb")),
                resolution,
                record["position"],
            )
        )
        self.cites.append([self._code("cites", cite) for cite in record.get("cites", [])])
        line = json.dumps({**record, "text": entry.text}, ensure_ascii=False).encode() + b"\n"
        self.records.write(line)
        self.record_offsets.append(self.record_offsets[-1] + len(line))

    def finish(self, generation: int) -> Catalog:
        rows = np.array(self.rows, dtype=np.int64).reshape(-1, 6)
        session, date, kind, verb, resolution, position = rows.T
        chrono = np.lexsort((position, resolution, date))
        rank = np.empty(len(rows), dtype=np.int32)
        rank[chrono] = np.arange(len(rows), dtype=np.int32)
        cite_offsets, cite_docs = _invert(self.cites, len(self.vocab["cites"]))
        columns = {
            "session": session.astype(np.int16),
            "date": date.astype(np.int32),
            "type": kind.astype(np.int8),
            "verb": verb.astype(np.int32),
            "resolution": resolution.astype(np.int32),
            "chrono": rank,
            "cite_offsets": cite_offsets,
            "cite_docs": cite_docs,
            "record_offsets": np.asarray(self.record_offsets, dtype=np.int64),
        }
        grams = GramIndex.build(self.texts, self.words)
        self.texts, self.words = [], []  # the gram index holds them now
        manifest = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "generation": generation,
            "count": len(rows),
            "vocab": self.vocab,
            "titles": self.titles,
        }
        return Catalog(None, manifest, columns, grams, spool=self.records)


def _invert(lists: list[list[int]], size: int) -> tuple[np.ndarray, np.ndarray]:
    """Posting lists (CSR) from per-document lists of codes."""
    docs = np.repeat(np.arange(len(lists), dtype=np.int64), [len(codes) for codes in lists])
    codes = np.fromiter((c for codes in lists for c in codes), dtype=np.int64, count=len(docs))
    order = np.argsort(codes, kind="stable")
    offsets = np.zeros(size + 1, dtype=np.int64)
    np.cumsum(np.bincount(codes, minlength=size), out=offsets[1:])
    return offsets, docs[order].astype(np.int32)
