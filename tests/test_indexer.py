"""Indexing as users run it: twice, with changed and bad files, and killed half-way."""

import os
import re
import shutil
import signal
import subprocess
import sys
import time

import pytest
from conftest import CORPUS

from search.catalog import CatalogError
from search.engine import Engine, Filters, QueryError
from search.errors import IndexOfAnotherVersion, NotInIndex
from search.indexer import index_paths, remove_resolutions
from search.parser import parse_file
from search.store import IndexPaths

TITLE_NUMBER = re.compile(r"(?m)^(\s*(?:## )?)\d{1,3}/\d{1,3}\.")


def corpus_paragraph_count():
    return sum(len(parse_file(path).paragraphs) for path in CORPUS.glob("*.txt"))


def all_ids(index_dir):
    return [record["id"] for record in Engine.open(index_dir).export()]


def renumbered_copies(folder, count):
    """``count`` resolution files made from the corpus, each under its own number."""
    folder.mkdir()
    sources = sorted(CORPUS.glob("*.txt"))
    for i in range(count):
        text = sources[i % len(sources)].read_text(encoding="utf-8")
        number = f"{1 + i // 500}/{i % 500 + 1}."
        (folder / f"copy{i:04d}.txt").write_text(
            TITLE_NUMBER.sub(lambda m: m.group(1) + number, text, count=1), encoding="utf-8"
        )
    return folder


def test_indexing_twice_changes_nothing(tmp_path):
    first = index_paths([CORPUS], tmp_path / "ix")
    second = index_paths([CORPUS], tmp_path / "ix")
    assert (first.added, first.paragraphs) == (5, corpus_paragraph_count())
    assert (second.added, second.replaced, second.skipped) == (0, 0, 5)
    ids = all_ids(tmp_path / "ix")
    assert len(ids) == len(set(ids)) == corpus_paragraph_count()


def test_changed_file_replaces_its_resolution(tmp_path):
    folder = tmp_path / "files"
    shutil.copytree(CORPUS, folder)
    index_paths([folder], tmp_path / "ix")
    target = folder / "000_00f2a18be826c79a.txt"
    target.write_text(
        target.read_text(encoding="utf-8").replace(
            "欣见欣见欣见欣见会员国", "欣见欣见欣见欣见全体会员国"
        ),
        encoding="utf-8",
    )
    report = index_paths([folder], tmp_path / "ix")
    assert (report.added, report.replaced, report.skipped) == (0, 1, 4)
    engine = Engine.open(tmp_path / "ix")
    assert engine.search("欣见全体会员国").total == 1
    assert engine.search("欣见会员国").total == 0
    ids = all_ids(tmp_path / "ix")
    assert len(ids) == len(set(ids)) == corpus_paragraph_count()


def test_bad_files_are_named_and_skipped_and_the_rest_indexed(tmp_path):
    index_paths([CORPUS], tmp_path / "ix")
    before = Engine.open(tmp_path / "ix").search("多边主义").total
    folder = renumbered_copies(tmp_path / "files", 3)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "image.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "notes.md").write_text("# Notes\n\nnot a resolution\n", encoding="utf-8")
    # A text cut short is indexed as far as it goes, with a warning naming what is missing.
    truncated = (CORPUS / "000_00f2a18be826c79a.txt").read_text(encoding="utf-8")[:900]
    truncated = truncated.replace("68/46.", "68/99.")
    (folder / "truncated.txt").write_text(truncated, encoding="utf-8")
    report = index_paths([folder, tmp_path / "missing"], tmp_path / "ix")
    failed = {os.path.basename(path): problem for path, problem in report.failed}
    assert set(failed) == {"empty.txt", "image.txt", "notes.md", "missing"}
    assert "empty" in failed["empty.txt"] and "binary" in failed["image.txt"]
    assert "not a resolution" in failed["notes.md"]
    assert report.added == 4
    warned = {os.path.basename(path) for path, _ in report.warnings}
    assert warned == {"truncated.txt"}
    assert any("no adoption date" in warning for _, warning in report.warnings)
    engine = Engine.open(tmp_path / "ix")
    assert engine.search("多边主义").total > before
    assert engine.stats()["resolutions"] == 9
    assert engine.resolution("68/99")[0]["date"] is None


def test_same_resolution_twice_in_one_run_keeps_one(tmp_path):
    folder = tmp_path / "files"
    folder.mkdir()
    source = CORPUS / "000_00f2a18be826c79a.txt"
    shutil.copy(source, folder / "a.txt")
    (folder / "b.txt").write_bytes(source.read_bytes() + b"\n")
    report = index_paths([folder], tmp_path / "ix")
    assert report.added == 1 and len(report.failed) == 1
    assert "A/RES/68/46" in report.failed[0][1]


def accel_segments(index_dir):
    """The accelerator's segment folders and when each was written."""
    return {
        p.name: p.stat().st_mtime_ns
        for p in IndexPaths(index_dir).accel.iterdir()
        if p.is_dir() and not p.name.startswith(".")
    }


def test_adding_files_builds_segments_for_the_new_paragraphs_only(tmp_path):
    index_paths([CORPUS], tmp_path / "ix")
    before = accel_segments(tmp_path / "ix")
    report = index_paths([renumbered_copies(tmp_path / "files", 3)], tmp_path / "ix")
    assert report.added == 3
    after = accel_segments(tmp_path / "ix")
    assert set(before) < set(after) and all(after[name] == before[name] for name in before)
    engine = Engine.open(tmp_path / "ix")
    assert engine.stats()["resolutions"] == 8
    ids = all_ids(tmp_path / "ix")
    assert len(ids) == len(set(ids))


def test_removed_resolutions_are_gone_and_can_be_indexed_again(tmp_path):
    index_paths([CORPUS], tmp_path / "ix")
    engine = Engine.open(tmp_path / "ix")
    count = len(engine.resolution("68/46"))
    total = engine.stats()["paragraphs"]
    assert remove_resolutions(["A/RES/68/46"], tmp_path / "ix") == [("A/RES/68/46", count)]
    engine = Engine.open(tmp_path / "ix")
    assert engine.stats()["paragraphs"] == total - count
    assert engine.search("裁军", Filters(resolutions=["68/46"])).total == 0
    assert not [r for r in engine.export() if r["symbol"] == "A/RES/68/46"]
    with pytest.raises(QueryError):
        engine.resolution("68/46")
    with pytest.raises(NotInIndex, match="68/46"):
        remove_resolutions(["68/64", "68/46"], tmp_path / "ix")
    assert Engine.open(tmp_path / "ix").stats()["paragraphs"] == total - count  # 68/64 kept
    report = index_paths([CORPUS], tmp_path / "ix")  # the file counts as new again
    assert (report.added, report.skipped) == (1, 4)
    ids = all_ids(tmp_path / "ix")
    assert len(ids) == len(set(ids)) == total


def test_a_lost_accelerator_is_an_error_until_unres_index_rebuilds_it(tmp_path):
    index_paths([CORPUS], tmp_path / "ix")
    shutil.rmtree(IndexPaths(tmp_path / "ix").accel)
    with pytest.raises(CatalogError, match="run 'unres index'"):
        Engine.open(tmp_path / "ix")
    assert not IndexPaths(tmp_path / "ix").accel.exists()  # searching never writes
    report = index_paths([CORPUS], tmp_path / "ix")
    assert report.skipped == 5
    assert Engine.open(tmp_path / "ix").search("多边主义").total > 0
    lost = sorted(accel_segments(tmp_path / "ix"))[0]
    shutil.rmtree(IndexPaths(tmp_path / "ix").accel / lost)  # one segment only
    with pytest.raises(CatalogError, match="run 'unres index'"):
        Engine.open(tmp_path / "ix")
    index_paths([], tmp_path / "ix")
    assert Engine.open(tmp_path / "ix").stats()["paragraphs"] == corpus_paragraph_count()


# Crash safety. A run of 24 files on two sub-writers, committing every 8 resolutions, is
# ended at a checkpoint (search.indexer.checkpoint): SIGKILL of the indexing process alone, as
# kill -9 does, or SIGINT to its process group, as Ctrl-C on a terminal does.
CRASH_FILES = 24
COMMIT_EVERY = 8
RUN = (
    "import sys; from pathlib import Path; from search.indexer import index_paths; "
    f"index_paths([Path(sys.argv[1])], Path(sys.argv[2]), commit_every={COMMIT_EVERY}, procs=2)"
)


@pytest.fixture(scope="module")
def crash_files(tmp_path_factory):
    folder = renumbered_copies(tmp_path_factory.mktemp("crash") / "files", CRASH_FILES)
    counts = [len(parse_file(path).paragraphs) for path in sorted(folder.iterdir())]
    return folder, counts


@pytest.fixture(scope="module")
def bundled_index(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bundled") / "ix"
    index_paths([CORPUS], folder)
    return folder


def run_until_crash(command, crash, index_dir, base):
    """Run ``command`` on a copy of ``base`` until ``crash``; its status and stderr."""
    shutil.copytree(base, index_dir)
    errors = index_dir.parent / "stderr"
    with open(errors, "w") as stream:  # not a pipe: a surviving sub-writer would hold it
        run = subprocess.Popen(
            command,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=stream,
            env={**os.environ, "UNRES_CRASH": crash},
        )
        status = run.wait(timeout=120)
    assert_group_ended(run.pid)
    return status, errors.read_text()


def assert_group_ended(group):
    """Every process of the run, sub-writers included, ends at once with the run."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    os.killpg(group, signal.SIGKILL)
    raise AssertionError("a sub-writer outlived the indexing run")


def assert_finishes_with_every_paragraph_once(folder, index_dir, expected):
    index_paths([folder], index_dir)  # the rerun: here, where jieba is loaded already
    ids = all_ids(index_dir)
    assert len(ids) == len(set(ids)) == expected
    leftovers = [p.name for p in index_dir.rglob("*") if ".tmp" in p.name or ".old-" in p.name]
    assert leftovers == []


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="process groups and SIGKILL")
@pytest.mark.parametrize(
    "point, committed_files",
    [
        ("file:13", 8),  # sub-writers busy with the second batch
        ("whoosh:1", 0),  # Whoosh committed, its accelerator not yet: the commit before
        ("segment:1", 0),  # one accelerator segment of the commit built, not published
        ("commit:1", 8),
        ("commit:3", 24),  # the last commit, before the run's end
    ],
)
def test_kill_9_keeps_the_last_commit_and_the_rerun_completes(
    tmp_path, crash_files, bundled_index, point, committed_files
):
    folder, counts = crash_files
    index_dir = tmp_path / "ix"
    command = [sys.executable, "-c", RUN, str(folder), str(index_dir)]
    status, _ = run_until_crash(command, f"KILL:{point}", index_dir, bundled_index)
    assert status == -signal.SIGKILL

    base = corpus_paragraph_count()
    engine = Engine.open(index_dir)
    assert engine.stats()["paragraphs"] == base + sum(counts[:committed_files])
    assert engine.search("多边主义", Filters(resolutions=["75/47"])).total > 0
    assert_finishes_with_every_paragraph_once(folder, index_dir, base + sum(counts))


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="process groups and SIGINT")
@pytest.mark.parametrize("point", ["file:1", "commit:1"])
def test_one_ctrl_c_ends_the_run_cleanly(tmp_path, crash_files, bundled_index, point):
    folder, counts = crash_files
    index_dir = tmp_path / "ix"
    command = [sys.executable, "-m", "search", "index", str(folder), "--index", str(index_dir)]
    status, stderr = run_until_crash(command, f"INT:{point}", index_dir, bundled_index)
    assert status == 130
    assert stderr.strip().splitlines() == [
        "Error: interrupted; an index keeps what it last committed, run the command again to finish"
    ]
    leftovers = [p.name for p in index_dir.rglob("*") if ".tmp" in p.name or ".old-" in p.name]
    assert leftovers == []
    assert_finishes_with_every_paragraph_once(
        folder, index_dir, corpus_paragraph_count() + sum(counts)
    )


def test_an_index_is_written_by_one_run_at_a_time(tmp_path):
    from search.index import IndexLocked, exclusive

    paths = IndexPaths(tmp_path / "ix")
    with exclusive(paths):
        holder = subprocess.run(
            [
                sys.executable,
                "-c",
                "import sys; from pathlib import Path; from search.indexer import index_paths; "
                "index_paths([], Path(sys.argv[1]))",
                str(paths.root),
            ],
            capture_output=True,
            text=True,
        )
        assert "IndexLocked" in holder.stderr and "another 'unres index'" in holder.stderr
    with exclusive(paths):  # released: taken again at once
        pass
    with pytest.raises(IndexLocked):
        with exclusive(paths), exclusive(IndexPaths(tmp_path / "ix")):
            pass


def test_unres_remove_says_what_it_removed_and_refuses_unknown_numbers(tmp_path):
    from click.testing import CliRunner

    from search.cli import cli

    index_paths([CORPUS], tmp_path / "ix")
    runner = CliRunner()
    result = runner.invoke(cli, ["remove", "68/46", "--index", str(tmp_path / "ix")])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("removed A/RES/68/46 (")
    result = runner.invoke(cli, ["remove", "68/46", "--index", str(tmp_path / "ix")])
    assert result.exit_code == 2
    assert result.output.strip() == (
        f"Error: resolution '68/46' is not in the index in {tmp_path / 'ix'}"
    )


def test_small_segments_merge_and_their_accelerator_follows(tmp_path):
    """One file per run: the merge policy merges the small segments in a later run, and
    the accelerator drops theirs for the merged one's."""
    from search.index import MERGE_FACTOR
    from search.store import open_whoosh

    folder = renumbered_copies(tmp_path / "files", MERGE_FACTOR + 1)
    for path in sorted(folder.iterdir()):
        index_paths([path], tmp_path / "ix")
    whoosh = {s.segment_id() for s in open_whoosh(IndexPaths(tmp_path / "ix"))._segments()}
    assert len(whoosh) < MERGE_FACTOR  # merged
    assert set(accel_segments(tmp_path / "ix")) == whoosh
    ids = all_ids(tmp_path / "ix")
    expected = sum(len(parse_file(path).paragraphs) for path in folder.iterdir())
    assert len(ids) == len(set(ids)) == expected


def test_an_index_of_another_version_is_refused_with_what_to_do(tmp_path):
    """An index whose Whoosh schema is not this version's (the old one had an ``id`` field and
    stored the text twice) is neither half-read nor written to."""
    from whoosh import fields

    paths = IndexPaths(tmp_path / "old")
    paths.whoosh.mkdir(parents=True)
    old = fields.Schema(id=fields.ID(stored=True, unique=True), text=fields.TEXT(stored=True))
    writer = store_index(paths, old).writer()
    writer.add_document(id="A/RES/68/46#op1", text="重申")
    writer.commit()
    before = sorted(os.listdir(paths.whoosh))
    message = "holds an index of another version of unres; move it away or delete it"
    with pytest.raises(IndexOfAnotherVersion, match=message):
        index_paths([CORPUS], paths.root)
    with pytest.raises(IndexOfAnotherVersion, match=message):
        remove_resolutions(["68/46"], paths.root)
    with pytest.raises(CatalogError, match="run 'unres index'"):
        Engine.open(paths.root)
    assert sorted(os.listdir(paths.whoosh)) == before


def store_index(paths: IndexPaths, schema):
    from search.store import whoosh_storage

    return whoosh_storage(paths).create_index(schema, indexname="MAIN")
