"""The README stays true: every command is documented and CI runs the README's set-up."""

import re

from conftest import REPO

from search.cli import cli

README = (REPO / "README.md").read_text(encoding="utf-8")
SETUP_BLOCK = re.compile(r"## Set-up.*?```sh\n(.*?)```", re.DOTALL)


def setup_commands():
    return [line for line in SETUP_BLOCK.search(README).group(1).splitlines() if line.strip()]


def test_every_command_is_in_the_readme():
    missing = [name for name in cli.commands if f"unres {name}" not in README]
    assert missing == []


def test_readme_has_exactly_two_setup_commands():
    commands = setup_commands()
    assert len(commands) == 2
    assert "unres search" in commands[0] and "pytest" in commands[1]


def test_ci_runs_the_readme_setup_commands_word_for_word():
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    for command in setup_commands():
        assert command in ci
