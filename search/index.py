"""The Whoosh index: one document per paragraph, the index of record.

Layout of an index folder::

    DIR/whoosh/   the Whoosh index (schema below); every commit is atomic (new segments,
                  then the TOC file renamed into place), so a killed run leaves the last
                  committed state intact
    DIR/accel/    the search accelerator (:mod:`search.catalog`), derived from the Whoosh
                  index and tagged with the Whoosh generation it was built from

Field types are chosen for cost: the only analysed field is the paragraph text (jieba words,
positions as token counts); the title, the same for every paragraph of a resolution, is
stored in the record and ranked by the accelerator; the keys are single-term ID fields, and
everything else is stored only. Numeric and date fields are avoided on purpose: their tiered
terms multiply postings and add nothing that the accelerator's columns do not do better.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import functools
import hashlib
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
from .errors import IndexLocked, IndexNotFound
from .model import Paragraph, Resolution
from .normalize import normalize
from .store import INDEX_NAME, IndexPaths

# What a paragraph's stored record holds besides its text (asdict() is too slow to call per
# paragraph at half a million paragraphs).
RESOLUTION_FIELDS = tuple(f.name for f in fields(Resolution) if f.name != "paragraphs")
PARAGRAPH_FIELDS = tuple(f.name for f in fields(Paragraph) if f.name != "text")

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
        id=whoosh_fields.ID(stored=True, unique=True),
        symbol=whoosh_fields.ID(stored=True),
        source_hash=whoosh_fields.ID(stored=True),
        text=whoosh_fields.TEXT(analyzer=word_analyzer(), stored=True),
        record=whoosh_fields.STORED(),  # metadata of paragraph and resolution, title included
        words=whoosh_fields.STORED(),  # jieba's word spans: the accelerator never re-segments
    )


def paragraph_key(paragraph: Paragraph, preamble_index: int) -> str:
    """The part of a paragraph id after '#': pre3, op9, op3a, fn2, annex4."""
    prefix = _KEY_PREFIX[paragraph.type]
    if paragraph.type == "preamble" or paragraph.number is None:
        return f"{prefix}{preamble_index}"
    return f"{prefix}{paragraph.number}{paragraph.item or ''}"


def documents(resolution: Resolution, source: str, source_hash: str) -> Iterator[dict]:
    """The Whoosh documents of a resolution: one per paragraph, in document order."""
    meta = {name: getattr(resolution, name) for name in RESOLUTION_FIELDS}
    seen: set[str] = set()
    for position, paragraph in enumerate(resolution.paragraphs):
        key = paragraph_key(paragraph, position + 1)
        if key in seen:  # e.g. two unnumbered annex paragraphs: keep ids unique
            key = f"{key}-{position + 1}"
        seen.add(key)
        record = {
            **meta,
            **{name: getattr(paragraph, name) for name in PARAGRAPH_FIELDS},
            "id": f"{resolution.symbol}#{key}",
            "resolution": resolution.number,
            "position": position,
            "source": source,
        }
        yield {
            "id": record["id"],
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
    if paths.exists():
        return _storage(paths).open_index(INDEX_NAME)
    return _storage(paths).create_index(schema(), indexname=INDEX_NAME)


def open_existing(paths: IndexPaths):
    """The Whoosh index at ``paths``; IndexNotFound if there is none."""
    if not paths.exists():
        raise IndexNotFound(f"no index in {paths.root} (run 'unres index' first)")
    return _storage(paths).open_index(INDEX_NAME)


def _storage(paths: IndexPaths):
    """Whoosh's file storage without memory maps: reading every stored field through maps
    made the mapped files count as resident memory (350 MB for 100,000 paragraphs)."""
    from whoosh.filedb.filestore import FileStorage

    return FileStorage(str(paths.whoosh), supports_mmap=False)


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


def indexed_hashes(ix) -> set[str]:
    """Content hashes of the files in the index, read from the term list."""
    with ix.reader() as reader:
        return {
            term.decode() if isinstance(term, bytes) else term
            for term in reader.lexicon("source_hash")
        }
