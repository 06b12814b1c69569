"""The ``unres`` command line: a thin layer over the library.

Only this module imports click. Library errors are turned into one line, ``Error: …``, and exit
status 2; nothing else escapes as a traceback. Heavy modules (the engine, whoosh, jieba, numpy)
are imported inside the commands that need them, so ``unres --help`` starts at once.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import __version__
from .model import Resolution
from .parser import ParseError, parse_file

EXIT_USAGE = 2


class UserError(click.ClickException):
    """A one-line error for the user; exit status 2 like click's own usage errors."""

    exit_code = EXIT_USAGE

    def show(self, file=None) -> None:
        click.echo(f"Error: {self.message}", err=True)


def print_json(data) -> None:
    """JSON on stdout, Chinese as itself, never \\u-escaped."""
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="unres")
def cli() -> None:
    """unres: full-text search for the Chinese text of UN General Assembly resolutions.

    \b
    Example:
        unres search 多边主义 --session 68
    """


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def parse(file: Path, as_json: bool) -> None:
    """Show what the parser understands of one resolution file.

    \b
    Example:
        unres parse index_data/000_00f2a18be826c79a.txt --json
    """
    try:
        resolution = parse_file(file)
    except ParseError as error:
        raise UserError(str(error)) from error
    if as_json:
        print_json(resolution.to_dict())
    else:
        _print_resolution(resolution)


def _print_resolution(resolution: Resolution) -> None:
    facts = [
        ("symbol", resolution.symbol), ("session", resolution.session),
        ("title", resolution.title), ("date", resolution.date),
        ("meeting", resolution.meeting), ("committee", resolution.committee),
        ("report", resolution.report), ("agenda item", resolution.agenda_item),
    ]
    for label, value in facts:
        click.echo(f"{label + ':':<13}{value if value is not None else '-'}")
    click.echo()
    for paragraph in resolution.paragraphs:
        number = "" if paragraph.number is None else str(paragraph.number)
        if paragraph.item:
            number += f"({paragraph.item})"
        header = f"[{paragraph.type} {number}".rstrip() + "]"
        if paragraph.verb:
            header += f" verb={paragraph.verb}"
        if paragraph.cites:
            header += f" cites={','.join(paragraph.cites)}"
        click.echo(header)
        click.echo(f"  {paragraph.text}")


def main() -> None:
    """Entry point of the ``unres`` console script."""
    try:
        cli(prog_name="unres")
    except KeyboardInterrupt:
        click.echo("Error: interrupted", err=True)
        sys.exit(130)
