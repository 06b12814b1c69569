"""Indexing resolution files, and keeping the accelerator in step with the Whoosh index.

A run reads every file, skips those whose content is already indexed (by SHA-256), parses the
rest and hands them to Whoosh, replacing the paragraphs of a resolution indexed before (keyed by
symbol). With many files the writer is parallel: sub-writer processes segment and index while
this process parses (:func:`search.index.writer`). It commits every
``COMMIT_EVERY`` files, so an interrupted run keeps what it committed and the next run skips
it. A bad file is recorded with its problem and skipped; it never stops the run. At the end the
accelerator (:mod:`search.catalog`) is rebuilt from the Whoosh index.
"""

from __future__ import annotations

import os
import shutil
import signal
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

from .catalog import MANIFEST, Catalog, Entry, Segment, read_manifest, write_manifest
from .citations import canonical_number
from .errors import NotInIndex
from .index import (
    abandon,
    add_resolution,
    exclusive,
    file_hash,
    live_terms,
    merge_policy,
    open_for_writing,
    open_or_create,
    writer,
)
from .model import Resolution
from .parser import ParseError, parse_bytes
from .readers import SUFFIXES
from .store import IndexPaths

RESOLUTION_SUFFIXES = SUFFIXES  # .txt .md .html .htm .pdf .docx
COMMIT_EVERY = 2000
PARALLEL_FROM = 40  # fewer files are indexed in-process: a sub-writer costs a jieba load
CRASH_ENV = "UNRES_CRASH"
_checkpoints: dict[str, int] = {}


@dataclass
class IndexReport:
    added: int = 0
    replaced: int = 0
    skipped: int = 0
    paragraphs: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (file, problem)
    ignored: dict[str, int] = field(default_factory=dict)  # files in folders not read, by suffix
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (file, what it lacks)
    # (file, symbol, file it was indexed from before): a resolution now read from another file
    moved: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass
class _Parsed:
    path: str
    digest: str
    resolution: Resolution | None = None  # None with no problem: indexed already, unchanged
    problem: str | None = None


def bundled_corpus() -> list[Path]:
    """The resolution files shipped with the package.

    An installed package carries them as ``search.corpus``; an editable install or a source
    checkout reads them where they live in the repository, ``index_data/``.
    """
    in_repository = Path(__file__).resolve().parent.parent / "index_data"
    items = in_repository.iterdir() if in_repository.is_dir() else files("search.corpus").iterdir()
    return sorted(Path(str(item)) for item in items if item.name.endswith(RESOLUTION_SUFFIXES))


def collect(paths: Iterable[Path], report: IndexReport) -> list[Path]:
    """Resolution files named, or found under the folders named; missing paths are failures."""
    found: dict[Path, None] = {}
    for path in paths:
        if path.is_dir():
            for item in sorted(path.rglob("*")):
                visible = not any(part.startswith(".") for part in item.relative_to(path).parts)
                if not (visible and item.is_file()):
                    continue
                suffix = item.suffix.lower()
                if suffix in RESOLUTION_SUFFIXES:
                    found[item] = None
                else:
                    report.ignored[suffix] = report.ignored.get(suffix, 0) + 1
        elif path.is_file():
            found[path] = None
        else:
            report.failed.append((str(path), "no such file or folder"))
    return list(found)


def index_paths(
    paths: Iterable[Path],
    index_dir: Path,
    progress: Callable[[int, int], None] | None = None,
    commit_every: int = COMMIT_EVERY,
    procs: int | None = None,
) -> IndexReport:
    """Index the resolution files under ``paths`` into ``index_dir``.

    ``procs`` sub-writers index in parallel (default: one per core once there are
    ``PARALLEL_FROM`` files); a commit follows every ``commit_every`` resolutions.
    """
    report = IndexReport()
    files_to_read = collect([Path(p) for p in paths], report)
    index_paths_ = IndexPaths(Path(index_dir))
    with exclusive(index_paths_):
        if procs is None:
            procs = (os.cpu_count() or 1) if len(files_to_read) >= PARALLEL_FROM else 1
        _index_files(files_to_read, index_paths_, report, progress, commit_every, procs)
        update_accelerator(index_paths_)  # nothing committed: still repairs a lost accelerator
    return report


def _index_files(files_to_read, index_paths_, report, progress, commit_every, procs) -> None:
    ix = open_or_create(index_paths_)
    known = live_terms(ix, "source_hash")
    symbols = live_terms(ix, "symbol")
    pending, current = 0, writer(ix, procs)
    seen: dict[str, str] = {}  # symbol -> the file it was read from in this run
    sources: dict[str, str] | None = None  # symbol -> its file in the index, read when needed
    try:
        for done, path in enumerate(files_to_read, start=1):
            parsed = _parse_one(path, known)
            if parsed.problem is not None:
                report.failed.append((parsed.path, parsed.problem))
            elif parsed.resolution is None:
                report.skipped += 1
            elif parsed.resolution.symbol in seen:  # two files of one resolution
                symbol = parsed.resolution.symbol
                report.failed.append(
                    (parsed.path, f"{symbol} is also in {seen[symbol]}; kept that one")
                )
            else:
                seen[parsed.resolution.symbol] = parsed.path
                report.warnings += [(parsed.path, w) for w in parsed.resolution.warnings]
                known.add(parsed.digest)
                replacing = parsed.resolution.symbol in symbols
                if replacing:
                    sources = _indexed_sources(index_paths_) if sources is None else sources
                    before = sources.get(parsed.resolution.symbol)
                    if before and Path(before).resolve() != Path(parsed.path).resolve():
                        report.moved.append((parsed.path, parsed.resolution.symbol, before))
                _write(current, parsed, replacing, report)
                pending += 1
                checkpoint("file")
            if pending >= commit_every:
                _commit(current, index_paths_)
                pending, current = 0, writer(ix, procs)
            if progress:
                progress(done, len(files_to_read))
        if pending:
            _commit(current, index_paths_)
        else:
            abandon(current)
    except BaseException:
        abandon(current)
        raise


def _commit(current, paths: IndexPaths) -> None:
    """Commit to Whoosh, then bring the accelerator up to it: a search sees the commit."""
    current.commit(mergetype=merge_policy)
    checkpoint("whoosh")
    update_accelerator(paths)
    checkpoint("commit")


def checkpoint(name: str) -> None:
    """A point where the crash tests end this run: with ``UNRES_CRASH=KILL:commit:2`` the
    process SIGKILLs itself at its second ``commit`` checkpoint; with ``INT:file:30`` the
    process group gets SIGINT, as from Ctrl-C on a terminal, at the 30th file handed to
    the writer. Unset (always, outside tests) this only counts."""
    _checkpoints[name] = _checkpoints.get(name, 0) + 1
    wanted = os.environ.get(CRASH_ENV, "").split(":")
    if len(wanted) == 3 and wanted[1] == name and wanted[2] == str(_checkpoints[name]):
        if wanted[0] == "KILL":
            os.kill(os.getpid(), signal.SIGKILL)
        else:
            os.killpg(os.getpgrp(), signal.SIGINT)


def _write(index_writer, parsed: _Parsed, replacing: bool, report: IndexReport) -> None:
    resolution = parsed.resolution
    assert resolution is not None, "only parsed resolutions are written"
    if replacing:
        index_writer.delete_by_term("symbol", resolution.symbol)
        report.replaced += 1
    else:
        report.added += 1
    add_resolution(index_writer, resolution, parsed.path, parsed.digest)
    report.paragraphs += len(resolution.paragraphs)


def _parse_one(path: Path, known: set[str]) -> _Parsed:
    try:
        data = path.read_bytes()
    except OSError as error:
        return _Parsed(str(path), "", problem=f"cannot read the file ({error.strerror or error})")
    digest = file_hash(data)
    if digest in known:
        return _Parsed(str(path), digest)
    try:
        return _Parsed(str(path), digest, resolution=parse_bytes(data, source=str(path)))
    except ParseError as error:
        return _Parsed(str(path), digest, problem=error.problem)


def update_accelerator(paths: IndexPaths) -> None:
    """Bring the accelerator up to the Whoosh index's last commit (:mod:`search.catalog`):
    a segment for each Whoosh segment without one, built from its stored fields; the
    deletion sets of all; then the manifest, atomically; then the segments no longer named."""
    from whoosh.reading import SegmentReader

    ix = open_for_writing(paths)
    generation = ix.latest_generation()
    published = read_manifest(paths.accel)
    if published is not None and published["generation"] == generation:
        if all((paths.accel / e["name"] / MANIFEST).is_file() for e in published["segments"]):
            return  # up to date (a segment folder lost by hand is rebuilt below)
    paths.accel.mkdir(exist_ok=True)
    entries = []
    for segment in ix._segments():  # Whoosh's segments in document-number order
        name = segment.segment_id()
        folder = paths.accel / name
        if not (folder / MANIFEST).is_file():  # folders are written whole (write_directory)
            reader = SegmentReader(ix.storage, ix.schema, segment)
            try:
                stored = map(reader.stored_fields, range(segment.doc_count_all()))
                Segment.build(Entry(s["record"], s["words"]) for s in stored).save(folder)
            finally:
                reader.close()
            checkpoint("segment")
        entries.append({"name": name, "deleted": sorted(segment.deleted_docs())})
    write_manifest(paths.accel, generation, entries)
    named = {entry["name"] for entry in entries} | {MANIFEST}
    for child in paths.accel.iterdir():
        if child.name not in named and not child.name.startswith("."):
            shutil.rmtree(child) if child.is_dir() else child.unlink()


def _indexed_sources(paths: IndexPaths) -> dict[str, str]:
    """The file each indexed resolution was read from, by symbol (from the accelerator)."""
    if read_manifest(paths.accel) is None:
        return {}
    facts = Catalog.load(paths.accel).resolution_facts
    return {fact["symbol"]: fact["source"] for fact in facts if fact.get("source")}


def remove_samples(index_dir: Path) -> list[tuple[str, int]]:
    """Remove the bundled sample resolutions that were indexed from the bundled files (a copy
    of one indexed from a file of your own stays): their symbols and paragraph counts."""
    paths = IndexPaths(Path(index_dir))
    samples = {path.resolve() for path in bundled_corpus()}
    symbols = [
        symbol
        for symbol, source in _indexed_sources(paths).items()
        if Path(source).resolve() in samples
    ]
    return remove_resolutions(symbols, index_dir) if symbols else []


def remove_resolutions(numbers: Iterable[str], index_dir: Path) -> list[tuple[str, int]]:
    """Remove resolutions (``68/46`` or ``A/RES/68/46``) from the index: their symbols and
    paragraph counts. NotInIndex, and nothing removed, if one of them is not indexed."""
    paths = IndexPaths(Path(index_dir))
    with exclusive(paths):
        update_accelerator(paths)
        catalog = Catalog.load(paths.accel)
        removed = []
        for number in numbers:
            docs = catalog.resolution_docs(canonical_number(number.strip().upper()) or "")
            if not len(docs):
                raise NotInIndex(f"resolution {number!r} is not in the index in {paths.root}")
            removed.append((next(catalog.records(docs[:1]))["symbol"], len(docs)))
        current = writer(open_for_writing(paths))
        try:
            for symbol, _ in removed:
                current.delete_by_term("symbol", symbol)
            current.commit(mergetype=merge_policy)
        except BaseException:
            abandon(current)
            raise
        update_accelerator(paths)
    return removed
