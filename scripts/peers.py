"""The systems unres is compared with, over the same list of paragraph texts.

Each peer has ``build(paragraphs)``, ``search(q, limit) -> (total, top ids)`` and
``matches(q) -> set of ids``, where an id is the paragraph's position in the list:

- :class:`BruteForce`: a Python substring scan over the texts in memory, the ground truth;
- :class:`Fts5Trigram`: SQLite FTS5 with the trigram tokenizer, ranked by bm25;
- :class:`WhooshJieba`: a naive Whoosh index with jieba's bundled ``ChineseAnalyzer`` on a
  TEXT field, queried through Whoosh's ``QueryParser``.

The query language is the common part of the three: terms separated by spaces (all must match),
``"quoted phrases"``, and ``OR`` between groups. A Chinese phrase means its characters in a
row: the space in ``"核 裁军"`` is layout, so the truth for it is the substring 核裁军. The
brute force and FTS5 read the query that way; Whoosh gets the query string unchanged, as a
naive user of it would type it, and so does unres.

FTS5's trigram tokenizer cannot match fewer than three characters: a one- or two-character
phrase alone matches no row, and inside an AND it is ignored. This module passes such terms
through as they are and reports what FTS5 returns; it does not fall back to a scan.

    python scripts/peers.py            # a smoke run on the bundled corpus
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

_TOKEN_RE = re.compile(r'"([^"]*)"|(\S+)')


class QueryError(ValueError):
    """A query the common language cannot express."""


def parse_query(query: str) -> list[list[str]]:
    """``a "b c" OR d`` → [["a", "bc"], ["d"]]: OR of ANDs of substrings (phrases unspaced)."""
    groups: list[list[str]] = [[]]
    for found in _TOKEN_RE.finditer(query):
        phrase, word = found.groups()
        if word == "OR":
            groups.append([])
            continue
        if word == "AND":
            continue
        text = "".join((phrase if phrase is not None else word).split())
        if text:
            groups[-1].append(text)
    if not groups or any(not group for group in groups):
        raise QueryError(f"query {query!r} has an empty side of OR or no terms")
    return groups


class Peer:
    """Shared bookkeeping: a temporary folder, build time, size on disk."""

    name = "peer"

    def __init__(self, base_dir: Path | str | None = None):
        self.base_dir = base_dir
        self.directory: Path | None = None
        self.build_seconds: float | None = None

    def _make_dir(self) -> Path:
        self.directory = Path(tempfile.mkdtemp(prefix=f"peer-{self.name}-", dir=self.base_dir))
        return self.directory

    def size_bytes(self) -> int:
        if self.directory is None:
            return 0
        return sum(p.stat().st_size for p in self.directory.rglob("*") if p.is_file())

    def close(self) -> None:
        if self.directory is not None:
            shutil.rmtree(self.directory, ignore_errors=True)
            self.directory = None

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class BruteForce(Peer):
    """Every paragraph scanned with ``in``: slow, exact, the ground truth. Texts and terms go
    through unres's one normalization (search.normalize: width, case, spaces by Chinese,
    traditional → simplified), which defines what an exact match is."""

    name = "brute-force"

    def build(self, paragraphs: list[str]) -> None:
        normalize = _unres_normalize()
        started = time.perf_counter()
        self.texts = [normalize(text) for text in paragraphs]
        self.build_seconds = time.perf_counter() - started

    def matches(self, q: str) -> set[int]:
        return set(self._ordered(q))

    def search(self, q: str, limit: int = 10) -> tuple[int, list[int]]:
        """No ranking: the first ``limit`` matches in corpus order."""
        found = self._ordered(q)
        return len(found), found[:limit]

    def _ordered(self, q: str) -> list[int]:
        """One scan per distinct term, then set algebra: OR of ANDs."""
        normalize = _unres_normalize()
        groups = [[normalize(term) for term in group] for group in parse_query(q)]
        found = {
            term: [i for i, text in enumerate(self.texts) if term in text]
            for term in {term for group in groups for term in group}
        }
        if len(found) == 1:
            return next(iter(found.values()))
        union: set[int] = set()
        for group in groups:
            union |= set.intersection(*(set(found[term]) for term in group))
        return sorted(union)


def _unres_normalize():
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    from search.normalize import normalize

    return normalize


class Fts5Trigram(Peer):
    """SQLite FTS5, ``tokenize='trigram'``; top 10 by bm25, total by count(*)."""

    name = "fts5-trigram"

    @staticmethod
    def available() -> bool:
        try:
            with sqlite3.connect(":memory:") as db:
                db.execute("CREATE VIRTUAL TABLE t USING fts5(text, tokenize='trigram')")
            return True
        except sqlite3.OperationalError:
            return False

    def build(self, paragraphs: list[str]) -> None:
        started = time.perf_counter()
        path = self._make_dir() / "fts5.db"
        self.db = sqlite3.connect(path)
        self.db.execute("CREATE VIRTUAL TABLE p USING fts5(text, tokenize='trigram')")
        with self.db:
            self.db.executemany(
                "INSERT INTO p(rowid, text) VALUES (?, ?)",
                ((i, text) for i, text in enumerate(paragraphs)),
            )
        with self.db:
            self.db.execute("INSERT INTO p(p) VALUES ('optimize')")
        self.build_seconds = time.perf_counter() - started

    @staticmethod
    def expression(q: str) -> str:
        """The common query as an FTS5 MATCH expression: each substring a quoted phrase."""
        return " OR ".join(
            "(" + " AND ".join('"' + term.replace('"', '""') + '"' for term in group) + ")"
            for group in parse_query(q)
        )

    def search(self, q: str, limit: int = 10) -> tuple[int, list[int]]:
        expression = self.expression(q)
        total = self.db.execute("SELECT count(*) FROM p WHERE p MATCH ?", (expression,)).fetchone()
        top = self.db.execute(
            "SELECT rowid FROM p WHERE p MATCH ? ORDER BY bm25(p) LIMIT ?", (expression, limit)
        ).fetchall()
        return total[0], [row[0] for row in top]

    def matches(self, q: str) -> set[int]:
        rows = self.db.execute("SELECT rowid FROM p WHERE p MATCH ?", (self.expression(q),))
        return {row[0] for row in rows}

    def close(self) -> None:
        if getattr(self, "db", None) is not None:
            self.db.close()
            self.db = None
        super().close()


class WhooshJieba(Peer):
    """Whoosh with ``jieba.analyse.ChineseAnalyzer``, default writer, QueryParser queries."""

    name = "whoosh-jieba"

    def build(self, paragraphs: list[str]) -> None:
        import jieba
        from jieba.analyse import ChineseAnalyzer
        from whoosh import index
        from whoosh.fields import STORED, TEXT, Schema
        from whoosh.qparser import QueryParser

        jieba.setLogLevel(logging.WARNING)  # its "Building prefix dict" chatter on stderr
        started = time.perf_counter()
        schema = Schema(text=TEXT(analyzer=ChineseAnalyzer()), pid=STORED)
        self.ix = index.create_in(str(self._make_dir()), schema)
        writer = self.ix.writer()
        for i, text in enumerate(paragraphs):
            writer.add_document(text=text, pid=i)
        writer.commit()
        self.build_seconds = time.perf_counter() - started
        self.parser = QueryParser("text", schema)
        self.searcher = self.ix.searcher()
        self._pids: list[int] | None = None

    def search(self, q: str, limit: int = 10) -> tuple[int, list[int]]:
        results = self.searcher.search(self.parser.parse(q), limit=limit)
        return len(results), [hit["pid"] for hit in results]

    def matches(self, q: str) -> set[int]:
        if self._pids is None:  # docnum → paragraph id, read once
            self._pids = [fields["pid"] for fields in self.searcher.all_stored_fields()]
        return {self._pids[doc] for doc in self.searcher.docs_for_query(self.parser.parse(q))}

    def close(self) -> None:
        if getattr(self, "searcher", None) is not None:
            self.searcher.close()
            self.searcher = None
        super().close()


PEERS = {peer.name: peer for peer in (BruteForce, Fts5Trigram, WhooshJieba)}


def bundled_paragraphs() -> list[str]:
    """The paragraph texts of the bundled corpus, as the project's parser reads them."""
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    from search.parser import parse_file

    return [
        p.text
        for path in sorted((REPO / "index_data").glob("*.txt"))
        for p in parse_file(path).paragraphs
    ]


def main() -> int:
    texts = bundled_paragraphs()
    queries = ("裁军", "核", "多边主义", '"核 裁军"', "决定 OR 请", "核武器 公约")
    truth = BruteForce()
    truth.build(texts)
    print(f"{len(texts)} paragraphs of the bundled corpus")
    for name, cls in PEERS.items():
        with cls() as peer:
            peer.build(texts)
            print(f"{name}: built in {peer.build_seconds:.3f} s, {peer.size_bytes()} bytes")
            for q in queries:
                total, top = peer.search(q)
                got, want = peer.matches(q), truth.matches(q)
                print(
                    f"  {q:12} total {total:4d}  found {len(got & want):4d}/{len(want):<4d}"
                    f" extra {len(got - want):4d}  top {top[:5]}"
                )
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
