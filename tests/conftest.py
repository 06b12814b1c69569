"""Shared fixtures: the bundled corpus is the test corpus."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from search.cli import cli

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "index_data"
GOLDEN = Path(__file__).resolve().parent / "golden"


@pytest.fixture(scope="session")
def corpus_files() -> list[Path]:
    files = sorted(CORPUS.glob("*.txt"))
    assert len(files) == 5, "the bundled corpus has five resolutions"
    return files


class Runner(CliRunner):
    """A CliRunner whose program is called ``unres``, as the console script is."""

    def invoke(self, *args, **kwargs):
        kwargs.setdefault("prog_name", "unres")
        return super().invoke(*args, **kwargs)


@pytest.fixture(scope="module")
def runner():
    # No UNRES_INDEX or NO_COLOR from the developer's shell leaks into the tests.
    return Runner(env={"UNRES_INDEX": None, "NO_COLOR": None})


@pytest.fixture(scope="module")
def built(runner, tmp_path_factory):
    """``unres index index_data --index DIR`` run once, from the repository; (dir, result)."""
    index_dir = tmp_path_factory.mktemp("cli") / "index"
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(REPO)
        result = runner.invoke(cli, ["index", "index_data", "--index", str(index_dir)])
    return index_dir, result


@pytest.fixture(scope="module")
def unres(runner, built):
    """Run ``unres ARGS --index DIR`` on the module's index."""
    index_dir, _ = built

    def run(*args, env=None):
        return runner.invoke(cli, [*args, "--index", str(index_dir)], env=env)

    return run


def lines(text: str) -> list[str]:
    return text.splitlines()


def search_json(unres, *args) -> dict:
    result = unres("search", *args, "--json")
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def write_hostile_resolution(folder: Path) -> Path:
    """A resolution file (68/64 renumbered 76/666) whose paragraphs carry HTML and script, and
    which cites 68/46: what the web pages must show as text and link to."""
    text = (CORPUS / "001_c02938ddcf51bef6.txt").read_text(encoding="utf-8")
    for old, new in (
        ("68/64. 裁军谈判会议的报告", "76/666. 裁军谈判会议的报告"),
        (
            "审议了审议了审议了审议了裁军谈判会议的报告，",
            "审议了审议了审议了审议了<img src=x onerror=alert('para')>报告与 \"引号\" & 符号，"
            "回顾第 68/46 号决议，",
        ),
        (
            "深信深信深信深信裁军谈判会议作为",
            "深信深信深信深信<script>alert('x')</script>裁军谈判会议作为",
        ),
    ):
        assert old in text
        text = text.replace(old, new, 1)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "hostile.txt"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def web_index(tmp_path_factory) -> Path:
    """An index of the bundled corpus and the hostile resolution, for the web tests."""
    from search.indexer import index_paths

    folder = tmp_path_factory.mktemp("web")
    report = index_paths([CORPUS, write_hostile_resolution(folder / "files")], folder / "index")
    assert report.failed == [] and report.added == 6
    return folder / "index"
