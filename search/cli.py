"""The ``unres`` command line: a thin layer over the library.

Only this module imports click. Library errors are turned into one line, ``Error: …``, and exit
status 2; nothing else escapes as a traceback. Heavy modules (the engine, whoosh, jieba, numpy)
are imported inside the commands that need them, so ``unres --help`` starts at once.
"""

from __future__ import annotations

import csv
import json
import os
import sys
import unicodedata
from pathlib import Path

import click

from . import __version__
from .errors import IndexNotFound, UnresError
from .model import PARAGRAPH_TYPES, Resolution

EXIT_NO_HITS = 1
SNIPPET_CHARS = 120
CSV_FIELDS = (
    "id",
    "symbol",
    "resolution",
    "session",
    "date",
    "type",
    "number",
    "item",
    "lead",
    "verb",
    "title",
    "text",
    "score",
)

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
    from .parser import parse_file

    try:
        resolution = parse_file(file)
    except UnresError as error:
        raise UserError(str(error)) from error
    if as_json:
        print_json(resolution.to_dict())
    else:
        _print_resolution(resolution)


def _print_resolution(resolution: Resolution) -> None:
    facts = [
        ("symbol", resolution.symbol),
        ("session", resolution.session),
        ("title", resolution.title),
        ("date", resolution.date),
        ("meeting", resolution.meeting),
        ("committee", resolution.committee),
        ("report", resolution.report),
        ("agenda item", resolution.agenda_item),
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


INDEX_OPTION = click.option(
    "--index",
    "index_dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="UNRES_INDEX",
    show_envvar=True,
    help="Index folder (default: $XDG_DATA_HOME/unres/index, i.e. ~/.local/share/unres/index).",
)


def filter_options(command):
    """The filters shared by search and export."""
    options = [
        click.option(
            "--session",
            "sessions",
            multiple=True,
            metavar="N|A-B",
            help="Session number or range, e.g. 68 or 67-70; repeatable.",
        ),
        click.option(
            "--resolution",
            "resolutions",
            multiple=True,
            metavar="68/46",
            help="Resolution number or symbol; repeatable.",
        ),
        click.option(
            "--type",
            "types",
            multiple=True,
            type=click.Choice(PARAGRAPH_TYPES),
            help="Paragraph type; repeatable.",
        ),
        click.option(
            "--verb",
            "verbs",
            multiple=True,
            help="Clause verb, e.g. 决定 (又决定 and 还决定 included); repeatable.",
        ),
        click.option(
            "--cites",
            multiple=True,
            metavar="67/56",
            help="Paragraphs citing this resolution; repeatable.",
        ),
        click.option(
            "--from", "date_from", metavar="DATE", help="Adopted on or after (YYYY[-MM[-DD]])."
        ),
        click.option(
            "--to", "date_to", metavar="DATE", help="Adopted on or before (YYYY[-MM[-DD]])."
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _filters(sessions, resolutions, types, verbs, cites, date_from, date_to):
    from .engine import Filters, parse_session

    return Filters(
        sessions=[parse_session(s) for s in sessions],
        resolutions=list(resolutions),
        types=list(types),
        verbs=list(verbs),
        cites=list(cites),
        date_from=date_from,
        date_to=date_to,
    )


class _LibraryErrors:
    """Turns the library's own exceptions into one-line user errors."""

    def __enter__(self):
        return self

    def __exit__(self, kind, error, traceback):
        if isinstance(error, UnresError):
            raise UserError(str(error)) from error
        if isinstance(error, BrokenPipeError):
            return False  # unres export | head: click exits quietly
        if isinstance(error, OSError):
            where = f"{error.filename}: " if error.filename else ""
            raise UserError(f"{where}{error.strerror or error}") from error
        return False


def _open_engine(index_dir: Path | None):
    """The engine on ``index_dir``; a missing index is first built from the bundled corpus."""
    from .engine import Engine
    from .store import default_index_dir

    index_dir = index_dir or default_index_dir()
    try:
        return Engine.open(index_dir)
    except IndexNotFound:
        from .indexer import bundled_corpus, index_paths

        corpus = bundled_corpus()
        click.echo(
            f"No index in {index_dir} yet: indexing the {len(corpus)} bundled "
            "resolutions first (unres index adds your own).",
            err=True,
        )
        report = index_paths(corpus, index_dir)
        _echo_report(report, err=True)
    return Engine.open(index_dir)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@INDEX_OPTION
def index(paths: tuple[Path, ...], index_dir: Path | None) -> None:
    """Index resolution files and folders (default: the bundled corpus).

    Re-indexing a changed file replaces its resolution; unchanged files are skipped. Bad
    files are named and skipped; the exit status is then 2.

    \b
    Example:
        unres index ~/resolutions/ --index ~/unres-index
    """
    from .indexer import bundled_corpus, index_paths
    from .store import default_index_dir

    index_dir = index_dir or default_index_dir()
    targets = list(paths) or bundled_corpus()
    with _LibraryErrors():
        if sys.stderr.isatty():
            with click.progressbar(length=1, label="Indexing", file=sys.stderr) as bar:

                def progress(done: int, total: int) -> None:
                    bar.length = total
                    bar.update(done - bar.pos)

                report = index_paths(targets, index_dir, progress=progress)
        else:
            report = index_paths(targets, index_dir)
    _echo_report(report, err=False)
    click.echo(f"Index: {index_dir}")
    if report.failed:
        sys.exit(EXIT_USAGE)


def _echo_report(report, err: bool) -> None:
    click.echo(
        f"{report.added + report.replaced} resolutions indexed ({report.added} new, "
        f"{report.replaced} replaced, {report.paragraphs} paragraphs), {report.skipped} "
        f"unchanged, {len(report.failed)} failed",
        err=err,
    )
    for path, problem in report.failed:
        click.echo(f"Error: {path}: {problem}", err=True)


@cli.command(context_settings={"ignore_unknown_options": True})
@click.argument("words", nargs=-1, metavar="[QUERY]...")
@filter_options
@click.option(
    "--limit", default=10, show_default=True, type=click.IntRange(1, 10000), help="Hits per page."
)
@click.option("--page", default=1, show_default=True, type=click.IntRange(1), help="Page number.")
@click.option(
    "--sort",
    type=click.Choice(("relevance", "date", "-date")),
    default="relevance",
    show_default=True,
    help="Best first, oldest first, or newest first.",
)
@click.option("--full", is_flag=True, help="Print whole paragraphs, not snippets.")
@click.option("--json", "as_json", is_flag=True, help='One JSON object {"query", "total", "hits"}.')
@click.option("--csv", "as_csv", is_flag=True, help="CSV with a header row.")
@INDEX_OPTION
def search(
    words,
    sessions,
    resolutions,
    types,
    verbs,
    cites,
    date_from,
    date_to,
    limit,
    page,
    sort,
    full,
    as_json,
    as_csv,
    index_dir,
) -> None:
    """Search paragraphs; exit status 1 when nothing matches.

    QUERY: words (AND), "quoted phrases", OR, NOT or -word, (groups), and filters such as
    session:68 verb:决定. The query may be left out when a filter is given.

    \b
    Examples:
        unres search 多边主义
        unres search 核裁军 --session 67-70 --type operative
        unres search --verb 决定 --resolution 68/46
    """
    query = _query_of(words)
    with _LibraryErrors():
        filters = _filters(sessions, resolutions, types, verbs, cites, date_from, date_to)
        engine = _open_engine(index_dir)
        result = engine.search(query, filters, limit=limit, offset=(page - 1) * limit, sort=sort)
    if as_json:
        print_json(
            {
                "query": result.query,
                "total": result.total,
                "hits": [hit.to_dict() for hit in result.hits],
            }
        )
    elif as_csv:
        _print_csv(hit.to_dict() for hit in result.hits)
    else:
        _print_hits(result, page, limit, full)
    if not result.total:
        sys.exit(EXIT_NO_HITS)


def _query_of(words: tuple[str, ...]) -> str | None:
    """Unquoted words are one query (unres search 裁军 -核); a mistyped --option is not."""
    for word in words:
        if word.startswith("--"):
            raise click.UsageError(
                f"no such option: {word} (to search for it, quote it: '\"{word}\"')"
            )
    return " ".join(words) or None


def _print_hits(result, page: int, limit: int, full: bool) -> None:
    first = (page - 1) * limit + 1
    shown = f"{first}-{first + len(result.hits) - 1}" if result.hits else "none"
    what = f" for {result.query}" if result.query else ""
    noun = "paragraph" if result.total == 1 else "paragraphs"
    click.echo(f"{result.total} {noun}{what} (showing {shown})")
    color = _use_color()
    for hit in result.hits:
        number = "" if hit.number is None else f" {hit.number}{f'({hit.item})' if hit.item else ''}"
        verb = f"  {hit.verb}" if hit.verb else ""
        click.echo()
        click.echo(
            click.style(
                f"{hit.symbol}  第{hit.session}届  {hit.date or '-'}  {hit.type}{number}{verb}",
                bold=True,
            )
            if color
            else f"{hit.symbol}  第{hit.session}届  {hit.date or '-'}  {hit.type}{number}{verb}"
        )
        click.echo("  " + _snippet(hit.text, hit.highlights, color, full))


def _use_color() -> bool:
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def _snippet(text: str, spans: list[tuple[int, int]], color: bool, full: bool) -> str:
    """The paragraph around its first match, matched characters marked."""
    start, end = 0, len(text)
    if not full and len(text) > SNIPPET_CHARS:
        centre = spans[0][0] if spans else 0
        start = max(0, min(centre - SNIPPET_CHARS // 3, len(text) - SNIPPET_CHARS))
        end = start + SNIPPET_CHARS
    pieces, cursor = [], start
    for span_start, span_end in spans:
        if span_end <= start or span_start >= end:
            continue
        span_start, span_end = max(span_start, start), min(span_end, end)
        pieces.append(text[cursor:span_start])
        marked = text[span_start:span_end]
        pieces.append(click.style(marked, fg="red", bold=True) if color else f"【{marked}】")
        cursor = span_end
    pieces.append(text[cursor:end])
    return ("…" if start else "") + "".join(pieces) + ("…" if end < len(text) else "")


def _print_csv(rows) -> None:
    out = csv.DictWriter(
        sys.stdout, fieldnames=CSV_FIELDS, extrasaction="ignore", lineterminator="\n"
    )
    out.writeheader()
    for row in rows:
        out.writerow(row)


@cli.command(context_settings={"ignore_unknown_options": True})
@click.argument("words", nargs=-1, metavar="[QUERY]...")
@filter_options
@click.option("--csv", "as_csv", is_flag=True, help="CSV with a header row instead of JSON Lines.")
@INDEX_OPTION
def export(
    words, sessions, resolutions, types, verbs, cites, date_from, date_to, as_csv, index_dir
) -> None:
    """Export paragraphs (all, or those matching) as JSON Lines.

    Oldest resolution first, each in document order; --csv for CSV.

    \b
    Example:
        unres export --session 68 > session68.jsonl
    """
    query = _query_of(words)
    with _LibraryErrors():
        filters = _filters(sessions, resolutions, types, verbs, cites, date_from, date_to)
        records = _open_engine(index_dir).export(query, filters)
        if as_csv:
            _print_csv(records)
        else:
            for record in records:
                click.echo(json.dumps(record, ensure_ascii=False))


@cli.command()
@click.argument("resolution")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@INDEX_OPTION
def show(resolution: str, as_json: bool, index_dir: Path | None) -> None:
    """Show one indexed resolution as a reader wants it.

    \b
    Example:
        unres show 68/46
    """
    with _LibraryErrors():
        records = _open_engine(index_dir).resolution(resolution)
    resolution_data = _resolution_from_records(records)
    if as_json:
        print_json(resolution_data.to_dict())
    else:
        _print_resolution(resolution_data)


def _resolution_from_records(records: list[dict]) -> Resolution:
    first = records[0]
    paragraph_fields = ("type", "text", "number", "item", "lead", "verb", "footnotes", "cites")
    fields = {
        name: first.get(name) for name in Resolution.__dataclass_fields__ if name != "paragraphs"
    }
    fields["number"] = first["resolution"]  # a record's "number" is its paragraph's
    fields["paragraphs"] = [
        {name: record.get(name) for name in paragraph_fields}
        for record in sorted(records, key=lambda r: r["position"])
    ]
    return Resolution.from_dict(fields)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@INDEX_OPTION
def stats(as_json: bool, index_dir: Path | None) -> None:
    """Count resolutions, paragraphs by type and session, and verbs.

    \b
    Example:
        unres stats --json
    """
    with _LibraryErrors():
        figures = _open_engine(index_dir).stats()
    if as_json:
        print_json(figures)
        return
    click.echo(f"resolutions  {figures['resolutions']}")
    click.echo(f"paragraphs   {figures['paragraphs']}")
    for title, key in (
        ("by type", "by_type"),
        ("by session", "by_session"),
        ("commonest verbs", "verbs"),
    ):
        click.echo(f"\n{title}:")
        for name, count in figures[key].items():
            click.echo(f"  {_ljust(str(name), 14)}{count}")


def _ljust(text: str, columns: int) -> str:
    """``text`` padded to ``columns`` terminal columns (a Chinese character takes two)."""
    width = sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)
    return text + " " * max(columns - width, 1)


def main() -> None:
    """Entry point of the ``unres`` console script."""
    try:
        status = cli.main(prog_name="unres", standalone_mode=False)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except (KeyboardInterrupt, click.Abort):
        click.echo(
            "Error: interrupted; an index keeps what it last committed, run the "
            "command again to finish",
            err=True,
        )
        sys.exit(130)
    sys.exit(status if isinstance(status, int) else 0)


@cli.command()
@click.argument("numbers", nargs=-1, required=True, metavar="NUMBER...")
@INDEX_OPTION
def remove(numbers: tuple[str, ...], index_dir: Path | None) -> None:
    """Remove resolutions, given by number (68/46), from the index.

    Nothing is removed if one of them is not in the index.

    \b
    Example:
        unres remove 68/46 75/47
    """
    from .indexer import remove_resolutions
    from .store import default_index_dir

    with _LibraryErrors():
        removed = remove_resolutions(numbers, index_dir or default_index_dir())
    for symbol, paragraphs in removed:
        click.echo(f"removed {symbol} ({paragraphs} paragraphs)")
