"""The Whoosh index: one document per paragraph, the index of record.

It holds each paragraph once: its record (metadata, text and its resolution's metadata) and
jieba's word spans as stored fields, its jieba words as postings (``text``, without
positions: matching is the accelerator's, :mod:`search.catalog`), and the two keys an
indexing run looks up, ``symbol`` and ``source_hash``. Every commit is atomic (new segments,
then the TOC file renamed into place), so a killed run leaves the last commit intact; the
accelerator is derived from it segment by segment. Writing is serialized by
:func:`exclusive`, parallel across cores by sub-writer processes (:func:`writer`), and
segments are merged by :func:`merge_policy`. Layout of the folder: :mod:`search.store`.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import functools
import hashlib
import math
import os
import shutil
import signal
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import fields
from pathlib import Path

from . import analysis, store
from .analysis import word_analyzer
from .catalog import encode_words
from .errors import IndexLocked, IndexOfAnotherVersion
from .model import Paragraph, Resolution
from .normalize import normalize
from .store import INDEX_NAME, IndexPaths

# What a paragraph's stored record holds besides its text (asdict() is too slow to call per
# paragraph at half a million paragraphs).
# Parse warnings are reported when indexing, not stored with every paragraph.
RESOLUTION_FIELDS = tuple(
    f.name for f in fields(Resolution) if f.name not in ("paragraphs", "warnings")
)
PARAGRAPH_FIELDS = tuple(f.name for f in fields(Paragraph) if f.name != "text")

MERGE_FACTOR = 8
MERGE_MAX_DOCS = 20_000
_held: set[Path] = set()  # index folders this process holds (exclusive)
_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
_KEY_PREFIX = {
    "preamble": "pre",
    "operative": "op",
    "subparagraph": "op",
    "annex": "annex",
    "footnote": "fn",
}


def schema():
    """The Whoosh schema of a paragraph document."""
    from whoosh import fields as whoosh_fields

    return whoosh_fields.Schema(
        symbol=whoosh_fields.ID(),  # a replaced or removed resolution is deleted by symbol
        source_hash=whoosh_fields.ID(),  # a file indexed unchanged is skipped
        # jieba's words, for word completion and key terms; matching never uses them, so
        # no positions (phrase queries on words would be the only reader).
        # (A Whoosh tokenizer is an analyzer, though Whoosh's annotations say otherwise.)
        text=whoosh_fields.TEXT(analyzer=word_analyzer(), phrase=False),  # type: ignore[arg-type]
        record=whoosh_fields.STORED(),  # the paragraph, its text and its resolution's metadata
        words=whoosh_fields.STORED(),  # jieba's word spans: the accelerator never re-segments
    )


def paragraph_key(paragraph: Paragraph, preamble_index: int) -> str:
    """The part of a paragraph id after '#': pre3, op9, op3a, fn2, annex4; in a part of a
    multi-part resolution, the part letter first: B.op3."""
    prefix = _KEY_PREFIX[paragraph.type]
    part = f"{paragraph.part}." if paragraph.part else ""
    if paragraph.type == "preamble" or paragraph.number is None:
        return f"{part}{prefix}{preamble_index}"
    return f"{part}{prefix}{paragraph.number}{paragraph.item or ''}"


def documents(resolution: Resolution, source: str, source_hash: str) -> Iterator[dict]:
    """The Whoosh documents of a resolution: one per paragraph, in document order.

    The resolution's metadata (title, date, meeting…) is stored with its first paragraph
    only: a resolution's paragraphs are added together, so within a Whoosh segment they
    follow one another in order (merges copy segments in order), and the accelerator's
    builder carries the metadata forward (:class:`search.catalog.Entry`).
    """
    meta = {name: getattr(resolution, name) for name in RESOLUTION_FIELDS} | {"source": source}
    seen: set[str] = set()
    for position, paragraph in enumerate(resolution.paragraphs):
        key = paragraph_key(paragraph, position + 1)
        if key in seen:  # e.g. two unnumbered annex paragraphs: keep ids unique
            key = f"{key}-{position + 1}"
        seen.add(key)
        record = {
            **(meta if position == 0 else {}),
            **{name: getattr(paragraph, name) for name in PARAGRAPH_FIELDS},
            "id": f"{resolution.symbol}#{key}",
            "resolution": resolution.number,
            "position": position,
            "text": paragraph.text,
        }
        yield {
            "symbol": resolution.symbol,
            "source_hash": source_hash,
            "text": paragraph.text,
            "record": record,
        }


def file_hash(data: bytes) -> str:
    """What identifies a file's content, to skip files indexed unchanged."""
    return hashlib.sha256(data).hexdigest()


def open_or_create(paths: IndexPaths):
    """The Whoosh index at ``paths``, created empty if there is none."""
    paths.whoosh.mkdir(parents=True, exist_ok=True)
    if not paths.exists():
        return store.whoosh_storage(paths).create_index(schema(), indexname=INDEX_NAME)
    return open_for_writing(paths)


def open_for_writing(paths: IndexPaths):
    """The Whoosh index at ``paths`` (IndexNotFound if none), checked to be of this version's
    schema: an index written by another version is refused with what to do, not half-read."""
    ix = store.open_whoosh(paths)
    if set(ix.schema.names()) != set(schema().names()):
        raise IndexOfAnotherVersion(
            f"{paths.root} holds an index of another version of unres; move it away or delete "
            "it, then run 'unres index' to build it anew"
        )
    return ix


@contextlib.contextmanager
def exclusive(paths: IndexPaths) -> Iterator[None]:
    """Hold the index for one indexing run: IndexLocked if another run holds it.

    The lock is a POSIX record lock (``lockf``) on ``DIR/write.lock``: the kernel drops it
    when its process ends, however it ends, so a run killed with kill -9 never blocks the
    next one, and unlike an ``flock`` it is not inherited by forked sub-writers. Files a
    killed run left half-written are removed once the lock is held.
    """
    paths.root.mkdir(parents=True, exist_ok=True)
    key = paths.root.resolve()
    busy = IndexLocked(f"another 'unres index' is writing to {paths.root}; wait for it to finish")
    if key in _held:  # record locks are per process: a second taker here would share it
        raise busy
    fd = os.open(paths.lock, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as error:
            raise busy from error
        _held.add(key)
        try:
            remove_leftovers(paths)
            yield
        finally:
            _held.discard(key)
    finally:
        os.close(fd)  # releases the lock


def remove_leftovers(paths: IndexPaths) -> None:
    """Delete what a killed run left half-written: the accelerator's temporary folders and
    Whoosh's job files (``MAIN.tmp``); the segment files of an uncommitted Whoosh commit go
    at the next commit (Whoosh's ``clean_files``)."""
    store.remove_leftovers(paths.root, paths.accel)
    shutil.rmtree(paths.whoosh / f"{INDEX_NAME}.tmp", ignore_errors=True)


def writer(ix, procs: int = 1):
    """A writer on ``ix`` taking resolutions (:func:`add_resolution`).

    With ``procs`` > 1 it is a Whoosh multiprocessing writer whose sub-writers receive parsed
    resolutions and segment them themselves, so jieba and Whoosh's per-posting work, the two
    costs of indexing, both run on every core, and each paragraph is segmented once.
    """
    from whoosh.index import LockError

    if procs > 1:
        # jieba's dictionary, loaded here before the fork, is inherited by every sub-writer
        # of every commit instead of being loaded by each (a second or more apiece).
        analysis.segment("裁军")
    try:
        if procs > 1:
            return _resolution_writer_class()(
                ix, procs=procs, batchsize=4, multisegment=True, limitmb=128
            )
        return ix.writer(limitmb=256)
    except LockError as error:
        raise IndexLocked(
            "another 'unres index' is writing to this index; wait for it to finish"
        ) from error


def add_resolution(index_writer, resolution: Resolution, source: str, digest: str) -> None:
    """Add every paragraph of ``resolution``; a parallel writer hands it to a sub-writer."""
    if getattr(index_writer, "takes_resolutions", False):
        index_writer.add_document(job=(resolution, source, digest))
        return
    for document in documents(resolution, source, digest):
        normalized = normalize(document["text"])
        spans = analysis.segment(normalized)
        analysis.remember(normalized, spans)  # the analyzer will ask for the same words
        index_writer.add_document(**document, words=encode_words(spans))
    analysis.forget()


def abandon(index_writer) -> None:
    """End ``index_writer`` without committing: sub-writers killed, temporary files removed,
    the lock released. Ctrl-C is ignored meanwhile, so a second one cannot leave a sub-writer
    or a temporary file behind; it takes milliseconds."""
    previous = _ignore_sigint()
    try:
        for task in getattr(index_writer, "tasks", ()):
            task.kill()
        for task in getattr(index_writer, "tasks", ()):
            task.join()
        for name in ("jobqueue", "resultqueue"):
            queue = getattr(index_writer, name, None)
            if queue is not None:
                # The feeder thread would wait at exit for the killed sub-writers to read
                # what is still buffered: the hang at exit after Ctrl-C.
                queue.cancel_join_thread()
                queue.close()
        if not index_writer.is_closed:
            try:
                index_writer.cancel()
            except Exception:
                index_writer._cleanup_on_error()  # releases the lock, removes temporary files
    finally:
        _restore_sigint(previous)


def _ignore_sigint():
    if threading.current_thread() is not threading.main_thread():
        return None
    return signal.signal(signal.SIGINT, signal.SIG_IGN)


def _restore_sigint(previous) -> None:
    if previous is not None:
        signal.signal(signal.SIGINT, previous)


def _die_with_parent(parent: int) -> None:
    """Make this sub-writer end the moment its parent process does.

    On Linux the kernel sends SIGKILL when the parent dies (PR_SET_PDEATHSIG): at once,
    whatever the sub-writer is doing, with nothing to poll. A parent that died before the
    request was made is caught by comparing the parent's pid. Elsewhere a daemon thread
    watches the parent's pid instead (within half a second).
    """
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0:
            if os.getppid() != parent:
                os._exit(1)
            return

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


@functools.cache
def _resolution_writer_class():
    """Whoosh's MpWriter whose sub-writers take resolutions (defined on first use: whoosh
    is imported only by commands that write)."""
    import pickle

    from whoosh.multiproc import MpWriter, SubWriterTask

    class ResolutionTask(SubWriterTask):
        parent = 0
        lock_fd: int | None = None

        def run(self):
            _die_with_parent(self.parent)
            if self.lock_fd is not None:
                # The fork copied the parent's descriptor of the index lock (an flock, held
                # while any copy is open): the lock is the parent's alone.
                os.close(self.lock_fd)
            super().run()

        def _process_file(self, filename, doc_count):
            storage = self.writer.temp_storage()
            with storage.open_file(filename).raw_file() as stream:
                for _ in range(doc_count):
                    _, fields = pickle.load(stream)
                    add_resolution(self.writer, *fields["job"])
            storage.delete_file(filename)

    class ResolutionWriter(MpWriter):
        takes_resolutions = True

        def _new_task(self):
            task = ResolutionTask(
                self.storage,
                self.indexname,
                self.jobqueue,
                self.resultqueue,
                self.subargs,
                self.multisegment,
            )
            task.daemon = True  # killed by multiprocessing at exit should anything go wrong
            task.parent = os.getpid()
            task.lock_fd = getattr(self.writelock, "fd", None)
            self.tasks.append(task)
            # Ctrl-C is the parent's to handle (abandon); the sub-writer inherits SIG_IGN
            # from the very first instruction, so it never prints a traceback of its own.
            previous = _ignore_sigint()
            try:
                task.start()
            finally:
                _restore_sigint(previous)
            return task

    return ResolutionWriter


def merge_policy(index_writer, segments: list) -> list:
    """Which segments a commit merges (a Whoosh merge policy): Lucene's log merge policy.

    A segment's level is log8 of its documents; when ``MERGE_FACTOR`` segments share the
    lowest crowded level, they and every smaller one are merged into the commit's new
    segment, so each paragraph is rewritten about log8(N) times in its life and a search
    meets a few segments per level. A segment whose deletions reach a third of it is merged
    too, which drops them. Segments of ``MERGE_MAX_DOCS`` or more are left as they are
    (as Lucene's maximum merged segment size): merging them would cost minutes of Whoosh's
    per-posting Python work in the middle of a run for little gain at search time, so an
    index of N paragraphs keeps about N / MERGE_MAX_DOCS segments. (Whoosh's own MERGE_SMALL
    merges only segments of a few dozen documents.) Returns the segments kept.
    """
    from whoosh.reading import SegmentReader

    def level(segment) -> int:
        if segment.doc_count_all() >= MERGE_MAX_DOCS:
            return -1  # never merged for size
        return int(math.log(max(segment.doc_count_all(), 1), MERGE_FACTOR))

    levels = sorted({level(s) for s in segments} - {-1})
    crowded = [n for n in levels if sum(level(s) == n for s in segments) >= MERGE_FACTOR]
    top = crowded[0] if crowded else -1
    merged = [
        s
        for s in segments
        if 0 <= level(s) <= top or 3 * s.deleted_count() >= max(s.doc_count_all(), 1)
    ]
    for segment in merged:
        reader = SegmentReader(index_writer.storage, index_writer.schema, segment)
        try:
            index_writer.add_reader(reader)
        finally:
            reader.close()
    return [s for s in segments if s not in merged]


def live_terms(ix, field: str) -> set[str]:
    """The terms of ``field`` that a document not deleted holds: a deleted document's terms
    stay in Whoosh's term list until its segment is merged."""
    found: set[str] = set()
    with ix.reader() as reader:
        for leaf, _ in reader.leaf_readers():
            terms = [t.decode() if isinstance(t, bytes) else t for t in leaf.lexicon(field)]
            if leaf.has_deletions():
                terms = [t for t in terms if leaf.postings(field, t).is_active()]
            found.update(terms)
    return found
