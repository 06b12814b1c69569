"""The ``unres`` command line: a thin layer over the library.

Only this module imports click. Library errors are turned into one line, ``Error: …``, and exit
status 2; nothing else escapes as a traceback. Heavy modules (the engine, whoosh, jieba, numpy)
are imported inside the commands that need them, so ``unres --help`` starts at once.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import sys
import unicodedata
from pathlib import Path

import click

from . import __version__
from .concordance import DEFAULT_CONTEXT, concordance
from .errors import IndexNotFound, UnresError
from .formats import KWIC_FIELDS, csv_lines, jsonl_lines, search_object
from .model import PARAGRAPH_TYPES, Resolution

EXIT_NO_HITS = 1
SNIPPET_CHARS = 120
_OPTION_LIKE = re.compile(r"^-[A-Za-z][A-Za-z-]*$")  # -session, -n: not a Chinese word

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
    """unres: full-text search for the Chinese text of UN General Assembly and Security
    Council resolutions.

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
    for warning in resolution.warnings:
        click.echo(f"Warning: {file}: {warning}", err=True)
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
    if resolution.parts:  # 50/72 A, 50/72 B: each part with its own title
        parts = "; ".join(
            f"{part}. {title}".rstrip(". ") for part, title in resolution.parts.items()
        )
        facts.append(("parts", parts))
    for label, value in facts:
        click.echo(f"{label + ':':<13}{value if value not in (None, '') else '-'}")
    click.echo()
    for paragraph in resolution.paragraphs:
        number = "" if paragraph.number is None else str(paragraph.number)
        if paragraph.item:
            number += f"({paragraph.item})"
        header = f"[{paragraph.type} {number}".rstrip() + "]"
        if paragraph.part:
            header = f"[{paragraph.part}: {header[1:]}"  # [B: operative 3]
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
            help="Resolution number or symbol; 50/72 takes every part, '50/72 B' one; repeatable.",
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
            help="Paragraphs citing this resolution, e.g. 67/56 or '2758 (XXVI)'; repeatable.",
        ),
        click.option(
            "--body",
            "bodies",
            multiple=True,
            type=click.Choice(["GA", "SC"], case_sensitive=False),
            help="GA (General Assembly) or SC (Security Council); repeatable.",
        ),
        click.option(
            "--from", "date_from", metavar="DATE", help="Adopted on or after (YYYY[-MM[-DD]])."
        ),
        click.option(
            "--to", "date_to", metavar="DATE", help="Adopted on or before (YYYY[-MM[-DD]])."
        ),
        click.option(
            "--report",
            "reports",
            multiple=True,
            metavar="A/68/411",
            help="Adopted on this committee report; repeatable.",
        ),
        click.option(
            "--committee",
            "committees",
            multiple=True,
            metavar="第一委员会",
            help="Adopted on the report of this Main Committee; repeatable.",
        ),
        click.option(
            "--agenda-item",
            "agenda_items",
            multiple=True,
            metavar="103(u)",
            help="Under this agenda item; repeatable.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _filters(sessions, **values):
    """Filters from the options of filter_options (repeatable ones arrive as tuples)."""
    from .engine import Filters, parse_session

    lists = {name: list(value) for name, value in values.items() if isinstance(value, tuple)}
    lists["bodies"] = [body.upper() for body in lists["bodies"]]
    return Filters(
        sessions=[parse_session(s) for s in sessions],
        **lists,
        date_from=values["date_from"],
        date_to=values["date_to"],
    )


class _LibraryErrors:
    """Turns the library's own exceptions into one-line user errors."""

    def __enter__(self):
        return self

    def __exit__(self, kind, error, traceback):
        if isinstance(error, UnresError):
            raise UserError(str(error)) from error
        if isinstance(error, BrokenPipeError):
            return False  # unres export | head: main() ends quietly
        if isinstance(error, OSError):
            where = f"{error.filename}: " if error.filename else ""
            raise UserError(f"{where}{error.strerror or error}") from error
        return False


def _open_engine(index_dir: Path | None):
    """The engine on ``index_dir``; a missing index is first built from the bundled corpus,
    unless the folder was named with --index: a typo there must not grow a new index."""
    from .engine import Engine
    from .store import default_index_dir

    named = click.get_current_context().get_parameter_source("index_dir")
    index_dir = index_dir or default_index_dir()
    try:
        return Engine.open(index_dir)
    except IndexNotFound:
        if named is click.core.ParameterSource.COMMANDLINE:
            raise UserError(
                f"no index in {index_dir}; run 'unres index --index {index_dir}' first"
            ) from None
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
@click.option(
    "--no-samples",
    is_flag=True,
    help="Leave out the five bundled sample resolutions (and remove them if indexed).",
)
@INDEX_OPTION
def index(paths: tuple[Path, ...], no_samples: bool, index_dir: Path | None) -> None:
    """Index resolution files and folders (default: the bundled corpus).

    Re-indexing a changed file replaces its resolution; unchanged files are skipped. Bad
    files are named and skipped; the exit status is then 2.

    \b
    Examples:
        unres index ~/resolutions/ --index ~/unres-index
        unres index ~/resolutions/ --no-samples
    """
    from .indexer import bundled_corpus, index_paths, remove_samples
    from .store import default_index_dir

    index_dir = index_dir or default_index_dir()
    targets = list(paths) or ([] if no_samples else bundled_corpus())
    with _LibraryErrors():
        if no_samples:
            for symbol, paragraphs in remove_samples(index_dir):
                click.echo(f"removed the sample {symbol} ({paragraphs} paragraphs)")
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
    indexed = report.added + report.replaced
    click.echo(
        f"{indexed} {_plural(indexed, 'resolution')} indexed ({report.added} new, "
        f"{report.replaced} replaced, {report.paragraphs} paragraphs), {report.skipped} "
        f"unchanged, {len(report.failed)} failed",
        err=err,
    )
    if report.ignored:
        kinds = ", ".join(
            f"{suffix or '(no suffix)'}: {count}"
            for suffix, count in sorted(report.ignored.items())
        )
        click.echo(f"Not resolution files, skipped: {kinds}", err=err)
    for path, warning in report.warnings:
        click.echo(f"Warning: {path}: {warning}", err=True)
    for path, symbol, before in report.moved:
        click.echo(f"Note: {path}: {symbol} replaces the one indexed from {before}", err=True)
    for path, problem in report.failed:
        click.echo(f"Error: {path}: {problem}", err=True)


@cli.command(context_settings={"ignore_unknown_options": True})
@click.argument("words", nargs=-1, metavar="[QUERY]...")
@filter_options
@click.option(
    "--limit", default=10, show_default=True, type=click.IntRange(1, 10000), help="Hits per page."
)
@click.option("--page", default=1, show_default=True, type=click.IntRange(1), help="Page number.")
@click.option("--all", "every", is_flag=True, help="Every match, not one page (for --csv/--json).")
@click.option(
    "--sort",
    type=click.Choice(("relevance", "date", "-date")),
    default="relevance",
    show_default=True,
    help="Best first, oldest first, or newest first.",
)
@click.option("--full", is_flag=True, help="Print whole paragraphs, not snippets.")
@click.option("--kwic", is_flag=True, help="Concordance: every match on a line of its own.")
@click.option(
    "--context",
    default=DEFAULT_CONTEXT,
    show_default=True,
    type=click.IntRange(1, 500),
    help="Characters on each side of a match with --kwic.",
)
@click.option("--json", "as_json", is_flag=True, help='One JSON object {"query", "total", "hits"}.')
@click.option("--csv", "as_csv", is_flag=True, help="CSV with a header row.")
@click.option("--no-bom", is_flag=True, help="CSV without the UTF-8 BOM that Excel needs.")
@INDEX_OPTION
def search(
    words,
    limit,
    page,
    every,
    sort,
    full,
    kwic,
    context,
    as_json,
    as_csv,
    no_bom,
    index_dir,
    **filter_values,
) -> None:
    """Search paragraphs; exit status 1 when nothing matches.

    QUERY: words (AND), "quoted phrases", OR, NOT or -word, (groups), and filters such as
    session:68 verb:决定. The query may be left out when a filter is given.

    \b
    Only ASCII characters are syntax: “”, （）, － and ： are searched as the
    text itself, since the resolutions are full of them. A query that finds
    nothing but reads as syntax typed full-width (or or/and in lower case) is
    answered with the ASCII query that finds something. Matching is exact and
    blind to traditional or simplified characters.

    \b
    Examples:
        unres search 多边主义
        unres search 核裁军 --session 67-70 --type operative
        unres search --verb 决定 --resolution 68/46
        unres search 多边主义 --kwic --context 15
    """
    query = _query_of(words, search)
    with _LibraryErrors():
        filters = _filters(**filter_values)
        engine = _open_engine(index_dir)
        if every:
            page, limit = 1, engine.catalog.count or 1
        result = engine.search(query, filters, limit=limit, offset=(page - 1) * limit, sort=sort)
        suggestion = None if result.total else engine.suggest(query, filters)
        named = engine.resolution_named(query)
    if as_json:
        data = search_object(result)
        if kwic:
            for hit, hit_data in zip(result.hits, data["hits"]):
                lines = concordance(hit.text, hit.highlights, context)
                hit_data["kwic"] = [line.to_dict() for line in lines]
        if suggestion:
            data["did_you_mean"] = suggestion.__dict__
        print_json(data)
    elif as_csv:
        rows = [hit.record for hit in result.hits]
        if kwic:
            rows = [
                {**hit.record, **line.to_dict()}
                for hit in result.hits
                for line in concordance(hit.text, hit.highlights, context)
            ]
        extra = KWIC_FIELDS if kwic else ()
        sys.stdout.writelines(csv_lines(rows, extra=extra, bom=not no_bom))
    else:
        click.echo(_result_header(result, filters, page, limit, suggestion))
        if named:
            click.echo(f"{query} is resolution {named}: unres show {named}")
        if kwic:
            _print_kwic(result.hits, context)
        else:
            _print_hits(result.hits, full)
    if not result.total:
        sys.exit(EXIT_NO_HITS)


def _query_of(words: tuple[str, ...], command: click.Command) -> str | None:
    """Unquoted words are one query (unres search 裁军 -核); a mistyped --option is not, and
    a word that looks like a mistyped option is searched with a warning."""
    options = sorted(
        name.lstrip("-") for param in command.params for name in param.opts if name.startswith("--")
    )
    for position, word in enumerate(words):
        if word.startswith("--"):
            raise click.UsageError(
                f"no such option: {word}{_did_you_mean(word[2:], options)} (to search for it, "
                f"quote it: '\"{word}\"')"
            )
        name = word[1:] if _OPTION_LIKE.match(word) else None
        if name is None and word in options and position + 1 < len(words):
            name = word
        if name is not None:
            what = f'excludes the word "{name}"' if word.startswith("-") else "is searched"
            if position + 1 < len(words) and not words[position + 1].startswith("-"):
                what += f' and "{words[position + 1]}" is searched'
            click.echo(
                f"Warning: {word} {what}{_did_you_mean(name, options)} (quote it to search "
                "for it as written)",
                err=True,
            )
    return " ".join(words) or None


def _did_you_mean(name: str, options: list[str]) -> str:
    close = difflib.get_close_matches(name, options, n=1, cutoff=0.6)
    return f"; did you mean --{close[0]}?" if close else "; it is not an option"


def _result_header(result, filters, page: int, limit: int, suggestion) -> str:
    first = (page - 1) * limit + 1
    shown = f"{first}-{first + len(result.hits) - 1}" if result.hits else "none"
    what = f" for {result.query}" if result.query else ""
    narrowed = filters.describe()
    where = f" with {', '.join(narrowed)}" if narrowed else ""
    header = f"{result.total} {_plural(result.total, 'paragraph')}{what}{where} (showing {shown})"
    if suggestion:
        header += (
            f"; did you mean {suggestion.query} ({' and '.join(suggestion.meanings)})? "
            f"{suggestion.total} {_plural(suggestion.total, 'paragraph')}"
        )
    return header


def _plural(count: int, noun: str) -> str:
    return noun if count == 1 else f"{noun}s"


def _hit_heading(hit) -> str:
    number = "" if hit.number is None else f" {hit.number}{f'({hit.item})' if hit.item else ''}"
    verb = f"  {hit.verb}" if hit.verb else ""
    return (
        f"{hit.symbol}  {_session_label(hit.session)}  {hit.date or '-'}  {hit.type}{number}{verb}"
    )


def _print_hits(hits, full: bool) -> None:
    color = _use_color()
    for hit in hits:
        click.echo()
        heading = _hit_heading(hit)
        click.echo(click.style(heading, bold=True) if color else heading)
        click.echo("  " + _snippet(hit.text, hit.highlights, color, full))


def _print_kwic(hits, context: int) -> None:
    """One match a line: the contexts padded so that the matches stand in one column."""
    color = _use_color()
    click.echo()
    for hit in hits:
        for line in concordance(hit.text, hit.highlights, context):
            match = click.style(line.match, fg="red", bold=True) if color else f"【{line.match}】"
            left = " " * max(2 * context - _width(line.left), 0) + line.left
            click.echo(f"{left}{match}{_ljust(line.right, 2 * context)} {hit.id}")


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


@cli.command(context_settings={"ignore_unknown_options": True})
@click.argument("words", nargs=-1, metavar="[QUERY]...")
@filter_options
@click.option("--csv", "as_csv", is_flag=True, help="CSV with a header row instead of JSON Lines.")
@click.option("--no-bom", is_flag=True, help="CSV without the UTF-8 BOM that Excel needs.")
@INDEX_OPTION
def export(words, as_csv, no_bom, index_dir, **filter_values) -> None:
    """Export paragraphs (all, or those matching) as JSON Lines.

    Oldest resolution first, each in document order; --csv for CSV.

    \b
    Example:
        unres export --session 68 > session68.jsonl
    """
    query = _query_of(words, export)
    with _LibraryErrors():
        filters = _filters(**filter_values)
        records = _open_engine(index_dir).export(query, filters)
        sys.stdout.writelines(
            csv_lines(records, bom=not no_bom) if as_csv else jsonl_lines(records)
        )


@cli.command()
@click.argument("resolution")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@INDEX_OPTION
def show(resolution: str, as_json: bool, index_dir: Path | None) -> None:
    """Show one indexed resolution as a reader wants it.

    Then what it cites, what cites it, and its series (unres lineage).

    \b
    Example:
        unres show 68/46
    """
    from .shown import shown

    with _LibraryErrors():
        data = shown(_open_engine(index_dir), resolution)
    if as_json:
        print_json(data.to_dict())
        return
    text = "\n".join(_reading_lines(data.resolution) + _relation_lines(data.to_dict()))
    if sys.stdout.isatty():
        click.echo_via_pager(text + "\n")  # as git does: $PAGER, else less
    else:
        click.echo(text)


# How paragraphs are cited: PP3 is the third preambular paragraph, OP9 operative 9.
_READING_SECTIONS = (
    ("preamble", "Preamble", "PP"),
    ("operative", "Operative paragraphs", "OP"),
    ("subparagraph", None, "OP"),
    ("annex", "Annex", ""),
    ("footnote", "Footnotes", ""),
)


def _reading_lines(resolution: Resolution) -> list[str]:
    """A resolution laid out for reading and citing: facts, then paragraphs numbered as people
    cite them (PP1…, OP1…, OP3(a); anew in each part of a multi-part resolution), footnote
    markers [1] where the paragraph carries them."""
    adopted = resolution.date or "-"
    if resolution.meeting is not None:
        adopted += f", plenary meeting {resolution.meeting}"
    committee = resolution.committee or "-"
    if resolution.report:
        committee += f", report {resolution.report}"
    lines = [
        f"{resolution.symbol}  {resolution.title or '-'}",
        f"{'Body':<13}{_BODY_NAMES.get(resolution.body, resolution.body)}",
        f"{'Session':<13}{resolution.session if resolution.session is not None else '-'}",
        f"{'Adopted':<13}{adopted}",
        f"{'Committee':<13}{committee}",
        f"{'Agenda item':<13}{resolution.agenda_item or '-'}",
    ]
    sections = {kind: (heading, prefix) for kind, heading, prefix in _READING_SECTIONS}
    current_heading, current_part, preamble_count = None, None, 0
    for paragraph in resolution.paragraphs:
        if paragraph.part != current_part and paragraph.type != "footnote":
            current_part, current_heading, preamble_count = paragraph.part, None, 0
            lines += [
                "",
                f"Part {paragraph.part}  {resolution.parts.get(paragraph.part or '', '')}",
            ]
        heading, prefix = sections[paragraph.type]
        if heading and heading != current_heading and paragraph.type != "subparagraph":
            lines += ["", heading]
            current_heading = heading
        if paragraph.type == "preamble":
            preamble_count += 1
            label = f"{prefix}{preamble_count}"
        elif paragraph.type == "footnote":
            label = f"[{paragraph.number}]" if paragraph.number is not None else ""
        else:
            label = prefix + ("" if paragraph.number is None else str(paragraph.number))
            label += f"({paragraph.item})" if paragraph.item else ""
        markers = "".join(f"[{number}]" for number in paragraph.footnotes)
        lines.append(f"{_ljust(label, 7)}{paragraph.text}{markers}")
    return lines


_BODY_NAMES = {"GA": "General Assembly (大会)", "SC": "Security Council (安全理事会)"}


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


def _width(text: str) -> int:
    """Terminal columns ``text`` takes (a Chinese character takes two)."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _ljust(text: str, columns: int) -> str:
    """``text`` padded to ``columns`` terminal columns, with at least one space after it."""
    return text + " " * max(columns - _width(text), 1)


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
    except BrokenPipeError:
        # unres search … | head: the reader has all it wanted. Python would complain again
        # when it flushes stdout at exit, so stdout goes to the void first.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)
    sys.exit(status if isinstance(status, int) else 0)


# ---------------------------------------------------------------------------- agreed language


def _session_label(session: int | None) -> str:
    """第68届 for the General Assembly; the Security Council has no sessions."""
    return "安理会" if session is None else f"第{session}届"


def _summary_line(summary: dict) -> str:
    """One resolution as a line: symbol, session, date, title."""
    return (
        f"{_ljust(summary['symbol'], 14)}{_ljust(_session_label(summary['session']), 9)}"
        f"{summary['date'] or '-':<12}{summary['title']}"
    )


def _relation_lines(relations: dict) -> list[str]:
    """What a resolution cites, what cites it, and its series (``unres show``)."""
    cites = relations["cites"]
    lines = ["", f"cites ({len(cites)}):"]
    outside = [c["resolution"] for c in cites if not c["indexed"]]
    for cite in cites:
        if cite["indexed"]:
            lines.append(f"  {_summary_line(cite)}  [{_keys(cite['paragraphs'])}]")
    if outside:
        lines.append(f"  not in the index: {', '.join(outside)}")
    lines += ["", f"cited by ({len(relations['cited_by'])}):"]
    for citing in relations["cited_by"]:
        lines.append(f"  {_summary_line(citing)}  [{_keys(citing['paragraphs'])}]")
    lines += ["", f"lineage ({len(relations['lineage'])}, oldest first):"]
    for member in relations["lineage"]:
        mark = ">" if member["symbol"] == relations["symbol"] else " "
        lines.append(f"{mark} {_summary_line(member)}")
    return lines


def _keys(ids: list[str]) -> str:
    """Paragraph ids without their resolution: pre2, op7."""
    return ", ".join(i.partition("#")[2] for i in ids)


@cli.command(context_settings={"ignore_unknown_options": True})
@click.argument("words", nargs=-1, required=True, metavar="PHRASE...")
@filter_options
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@INDEX_OPTION
def trace(words, as_json, index_dir, **filter_values) -> None:
    """Trace a wording: first and latest use, and uses per session.

    Exact matching and the query language as in search; the counts per session are those of
    unres export for the same query. Exit status 1 when the wording is not found.

    \b
    Example:
        unres trace 多边主义 --session 67-75
    """
    from .trace import trace as trace_wording

    query = _query_of(words, trace)
    with _LibraryErrors():
        filters = _filters(**filter_values)
        result = trace_wording(_open_engine(index_dir), query or "", filters).to_dict()
    if as_json:
        print_json(result)
    else:
        _print_trace(result)
    if not result["total"]:
        sys.exit(EXIT_NO_HITS)


TRACE_BAR = 40  # columns of the longest bar


def _print_trace(result: dict) -> None:
    uses = result["resolutions"]
    noun = "paragraph" if result["total"] == 1 else "paragraphs"
    click.echo(f"{result['query']}: {result['total']} {noun} in {len(uses)} resolutions")
    if not result["total"]:
        return
    for label in ("first", "latest"):
        where = result[label]
        click.echo(f"{label + ':':<8}{where['id']}  {where['date'] or '-'}")
    click.echo("\nby session:")
    from .trace import timeline

    scale = TRACE_BAR / max(result["by_session"].values())
    bar_color = _use_color()
    for session, count in timeline(result["by_session"]):
        bar = "█" * max(round(count * scale), 1 if count else 0)
        bar = click.style(bar, fg="blue") if bar_color and bar else bar
        click.echo(f"  {session:>4}  {bar + ' ' if bar else ''}{count}")
    click.echo("\nresolutions, oldest first (paragraphs using it):")
    for use in uses:
        click.echo(f"  {_summary_line(use)}  ({use['paragraphs']})")


@cli.command()
@click.argument("resolution")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@INDEX_OPTION
def lineage(resolution: str, as_json: bool, index_dir: Path | None) -> None:
    """The series a resolution belongs to, oldest first.

    The same agenda item's resolutions in the index, found by their title and by the
    resolutions they cite ("回顾其…第 74/55 号决议").

    \b
    Example:
        unres lineage 75/47
    """
    from .lineage import lineage as series_of

    with _LibraryErrors():
        result = series_of(_open_engine(index_dir), resolution).to_dict()
    if as_json:
        print_json(result)
        return
    series = result["series"]
    click.echo(f"{result['resolution']}: {len(series)} resolutions in its series, oldest first")
    for member in series:
        mark = ">" if member["symbol"] == result["resolution"] else " "
        click.echo(f"{mark} {_summary_line(member)}")


@cli.command()
@click.argument("resolutions", nargs=-1, required=True, metavar="[OLD] NEW")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@INDEX_OPTION
def diff(resolutions: tuple[str, ...], as_json: bool, index_dir: Path | None) -> None:
    """Paragraphs and words changed from one resolution (OLD) to NEW.

    OLD defaults to NEW's predecessor in its series (unres lineage NEW).

    \b
    Examples:
        unres diff 67/38 75/47
        unres diff 75/47
    """
    from .diff import diff as compare

    if len(resolutions) > 2:
        raise click.UsageError("give one or two resolutions: [OLD] NEW")
    *old, new = resolutions
    with _LibraryErrors():
        result = compare(_open_engine(index_dir), new, old[0] if old else None)
    if as_json:
        print_json(result.to_dict())
        return
    color = _use_color()
    click.echo(
        f"{result.old.symbol} ({result.old.date or '-'}) → "
        f"{result.new.symbol} ({result.new.date or '-'})  {result.new.title}"
    )
    click.echo(", ".join(f"{n} {status}" for status, n in result.counts().items()))
    click.echo()
    for pair in result.pairs:
        text = _marked(pair.changes, color)
        if pair.status in ("same", "moved"):
            text = _shortened(text)
        label = f"{_PAIR_SIGNS[pair.status]} {_pair_label(pair)}"
        click.echo(f"{click.style(label, bold=True) if color else label}  {text}")


_PAIR_SIGNS = {"same": "=", "moved": "↕", "changed": "~", "added": "+", "removed": "-"}
_CHANGE_MARKERS = {"removed": ("【-", "】"), "added": ("【+", "】")}
_CHANGE_STYLES: dict[str, dict] = {
    "removed": {"fg": "red", "strikethrough": True},
    "added": {"fg": "green", "underline": True},
}


def _pair_label(pair) -> str:
    """The paragraph's key in NEW (op4), with its key in OLD when that differs."""
    old = pair.old.partition("#")[2] if pair.old else None
    new = pair.new.partition("#")[2] if pair.new else None
    if old and new and old != new:
        return f"{new} (was {old})"
    return new or old or ""


def _marked(changes, color: bool) -> str:
    """Changes as text: coloured on a terminal, 【-removed】【+added】 otherwise."""
    pieces = []
    for change in changes:
        if change.kind not in _CHANGE_MARKERS:
            pieces.append(change.text)
        elif color:
            pieces.append(click.style(change.text, **_CHANGE_STYLES[change.kind]))
        else:
            opening, closing = _CHANGE_MARKERS[change.kind]
            pieces.append(f"{opening}{change.text}{closing}")
    return "".join(pieces)


def _shortened(text: str) -> str:
    return text if len(text) <= SNIPPET_CHARS // 2 else text[: SNIPPET_CHARS // 2] + "…"


@cli.command()
@click.argument("paragraph", metavar="ID")
@click.option(
    "--limit", default=10, show_default=True, type=click.IntRange(1, 1000), help="Paragraphs shown."
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@INDEX_OPTION
def similar(paragraph: str, limit: int, as_json: bool, index_dir: Path | None) -> None:
    """Paragraphs elsewhere with the same or nearly the same wording.

    ID as in search results (A/RES/75/47#op2). Identical paragraphs come first, oldest first,
    then the others by the share of words they have in common. Exit status 1 when there is
    none.

    \b
    Example:
        unres similar A/RES/75/47#op2
    """
    from .similar import similar as similar_to

    with _LibraryErrors():
        result = similar_to(_open_engine(index_dir), paragraph, limit=limit)
    if as_json:
        print_json(result.to_dict())
    else:
        click.echo(f"{result.id}  {result.text}")
        click.echo(
            f"{result.identical} identical elsewhere; showing {len(result.hits)} "
            "(identical first, then by words in common)"
        )
        color = _use_color()
        for hit in result.hits:
            share = "identical" if hit.identical else f"{hit.score:.0%} of words in common"
            header = f"{hit.id}  {_session_label(hit.session)}  {hit.date or '-'}  {share}"
            click.echo()
            click.echo(click.style(header, bold=True) if color else header)
            click.echo(f"  {hit.text}")
    if not result.hits:
        sys.exit(EXIT_NO_HITS)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="0: any free."
)
@INDEX_OPTION
@click.option("--open", "open_browser", is_flag=True, help="Open the search page in a browser.")
def serve(host: str, port: int, index_dir: Path | None, open_browser: bool) -> None:
    """Serve the search page and the JSON API in a browser.

    Pages at /, /resolution, /trace, /lineage, /diff, /similar and /stats; the same as JSON
    under /api/ (/api/search, /api/trace, ...), described at /openapi.json. Ctrl-C stops the
    server. It only reads the index. It listens on this machine alone unless --host says
    otherwise.

    \b
    Example:
        unres serve --open
    """
    import socket
    import webbrowser

    import uvicorn

    from .web.app import create_app

    with _LibraryErrors():
        app = create_app(_open_engine(index_dir))
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        listener = socket.socket(family, kind, proto)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(address)
        listener.listen(128)
    except OSError as error:
        raise UserError(f"cannot listen on {host}:{port}: {error.strerror or error}") from error
    bound_host, bound_port = listener.getsockname()[:2]
    url = f"http://{f'[{bound_host}]' if ':' in bound_host else bound_host}:{bound_port}/"
    click.echo(f"unres is serving {url} (Ctrl-C stops it)")
    if open_browser:
        webbrowser.open(url)
    config = uvicorn.Config(app, log_level="warning", access_log=False, server_header=False)
    try:
        uvicorn.Server(config).run(sockets=[listener])
    except KeyboardInterrupt:  # uvicorn shuts down gracefully, then passes Ctrl-C on
        click.echo("unres stopped serving", err=True)


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
