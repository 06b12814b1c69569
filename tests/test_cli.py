"""The command line as a user meets it: exit codes, stdout and stderr, word for word.

One index of the bundled corpus is built per module with ``unres index index_data`` and every
command reads it through ``--index``. Click 8.2+ keeps stderr apart: ``result.stdout`` is what a
pipe receives, ``result.stderr`` what the terminal shows beside it.
"""

import csv
import io
import json
import os
import re
import subprocess
import sys

import pytest
from conftest import CORPUS, REPO, lines, search_json

from search import __version__
from search.cli import cli
from search.formats import CSV_FIELDS
from search.normalize import normalize

COMMANDS = (
    "parse",
    "index",
    "search",
    "export",
    "show",
    "stats",
    "trace",
    "lineage",
    "diff",
    "similar",
    "serve",
    "remove",
)
FILE_68_46 = CORPUS / "000_00f2a18be826c79a.txt"
FILE_68_64 = CORPUS / "001_c02938ddcf51bef6.txt"
FILE_75_47 = CORPUS / "004_1060b8f6ddc9584f.txt"
FIRST_RUN = "5 resolutions indexed (5 new, 0 replaced, 145 paragraphs), 0 unchanged, 0 failed"
RESOLUTION_KEYS = {
    "symbol",
    "number",
    "session",
    "title",
    "date",
    "meeting",
    "committee",
    "report",
    "agenda_item",
    "special_session",
    "body",
    "year",
    "parts",
    "warnings",
    "paragraphs",
}
PARAGRAPH_KEYS = {"type", "number", "item", "lead", "verb", "text", "cites", "footnotes", "part"}
HIT_KEYS = {
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
    "highlights",
    "body",
    "part",
}
RECORD_KEYS = {
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
    "footnotes",
    "cites",
    "position",
    "source",
    "meeting",
    "committee",
    "report",
    "agenda_item",
    "special_session",
    "body",
    "year",
    "parts",
    "part",
}
ANSI = "\x1b["
NOT_A_RESOLUTION = (
    "not a resolution: no number of its own (no title line such as '68/46. 标题', "
    "heading such as '第2446(2018)号决议' or symbol such as A/RES/68/46)"
)


def assert_user_error(result, message: str) -> None:
    """Exit 2, nothing on stdout, exactly ``Error: message`` on stderr, no traceback."""
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)  # no exception escaped the command
    assert result.stdout == ""
    assert lines(result.stderr) == [f"Error: {message}"]
    assert "Traceback" not in result.output


def assert_one_error_line(result, prefix: str) -> None:
    """Like :func:`assert_user_error`, for messages known only by their beginning."""
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)
    assert result.stdout == ""
    [line] = lines(result.stderr)
    assert line.startswith(f"Error: {prefix}"), line
    assert "Traceback" not in result.output


# ---------------------------------------------------------------------------- help and version


def test_help_lists_every_command_with_its_whole_summary(runner):
    result = runner.invoke(cli, ["--help"])
    assert result.exit_code == 0
    assert set(cli.commands) == set(COMMANDS)
    listing = lines(result.stdout.split("Commands:\n", 1)[1])
    summaries = {name: command.help.split("\n", 1)[0] for name, command in cli.commands.items()}
    width = max(map(len, COMMANDS))
    assert listing == [f"  {name:<{width}}  {summaries[name]}" for name in sorted(COMMANDS)]


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help_flags(runner, flag):
    result = runner.invoke(cli, [flag])
    assert result.exit_code == 0
    assert result.stdout.startswith("Usage: unres [OPTIONS] COMMAND [ARGS]...\n")
    assert "unres search 多边主义 --session 68" in result.stdout


def test_version(runner):
    result = runner.invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert result.stdout == f"unres, version {__version__}\n"
    assert re.fullmatch(r"\d+\.\d+\.\d+", __version__)


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_help_has_a_summary_line_and_an_example(runner, name):
    result = runner.invoke(cli, [name, "--help"])
    assert result.exit_code == 0
    out = lines(result.stdout)
    assert out[0].startswith(f"Usage: unres {name} [OPTIONS]")
    assert out[1] == ""
    summary = out[2].strip()
    assert summary.endswith(".") and out[3] == "", "the summary is one sentence on one line"
    assert summary == cli.commands[name].help.split("\n", 1)[0]
    example_at = next(i for i, line in enumerate(out) if re.fullmatch(r"  Examples?:", line))
    assert out[example_at + 1].startswith(f"      unres {name}")


def test_help_imports_neither_jieba_nor_whoosh_nor_numpy():
    script = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from search.cli import cli\n"
        "for args in [['--help'], ['--version']] + [[name, '--help'] for name in cli.commands]:\n"
        "    assert CliRunner().invoke(cli, args).exit_code == 0, args\n"
        "print(sorted(m for m in ('jieba', 'whoosh', 'numpy') if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "[]\n"


HEADER_68_46 = [  # the metadata lines of 68/46, as parse prints them
    "symbol:      A/RES/68/46",
    "session:     68",
    "title:       推进多边核裁军谈判",
    "date:        2013-12-05",
    "meeting:     60",
    "committee:   第一委员会",
    "report:      A/68/411",
]


# ---------------------------------------------------------------------------- parse


def test_parse_human_view_shows_the_metadata_and_every_paragraph(runner):
    result = runner.invoke(cli, ["parse", str(FILE_68_46)])
    assert result.exit_code == 0
    assert result.stderr == ""
    out = lines(result.stdout)
    assert out[:9] == [*HEADER_68_46, "agenda item: -", ""]
    paragraphs = json.loads(runner.invoke(cli, ["parse", str(FILE_68_46), "--json"]).stdout)[
        "paragraphs"
    ]
    body = out[9:]
    assert len(body) == 2 * len(paragraphs) == 2 * 30
    assert body[0] == "[preamble] verb=回顾 cites=67/56"
    assert (
        body[1]
        == "  回顾其 2012 年 12 月 3 日第 67/56 号决议，其中大会设立一个不限成员名额工作组，"
        "负责就推进多边核裁军谈判以建立和保持一个无核武器世界而拟定建议，"
    )
    assert "[operative 11] verb=决定" in body
    assert body[-2:] == ["[footnote 5]", "  A/68/514。"]
    assert body[1::2] == [f"  {paragraph['text']}" for paragraph in paragraphs]


def test_parse_shows_the_agenda_item_when_there_is_one(runner):
    result = runner.invoke(cli, ["parse", str(FILE_75_47)])
    assert result.exit_code == 0
    assert "agenda item: 103(u)" in lines(result.stdout)
    assert "report:      A/75/399" in lines(result.stdout)


def test_parse_json_has_every_field_and_chinese_as_itself(runner):
    result = runner.invoke(cli, ["parse", str(FILE_68_46), "--json"])
    assert result.exit_code == 0
    assert "\\u" not in result.stdout
    assert '"title": "推进多边核裁军谈判"' in result.stdout
    data = json.loads(result.stdout)
    assert set(data) == RESOLUTION_KEYS
    assert {key: data[key] for key in RESOLUTION_KEYS - {"paragraphs"}} == {
        "symbol": "A/RES/68/46",
        "number": "68/46",
        "session": 68,
        "title": "推进多边核裁军谈判",
        "date": "2013-12-05",
        "meeting": 60,
        "committee": "第一委员会",
        "report": "A/68/411",
        "agenda_item": None,
        "special_session": False,
        "body": "GA",
        "year": 2013,
        "parts": {},
        "warnings": [],
    }
    assert all(set(paragraph) == PARAGRAPH_KEYS for paragraph in data["paragraphs"])
    assert data["paragraphs"][0] == {
        "type": "preamble",
        "number": None,
        "item": None,
        "lead": "回顾",
        "verb": "回顾",
        "text": data["paragraphs"][0]["text"],
        "cites": ["67/56"],
        "footnotes": [],
        "part": None,
    }
    third = data["paragraphs"][2]
    assert third["footnotes"] == [1] and third["text"].startswith("回顾大会第十届特别会议")
    operative = [p["number"] for p in data["paragraphs"] if p["type"] == "operative"]
    assert operative == list(range(1, 12))


@pytest.fixture
def bad_files(tmp_path):
    good = FILE_68_64.read_bytes()
    text = good.decode("utf-8")
    middle = len(text[: len(text) // 2].encode("utf-8"))
    while good[middle] < 0xC0:  # move to the first byte of a multi-byte character…
        middle += 1
    files = {
        "empty": b"",
        "binary": bytes(range(256)) * 8,
        # …and cut just after it, in the middle of that character
        "cut_mid_character": good[: middle + 1],
        "cut_before_the_date": "\n".join(text.splitlines()[:30]).encode("utf-8"),
        "not_a_resolution": "这不是决议。只是一段话。\n".encode(),
    }
    paths = {}
    for name, data in files.items():
        paths[name] = tmp_path / f"{name}.txt"
        paths[name].write_bytes(data)
    paths["missing"] = tmp_path / "missing.txt"
    return paths


@pytest.mark.parametrize(
    "name, problem",
    [
        ("empty", "the file is empty"),
        ("binary", "binary content, not a text file"),
        ("not_a_resolution", NOT_A_RESOLUTION),
    ],
)
def test_parse_errors_are_one_line_naming_the_file(runner, bad_files, name, problem):
    path = bad_files[name]
    assert_user_error(runner.invoke(cli, ["parse", str(path)]), f"{path}: {problem}")


def test_parse_of_a_text_cut_short_warns_on_stderr_and_succeeds(runner, bad_files):
    path = bad_files["cut_before_the_date"]
    result = runner.invoke(cli, ["parse", str(path), "--json"])
    assert result.exit_code == 0
    assert lines(result.stderr) == [
        f"Warning: {path}: the text is cut short: its last paragraph ends mid-sentence "
        "(…案基础上就工作方案达成共) and no adoption date or meeting follows",
        f"Warning: {path}: the text has no operative paragraph: the text is cut short",
        f"Warning: {path}: no adoption date found",
    ]
    data = json.loads(result.stdout)
    assert data["symbol"] == "A/RES/68/64"
    assert data["warnings"] == [line.split(": ", 2)[2] for line in lines(result.stderr)]
    assert [p["verb"] for p in data["paragraphs"]] == [
        "审议了",
        "深信",
        "认识到",
        "认识到",
        "注意到",
    ]


def test_parse_a_missing_file(runner, bad_files):
    path = bad_files["missing"]
    assert_one_error_line(
        runner.invoke(cli, ["parse", str(path)]), f"{path}: cannot read the file ("
    )


def test_parse_a_file_cut_in_the_middle_of_a_character(runner, bad_files):
    path = bad_files["cut_mid_character"]
    assert_one_error_line(runner.invoke(cli, ["parse", str(path)]), f"{path}: ")


def test_parse_a_file_cut_in_the_middle_of_a_character_says_so(runner, bad_files):
    result = runner.invoke(cli, ["parse", str(bad_files["cut_mid_character"])])
    assert "GB18030" not in result.stderr and "UTF-8" in result.stderr


# ---------------------------------------------------------------------------- index


def test_index_first_run_summary(built):
    index_dir, result = built
    assert result.exit_code == 0, result.output
    assert lines(result.stdout) == [FIRST_RUN, f"Index: {index_dir}"]
    assert result.stderr == ""


def test_index_second_run_skips_everything_unchanged(runner, built, unres):
    index_dir, _ = built
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(REPO)
        again = runner.invoke(cli, ["index", "index_data", "--index", str(index_dir)])
    assert again.exit_code == 0
    assert lines(again.stdout) == [
        "0 resolutions indexed (0 new, 0 replaced, 0 paragraphs), 5 unchanged, 0 failed",
        f"Index: {index_dir}",
    ]
    figures = json.loads(unres("stats", "--json").stdout)
    assert (figures["resolutions"], figures["paragraphs"]) == (5, 145)


def test_index_names_the_bad_file_and_keeps_the_good_ones(runner, tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    for good in (FILE_68_46, FILE_68_64):
        (folder / good.name).write_bytes(good.read_bytes())
    bad = folder / "zz_bad.txt"
    bad.write_text("这不是决议。\n", encoding="utf-8")
    index_dir = tmp_path / "index"
    result = runner.invoke(cli, ["index", str(folder), "--index", str(index_dir)])
    assert result.exit_code == 2
    assert lines(result.stdout) == [
        "2 resolutions indexed (2 new, 0 replaced, 55 paragraphs), 0 unchanged, 1 failed",
        f"Index: {index_dir}",
    ]
    assert lines(result.stderr) == [f"Error: {bad}: {NOT_A_RESOLUTION}"]
    stats = runner.invoke(cli, ["stats", "--json", "--index", str(index_dir)])
    assert json.loads(stats.stdout)["resolutions"] == 2

    missing = tmp_path / "nowhere"
    result = runner.invoke(cli, ["index", str(missing), "--index", str(index_dir)])
    assert result.exit_code == 2
    assert (
        lines(result.stdout)[0]
        == "0 resolutions indexed (0 new, 0 replaced, 0 paragraphs), 0 unchanged, 1 failed"
    )
    assert lines(result.stderr) == [f"Error: {missing}: no such file or folder"]


# ---------------------------------------------------------------------------- search


def test_search_human_output(unres):
    result = unres("search", "多边主义")
    assert result.exit_code == 0
    assert result.stderr == ""
    out = lines(result.stdout)
    assert out[:4] == [
        "19 paragraphs for 多边主义 (showing 1-10)",
        "",
        "A/RES/67/38  第67届  2012-12-03  operative 2  重申",
        "  又重申【多边主义】是解决裁军和不扩散问题的核心原则；",
    ]
    assert ANSI not in result.stdout
    hits = search_json(unres, "多边主义")["hits"]
    assert out[1::3] == [""] * 10
    assert out[2::3] == [
        f"{h['symbol']}  第{h['session']}届  {h['date']}  {h['type']}"
        + (f" {h['number']}" if h["number"] is not None else "")
        + (f"  {h['verb']}" if h["verb"] else "")
        for h in hits
    ]
    assert all(line.startswith("  ") and "【多边主义】" in line for line in out[3::3])


def test_search_long_paragraph_is_a_snippet_around_the_match(unres):
    result = unres("search", "德黑兰")
    assert result.exit_code == 0
    assert lines(result.stdout)[0] == "1 paragraph for 德黑兰 (showing 1-1)"
    near_the_start = lines(result.stdout)[3]
    assert near_the_start.startswith("  注意到 2012 年 8 月 26 日至 31 日在【德黑兰】举行")
    assert near_the_start.endswith("…")
    near_the_end = lines(unres("search", "唯一可持续").stdout)[3]
    assert near_the_end.startswith("  …") and near_the_end.endswith("的【唯一可持续】的方法，")
    assert len(near_the_end) == len("  …") + 120 + len("【】")
    full = lines(unres("search", "唯一可持续", "--full").stdout)[3]
    assert full.startswith("  注意到 2012 年") and full.endswith("【唯一可持续】的方法，")


def test_search_highlights_text_whose_spacing_differs_from_the_query(unres):
    result = unres("search", "2012年12月3日", "--limit", "2")
    assert "  回顾其 【2012 年 12 月 3 日】第 67/56 号决议" in result.stdout


def test_search_no_colour_on_a_pipe_even_with_colour_allowed(unres):
    result = unres("search", "多边主义", env={"NO_COLOR": "1"})
    assert ANSI not in result.stdout and "【多边主义】" in result.stdout


def _search_on_a_terminal(index_dir, no_color: str | None) -> str:
    """``unres search`` with a pseudo-terminal for stdout; what the terminal received."""
    pty = pytest.importorskip("pty")
    leader, follower = pty.openpty()
    env = {**os.environ, "UNRES_INDEX": str(index_dir)}
    env.pop("NO_COLOR", None)
    if no_color is not None:
        env["NO_COLOR"] = no_color
    process = subprocess.Popen(
        [sys.executable, "-m", "search", "search", "多边主义", "--limit", "1"],
        cwd=REPO,
        env=env,
        stdout=follower,
        stderr=subprocess.PIPE,
    )
    os.close(follower)
    received = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        received += chunk
    os.close(leader)
    assert process.wait(timeout=120) == 0, process.stderr.read()
    process.stderr.close()
    return received.decode("utf-8")


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_search_colours_matches_on_a_terminal_unless_no_color(built):
    index_dir, _ = built
    coloured = _search_on_a_terminal(index_dir, None)
    assert ANSI in coloured and "【" not in coloured
    assert "多边主义" in coloured
    plain = _search_on_a_terminal(index_dir, "1")
    assert ANSI not in plain and "【多边主义】" in plain


def test_search_json(unres):
    result = unres("search", "多边主义", "--json")
    assert result.exit_code == 0
    assert "\\u" not in result.stdout
    data = json.loads(result.stdout)
    assert set(data) == {"query", "total", "hits"}
    assert (data["query"], data["total"], len(data["hits"])) == ("多边主义", 19, 10)
    assert all(set(hit) == HIT_KEYS for hit in data["hits"])
    assert data["hits"][0]["id"] == "A/RES/67/38#op2"
    scores = [hit["score"] for hit in data["hits"]]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize("query", ["多边主义", "2012年12月3日", "核裁军"])
def test_every_highlight_is_the_query_term(unres, query):
    hits = search_json(unres, query, "--limit", "100")["hits"]
    assert hits
    for hit in hits:
        assert hit["highlights"], hit["id"]
        for start, end in hit["highlights"]:
            assert normalize(hit["text"][start:end]) == normalize(query), hit["id"]


def test_search_words_need_no_quotes(unres):
    unquoted = unres("search", "多边主义", "裁军", "--limit", "1")
    assert unquoted.exit_code == 0
    assert unquoted.stdout == unres("search", "多边主义 裁军", "--limit", "1").stdout
    assert lines(unquoted.stdout)[0] == "19 paragraphs for 多边主义 裁军 (showing 1-1)"
    assert lines(unquoted.stdout)[3] == "  又重申【多边主义】是解决【裁军】和不扩散问题的核心原则；"
    assert export_records(unres, "决定", "OR", "请") == export_records(unres, "决定 OR 请")
    assert len(export_records(unres, "决定", "OR", "请")) == 37


def test_search_exit_status_1_when_nothing_matches(unres):
    result = unres("search", "火星殖民")
    assert result.exit_code == 1
    assert result.stdout == "0 paragraphs for 火星殖民 (showing none)\n"
    assert result.stderr == ""
    data = unres("search", "火星殖民", "--json")
    assert data.exit_code == 1
    assert json.loads(data.stdout) == {"query": "火星殖民", "total": 0, "hits": []}


def test_search_by_verb_alone(unres):
    result = unres("search", "--verb", "决定")
    assert result.exit_code == 0
    assert lines(result.stdout)[0] == "11 paragraphs with verb 决定 (showing 1-10)"
    data = search_json(unres, "--verb", "决定", "--limit", "100")
    assert data["query"] is None
    assert data["total"] == len(data["hits"]) == 11
    assert {hit["verb"] for hit in data["hits"]} == {"决定"}
    assert {hit["lead"] for hit in data["hits"]} >= {"决定", "又决定"}


def test_search_session_ranges_and_repeats(unres):
    def sessions_and_total(*args):
        data = search_json(unres, "多边主义", "--limit", "100", *args)
        return sorted({hit["session"] for hit in data["hits"]}), data["total"]

    assert sessions_and_total() == ([67, 68, 75], 19)
    assert sessions_and_total("--session", "67-70") == ([67, 68], 10)
    assert sessions_and_total("--session", "67", "--session", "75") == ([67, 75], 18)
    assert sessions_and_total("--session", "68") == ([68], 1)
    assert sessions_and_total("--session", "72-74") == ([], 0)


def test_search_pages(unres):
    first_four = [hit["id"] for hit in search_json(unres, "多边主义", "--limit", "4")["hits"]]
    page_two = search_json(unres, "多边主义", "--page", "2", "--limit", "2")
    assert [hit["id"] for hit in page_two["hits"]] == first_four[2:]
    assert page_two["total"] == 19
    human = unres("search", "多边主义", "--page", "2", "--limit", "2")
    assert lines(human.stdout)[0] == "19 paragraphs for 多边主义 (showing 3-4)"


def test_search_csv(unres):
    result = unres("search", "多边主义", "--csv", "--limit", "3")
    assert result.exit_code == 0
    assert lines(result.stdout)[0] == "\ufeff" + ",".join(CSV_FIELDS)  # Excel needs the BOM
    rows = list(csv.DictReader(io.StringIO(result.stdout.removeprefix("\ufeff"))))
    hits = search_json(unres, "多边主义", "--limit", "3")["hits"]
    assert [row["id"] for row in rows] == [hit["id"] for hit in hits]
    assert rows[0]["text"] == "又重申多边主义是解决裁军和不扩散问题的核心原则；"
    assert (rows[0]["symbol"], rows[0]["session"], rows[0]["number"]) == ("A/RES/67/38", "67", "2")


@pytest.mark.parametrize(
    "query, prefix",
    [
        ('"unclosed', "query '\"unclosed': unbalanced quote"),
        ("OR", "query 'OR': OR with nothing before it"),
        ("foo:bar", "query 'foo:bar': unknown field 'foo'"),
    ],
)
def test_search_malformed_query(unres, query, prefix):
    assert_one_error_line(unres("search", query), prefix)


@pytest.mark.parametrize(
    "args, message",
    [
        (["多边主义", "--session", "x"], "session 'x' is not a number or a range such as 67-70"),
        (["多边主义", "--session", "70-67"], "session range '70-67' runs backwards; write 67-70"),
        (["多边主义", "--from", "12/2013"], "date '12/2013' is not YYYY, YYYY-MM or YYYY-MM-DD"),
        (
            ["多边主义", "--resolution", "xyz"],
            "'xyz' is not a resolution number such as 68/46, A/RES/68/46, 2758 (XXVI) "
            "or S/RES/2446 (2018)",
        ),
        ([], "give a query, a filter (such as --session 68), or both"),
    ],
)
def test_search_bad_filters(unres, args, message):
    assert_user_error(unres("search", *args), message)


def test_search_by_date(unres):
    data = search_json(unres, "多边主义", "--from", "2013", "--to", "2017-12", "--limit", "100")
    assert {hit["date"] for hit in data["hits"]} == {"2013-12-05"}


# ---------------------------------------------------------------------------- export


def export_records(unres, *args) -> list[dict]:
    result = unres("export", *args)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    return [json.loads(line) for line in lines(result.stdout)]


def test_export_everything_as_json_lines(unres):
    records = export_records(unres)
    assert len(records) == 145
    assert all(set(record) == RECORD_KEYS for record in records)
    assert records[0]["id"] == "A/RES/67/38#pre1"
    dates = [record["date"] for record in records]
    assert dates == sorted(dates), "oldest first"
    assert len({record["id"] for record in records}) == 145
    assert "\\u" not in unres("export").stdout


def test_export_one_session(unres):
    records = export_records(unres, "--session", "68")
    assert len(records) == 55
    assert {record["session"] for record in records} == {68}
    assert [r["position"] for r in records if r["resolution"] == "68/46"] == list(range(30))


def test_export_matching_a_query(unres):
    records = export_records(unres, "多边主义")
    assert len(records) == 19
    assert all("多边主义" in record["text"] for record in records)


def test_export_into_a_pipe_closed_early_is_not_an_error(unres, built):
    """``unres export | head -1``: no ``Error: Broken pipe``, no traceback."""
    index_dir, _ = built
    assert len(unres("export").stdout.encode("utf-8")) > 2**16, "more than a pipe holds"
    env = {**os.environ, "UNRES_INDEX": str(index_dir)}
    process = subprocess.Popen(
        [sys.executable, "-m", "search", "export"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    json.loads(process.stdout.readline())
    process.stdout.close()
    assert process.wait(timeout=120) == 1
    assert process.stderr.read() == b""
    process.stderr.close()


def test_export_csv(unres):
    result = unres("export", "--csv", "--no-bom", "--session", "68")
    assert result.exit_code == 0
    assert lines(result.stdout)[0] == ",".join(CSV_FIELDS)
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 55
    assert {row["session"] for row in rows} == {"68"}


# ---------------------------------------------------------------------------- show


def test_show_numbers_paragraphs_as_people_cite_them(unres):
    result = unres("show", "68/46")
    assert result.exit_code == 0
    assert result.stderr == ""
    out = lines(result.stdout)
    assert out[:6] == [
        "A/RES/68/46  推进多边核裁军谈判",
        "Body         General Assembly (大会)",
        "Session      68",
        "Adopted      2013-12-05, plenary meeting 60",
        "Committee    第一委员会, report A/68/411",
        "Agenda item  -",
    ]
    labels = [line.split(" ")[0] for line in out if re.match(r"(PP|OP)\d+ |\[\d+\] ", line)]
    assert labels == [f"PP{n}" for n in range(1, 15)] + [f"OP{n}" for n in range(1, 12)] + [
        f"[{n}]" for n in range(1, 6)
    ]
    assert out.index("Preamble") < out.index("Operative paragraphs") < out.index("Footnotes")
    # the footnote marker stands with its paragraph
    marked = [line for line in out if line.endswith("[1]")]
    assert len(marked) == 1 and marked[0].startswith("PP")
    assert out[out.index("Footnotes") + 6 :][:3] == [
        "",
        "cites (4):",
        "  not in the index: 67/56, 67/39, S-10/2, 55/2",
    ]


@pytest.mark.parametrize("typed", ["A/RES/68/46", "a/res/68/46", "６８/４６", " 68/46 "])
def test_show_by_symbol_is_the_same(unres, typed):
    assert unres("show", typed).stdout == unres("show", "68/46").stdout


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.txt")), ids=lambda path: path.name[:3])
def test_show_json_is_what_parse_read(runner, unres, path):
    parsed = json.loads(runner.invoke(cli, ["parse", str(path), "--json"]).stdout)
    result = unres("show", parsed["number"], "--json")
    assert result.exit_code == 0
    shown = json.loads(result.stdout)
    assert {k: v for k, v in shown.items() if k not in ("cites", "cited_by", "lineage")} == parsed


def test_show_unknown_resolution(unres):
    assert_user_error(unres("show", "99/1"), "resolution '99/1' is not in the index")


# ---------------------------------------------------------------------------- stats


def test_stats(unres):
    result = unres("stats")
    assert result.exit_code == 0
    out = lines(result.stdout)
    assert out[:10] == [
        "resolutions  5",
        "paragraphs   145",
        "",
        "by type:",
        "  preamble      69",
        "  operative     61",
        "  footnote      15",
        "",
        "by session:",
        "  67            23",
    ]
    assert out[out.index("commonest verbs:") + 1] == "  请            16"
    assert "  注意到        10" in out  # columns line up: a Chinese character is two wide


def test_stats_json(unres):
    result = unres("stats", "--json")
    assert result.exit_code == 0
    figures = json.loads(result.stdout)
    assert figures["resolutions"] == 5
    assert figures["paragraphs"] == 145
    assert figures["by_type"] == {"preamble": 69, "operative": 61, "footnote": 15}
    assert figures["by_session"] == {"67": 23, "68": 55, "72": 41, "75": 26}
    assert figures["verbs"]["决定"] == 11
    assert list(figures["verbs"])[:2] == ["请", "回顾"]


# ---------------------------------------------------------------------------- no index yet


def test_first_search_builds_the_bundled_index(runner, tmp_path):
    index_dir = tmp_path / "fresh"
    index_dir.mkdir()
    environment = {"UNRES_INDEX": str(index_dir)}
    result = runner.invoke(cli, ["search", "多边主义"], env=environment)
    assert result.exit_code == 0, result.output
    assert lines(result.stderr) == [
        f"No index in {index_dir} yet: indexing the 5 bundled resolutions first "
        "(unres index adds your own).",
        FIRST_RUN,
    ]
    assert lines(result.stdout)[0] == "19 paragraphs for 多边主义 (showing 1-10)"
    again = runner.invoke(cli, ["search", "多边主义"], env=environment)
    assert again.stderr == "" and again.stdout == result.stdout


@pytest.mark.parametrize("command", ["search 核", "export", "show 68/46", "stats"])
def test_an_index_named_with_option_must_exist(runner, tmp_path, command):
    result = runner.invoke(cli, [*command.split(), "--index", str(tmp_path / "typo")])
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: no index in {tmp_path / 'typo'}; run 'unres index --index {tmp_path / 'typo'}' "
        "first\n"
    )
    assert not (tmp_path / "typo").exists()


def test_index_from_the_environment(runner, built):
    index_dir, _ = built
    result = runner.invoke(cli, ["stats", "--json"], env={"UNRES_INDEX": str(index_dir)})
    assert result.exit_code == 0
    assert json.loads(result.stdout)["paragraphs"] == 145
