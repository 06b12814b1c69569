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
