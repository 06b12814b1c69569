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

from search.engine import Engine, Filters
from search.index import IndexPaths
from search.indexer import index_paths
from search.parser import parse_file

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


def test_stale_accelerator_is_rebuilt(tmp_path):
    index_paths([CORPUS], tmp_path / "ix")
    shutil.rmtree(IndexPaths(tmp_path / "ix").accel)
    assert Engine.open(tmp_path / "ix").search("多边主义").total > 0
    assert IndexPaths(tmp_path / "ix").accel.is_dir()


@pytest.mark.skipif(sys.platform == "win32", reason="process groups and SIGKILL")
def test_kill_9_keeps_the_last_commit_and_the_rerun_completes(tmp_path):
    index_dir = tmp_path / "ix"
    index_paths([CORPUS], index_dir)
    committed = Engine.open(index_dir).stats()["paragraphs"]
    folder = renumbered_copies(tmp_path / "files", 240)
    command = [sys.executable, "-m", "search", "index", str(folder), "--index", str(index_dir)]
    run = subprocess.Popen(
        command, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    time.sleep(4)
    assert run.poll() is None, "indexing finished before it could be killed"
    os.killpg(run.pid, signal.SIGKILL)
    run.wait()

    engine = Engine.open(index_dir)
    assert engine.stats()["paragraphs"] == committed
    assert engine.search("多边主义", Filters(resolutions=["75/47"])).total > 0

    finished = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert finished.returncode == 0, finished.stderr
    expected = committed + sum(len(parse_file(path).paragraphs) for path in folder.iterdir())
    ids = all_ids(index_dir)
    assert len(ids) == len(set(ids)) == expected
