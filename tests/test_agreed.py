"""Agreed language: trace, lineage, diff, similar and show's citations, on the bundled corpus and on
renumbered copies of it spread over many sessions.

The copies are the bundled 67/38 (2012) and 75/47 (2020) files with only their number and date
rewritten, so every expectation follows from the originals: their paragraphs are the same, the
series is the renumbered ones plus the originals, and every copy's operative 2 is the same words.
"""

import json
import re
import shlex

import pytest
from click.testing import CliRunner
from conftest import CORPUS

from search.analysis import segment
from search.cli import cli
from search.diff import diff
from search.engine import Engine, Filters, QueryError
from search.indexer import index_paths
from search.lineage import lineage
from search.normalize import normalize
from search.similar import similar
from search.trace import trace
from search.words import tokens

OLD_FILE = "002_9173574a0d462b55.txt"  # 67/38, 3 December 2012
NEW_FILE = "004_1060b8f6ddc9584f.txt"  # 75/47, 7 December 2020
SAME_OPERATIVE = {1, 2, 3, 6}  # 67/38 → 75/47: the reading of the two texts
IDENTICAL = "又重申多边主义是解决裁军和不扩散问题的核心原则；"
# (number, ISO date, source file): numbers of the series that 75/47 itself cites, and later ones.
COPIES = [
    ("57/63", "2002-11-22", OLD_FILE),
    ("60/59", "2005-12-08", OLD_FILE),
    ("63/50", "2008-12-02", OLD_FILE),
    ("66/32", "2011-12-02", OLD_FILE),
    ("71/61", "2016-12-05", NEW_FILE),
    ("74/55", "2019-12-12", NEW_FILE),
    ("77/61", "2022-12-07", NEW_FILE),
]
REWORDED = ("73/41", "2018-12-05")  # a 75/47 copy under a reworded title: cited by 75/47
UNRELATED = ("55/2", "2000-09-08")  # 68/64 renumbered: cited by 75/47, another subject
SWAPPED = ("78/9", "2023-12-04")  # 75/47 with operative 1 and 2 exchanged


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    folder = tmp_path_factory.mktemp("agreed-bundled")
    assert index_paths([CORPUS], folder).added == 5
    return Engine.open(folder)


def _renumbered(text: str, number: str, date: str, old_number: str, old_date: str) -> str:
    year, month, day = (int(part) for part in date.split("-"))
    old_year, old_month, old_day = (int(part) for part in old_date.split("-"))
    text = re.sub(
        rf"(^|\n)([ #]*){re.escape(old_number)}\.", rf"\g<1>\g<2>{number}.", text, count=1
    )
    printed = re.compile(rf"{old_year} ?年 ?{old_month} ?月 ?{old_day} ?日")
    # The adoption date (the originals cite nothing adopted on it); the session comes from
    # the number once the 75/47 file's session heading is gone.
    text = printed.sub(f"{year} 年 {month} 月 {day} 日", text.replace("第七十五届会议", "", 1))
    assert number in text
    return text


@pytest.fixture(scope="module")
def many(tmp_path_factory):
    """An index of the bundled corpus and renumbered copies spread over 2000-2023."""
    source = tmp_path_factory.mktemp("agreed-copies")
    originals = {
        OLD_FILE: ("67/38", "2012-12-03"),
        NEW_FILE: ("75/47", "2020-12-07"),
        "001_c02938ddcf51bef6.txt": ("68/64", "2013-12-05"),
    }

    def write(number: str, date: str, name: str, edit=lambda text: text) -> None:
        text = (CORPUS / name).read_text(encoding="utf-8")
        text = edit(_renumbered(text, number, date, *originals[name]))
        (source / f"copy_{number.replace('/', '_')}.txt").write_text(text, encoding="utf-8")

    for number, date, name in COPIES:
        write(number, date, name)
    write(*REWORDED, NEW_FILE, lambda t: t.replace("的多边主义\n", "多边主义问题\n"))
    write(*UNRELATED, "001_c02938ddcf51bef6.txt")
    write(*SWAPPED, NEW_FILE, _swap_operative_1_and_2)
    folder = tmp_path_factory.mktemp("agreed-many")
    report = index_paths([CORPUS, source], folder)
    assert report.failed == [] and report.added == 5 + len(COPIES) + 3
    return Engine.open(folder)


def _swap_operative_1_and_2(text: str) -> str:
    first = re.search(r"\n1\. (.*)\n", text).group(1)
    second = re.search(r"\n2\. (.*)\n", text).group(1)
    return (
        text.replace(f"1. {first}", "1. @@", 1)
        .replace(f"2. {second}", f"2. {first}", 1)
        .replace("1. @@", f"1. {second}", 1)
    )


def _operative(pair_id: str | None) -> int | None:
    found = re.fullmatch(r".*#op(\d+)", pair_id or "")
    return int(found.group(1)) if found else None


# ---------------------------------------------------------------------------------------- words


def test_tokens_are_jiebas_words_and_give_back_the_printed_text(engine):
    grams = engine.catalog.grams
    docs = range(engine.catalog.count)
    for doc, record in zip(docs, engine.catalog.records(docs)):
        pieces = tokens(grams, doc, record["text"])
        assert "".join(token.printed for token in pieces) == record["text"]
        normalized = normalize(record["text"])
        words = [normalized[start:end] for start, end in segment(normalized)]
        assert [token.norm for token in pieces if token.is_word] == words
        assert "".join(token.norm for token in pieces) == normalized


# ---------------------------------------------------------------------------------------- trace


@pytest.mark.parametrize("query", ["多边主义", "核裁军", "2012 年", "重申 多边", "决定 -议程"])
def test_trace_counts_per_session_are_what_export_gives(engine, many, query):
    for index in (engine, many):
        records = list(index.export(query))
        result = trace(index, query)
        expected: dict[str, int] = {}
        for record in records:
            expected[str(record["session"])] = expected.get(str(record["session"]), 0) + 1
        assert result.by_session == expected
        assert list(result.by_session) == sorted(expected, key=int)
        assert result.total == len(records) == sum(use.paragraphs for use in result.resolutions)
        assert result.first["id"] == records[0]["id"]
        assert result.latest["id"] == records[-1]["id"]
        symbols = list(dict.fromkeys(record["symbol"] for record in records))
        assert [use.summary.symbol for use in result.resolutions] == symbols


def test_trace_of_a_wording_in_every_copy_runs_from_the_oldest_to_the_newest(many):
    result = trace(many, IDENTICAL)
    assert result.first["symbol"] == "A/RES/57/63" and result.first["date"] == "2002-11-22"
    assert result.latest["symbol"] == "A/RES/78/9"
    dates = [use.summary.date for use in result.resolutions]
    assert dates == sorted(dates) and len(dates) == 2 + len(COPIES) + 2


def test_trace_with_a_filter_counts_only_what_the_filter_keeps(many):
    result = trace(many, "多边主义", Filters(sessions=[(60, 67)]))
    assert set(result.by_session) == {"60", "63", "66", "67"}
    assert result.total == len(list(many.export("多边主义", Filters(sessions=[(60, 67)]))))


def test_trace_of_an_absent_wording_is_empty(engine):
    result = trace(engine, "安全理事会改革")
    assert (result.total, result.first, result.by_session, result.resolutions) == (0, None, {}, [])


# -------------------------------------------------------------------------------------- lineage


def test_lineage_of_75_47_in_the_bundled_corpus_is_67_38_then_itself(engine):
    result = lineage(engine, "75/47").to_dict()
    assert result["resolution"] == "A/RES/75/47"
    assert [m["symbol"] for m in result["series"]] == ["A/RES/67/38", "A/RES/75/47"]
    assert result["series"][0] == {
        "symbol": "A/RES/67/38",
        "session": 67,
        "date": "2012-12-03",
        "title": "促进裁军和不扩散领域的多边主义",
    }
    assert [m["symbol"] for m in lineage(engine, "A/RES/68/46").to_dict()["series"]] == [
        "A/RES/68/46"
    ]


def test_lineage_across_many_sessions_is_oldest_first_with_reworded_title_but_not_other_subjects(
    many,
):
    series = lineage(many, "67/38").series
    numbers = [member.number for member in series]
    expected = sorted(
        [number for number, _, _ in COPIES] + ["67/38", "75/47", REWORDED[0], SWAPPED[0]],
        key=lambda n: int(n.split("/")[0]),
    )
    assert numbers == expected
    reworded = next(member for member in series if member.number == REWORDED[0])
    assert reworded.title == "促进裁军和不扩散领域多边主义问题"  # joined by 75/47's citation
    cited_by_75_47 = {cite for record in many.resolution("75/47") for cite in record["cites"]}
    assert {REWORDED[0], UNRELATED[0]} <= cited_by_75_47
    assert UNRELATED[0] not in numbers  # cited by 75/47 in a footnote, another title
    assert "68/46" not in numbers and "72/251" not in numbers
    assert lineage(many, "77/61").series == series  # the same series from any member


def test_lineage_of_an_unknown_resolution_is_an_error(engine):
    with pytest.raises(QueryError, match="'99/1' is not in the index"):
        lineage(engine, "99/1")


# ----------------------------------------------------------------------------------------- diff


def _statuses(result) -> dict[int, str]:
    return {_operative(p.new): p.status for p in result.pairs if _operative(p.new)}


def test_diff_67_38_75_47_keeps_operative_1_2_3_6_and_changes_the_rest(engine):
    result = diff(engine, "75/47", "67/38")
    operative = _statuses(result)
    assert {n for n, status in operative.items() if status == "same"} == SAME_OPERATIVE
    assert {n for n, status in operative.items() if status == "changed"} == set(
        range(1, 10)
    ) - SAME_OPERATIVE
    assert all(
        _operative(p.old) == _operative(p.new) for p in result.pairs if p.status == "changed"
    )
    assert diff(engine, "75/47").old.symbol == "A/RES/67/38"  # the predecessor by default


def test_diff_changes_are_whole_words_and_give_back_both_texts(engine):
    result = diff(engine, "75/47", "67/38")
    old = {r["id"]: r["text"] for r in engine.resolution("67/38")}
    new = {r["id"]: r["text"] for r in engine.resolution("75/47")}
    for pair in result.pairs:
        kept_new = "".join(c.text for c in pair.changes if c.kind != "removed")
        kept_old = "".join(c.text for c in pair.changes if c.kind != "added")
        if pair.new:
            assert kept_new == new[pair.new]
        if pair.old and pair.status in ("same", "removed"):
            assert kept_old == old[pair.old]
        if pair.old and pair.status == "changed":  # whitespace is the new text's
            assert re.sub(r"\s", "", kept_old) == re.sub(r"\s", "", old[pair.old])
    pre13 = next(p for p in result.pairs if p.new == "A/RES/75/47#pre13")
    changed = [(c.kind, c.text) for c in pre13.changes if c.kind != "same"]
    assert ("removed", "2012") in changed and ("added", "2019") in changed
    assert ("removed", "66/32") in changed and ("added", "73/41") in changed
    op4 = next(p for p in result.pairs if p.new == "A/RES/75/47#op4")
    assert [(c.kind, c.text) for c in op4.changes][:2] == [
        ("removed", "强调"),
        ("added", "着重指出"),
    ]


def test_diff_json_shape(engine):
    data = diff(engine, "75/47", "67/38").to_dict()
    assert (data["old"], data["new"]) == ("A/RES/67/38", "A/RES/75/47")
    statuses = {pair["status"] for pair in data["pairs"]}
    assert statuses == {"same", "changed", "added"}  # 75/47 adds its footnotes
    for pair in data["pairs"]:
        assert set(pair) == {"old", "new", "status", "changes"}
        assert all(set(change) == {"kind", "text"} for change in pair["changes"])


def test_diff_of_renumbered_copies(many):
    assert _statuses(diff(many, "71/61", "66/32")) == _statuses(diff(many, "75/47", "67/38"))
    assert diff(many, "71/61").old.symbol == "A/RES/67/38"  # predecessor: 2012, before 2016
    same = diff(many, "74/55", "71/61")
    assert {p.status for p in same.pairs} == {"same"}
    removed = diff(many, "67/38", "75/47")  # backwards: the footnotes go
    assert [p.old for p in removed.pairs if p.status == "removed"] == [
        "A/RES/75/47#fn1",
        "A/RES/75/47#fn2",
        "A/RES/75/47#fn3",
    ]


def test_diff_sees_paragraphs_that_moved(many):
    result = diff(many, SWAPPED[0], "75/47")
    moved = [(p.old, p.new) for p in result.pairs if p.status == "moved"]
    assert len(moved) == 1
    assert moved[0] in {
        ("A/RES/75/47#op1", "A/RES/78/9#op2"),
        ("A/RES/75/47#op2", "A/RES/78/9#op1"),
    }
    assert {p.status for p in result.pairs} == {"same", "moved"}


def test_diff_of_the_oldest_in_its_series_asks_for_old(engine):
    with pytest.raises(QueryError, match="no earlier resolution in its series"):
        diff(engine, "67/38")


# -------------------------------------------------------------------------------------- similar


def test_similar_finds_the_identical_paragraph_of_67_38_first(engine):
    result = similar(engine, "A/RES/75/47#op2")
    assert result.text == IDENTICAL and result.identical == 1
    first = result.hits[0]
    assert (first.id, first.identical, first.score, first.text) == (
        "A/RES/67/38#op2",
        True,
        1.0,
        IDENTICAL,
    )
    assert all(not hit.identical and hit.score < 1 for hit in result.hits[1:])
    scores = [hit.score for hit in result.hits[1:]]
    assert scores == sorted(scores, reverse=True)
    assert "A/RES/75/47#op2" not in [hit.id for hit in result.hits]


def test_similar_finds_the_reworded_paragraph(engine):
    result = similar(engine, "75/47#op4", limit=3)
    assert result.identical == 0
    assert result.hits[0].id == "A/RES/67/38#op4" and 0.5 < result.hits[0].score < 1


def test_similar_across_many_sessions_lists_every_identical_copy_oldest_first(many):
    result = similar(many, "A/RES/75/47#op2", limit=50)
    copies = 2 + len(COPIES) + 2 - 1  # every copy but itself; 78/9 has it as operative 1
    assert result.identical == copies
    identical = [hit for hit in result.hits if hit.identical]
    assert len(identical) == copies
    dates = [hit.date for hit in identical]
    assert dates == sorted(dates) and dates[0] == "2002-11-22"
    assert all(hit.text == IDENTICAL for hit in identical)
    limited = similar(many, "A/RES/75/47#op2", limit=3)
    assert [h.id for h in limited.hits] == [h.id for h in identical[:3]]
    assert limited.identical == copies


@pytest.mark.parametrize(
    "bad, message",
    [
        ("75/47", "is not a paragraph id"),
        ("75/47#op99", "is not in the index"),
        ("99/1#op1", "not in the index"),
    ],
)
def test_similar_bad_ids(engine, bad, message):
    with pytest.raises(QueryError, match=message):
        similar(engine, bad)


# ------------------------------------------------------------------------------ command line


@pytest.fixture(scope="module")
def unres(engine):
    runner = CliRunner(env={"UNRES_INDEX": None, "NO_COLOR": None})
    folder = engine.catalog.directory.parent

    def run(*args):
        return runner.invoke(cli, [*args, "--index", str(folder)], prog_name="unres")

    return run


def test_cli_trace_prints_a_bar_per_session_and_json(unres):
    result = unres("trace", "多边主义")
    assert result.exit_code == 0, result.output
    bars = dict(re.findall(r"^\s+(\d+)\s+(█*) ", result.stdout, re.M))
    assert set(bars) == {str(s) for s in range(67, 76)}  # the sessions between are shown empty
    assert len(bars["67"]) == len(bars["75"]) > len(bars["68"]) > 0 and bars["70"] == ""
    data = json.loads(unres("trace", "多边主义", "--json").stdout)
    assert set(data) == {"query", "total", "first", "latest", "by_session", "resolutions"}
    assert data["by_session"] == {"67": 9, "68": 1, "75": 9}
    assert unres("trace", "安全理事会改革").exit_code == 1


def test_cli_diff_marks_words_without_colour(unres):
    result = unres("diff", "67/38", "75/47")
    assert result.exit_code == 0, result.output
    assert "【-2012】【+2019】" in result.stdout
    assert "【-强调】【+着重指出】必须保留" in result.stdout
    assert "\x1b[" not in result.stdout
    assert json.loads(unres("diff", "75/47", "--json").stdout)["old"] == "A/RES/67/38"


def test_cli_lineage_similar_and_show(unres):
    lineage_out = unres("lineage", "75/47").stdout
    assert re.search(r"^  A/RES/67/38 .*2012-12-03", lineage_out, re.M)
    assert re.search(r"^> A/RES/75/47 ", lineage_out, re.M)
    similar_out = unres("similar", "A/RES/75/47#op2").stdout
    assert similar_out.splitlines()[3].startswith("A/RES/67/38#op2  第67届  2012-12-03  identical")
    show = json.loads(unres("show", "67/38", "--json").stdout)
    assert [c["symbol"] for c in show["cited_by"]] == ["A/RES/75/47"]
    assert show["cited_by"][0]["paragraphs"] == ["A/RES/75/47#pre2"]
    assert [m["symbol"] for m in show["lineage"]] == ["A/RES/67/38", "A/RES/75/47"]
    cites = json.loads(unres("show", "75/47", "--json").stdout)["cites"]
    indexed = [c for c in cites if c["indexed"]]
    assert [c["symbol"] for c in indexed] == ["A/RES/67/38"]
    assert "73/41" in [c["resolution"] for c in cites if not c["indexed"]]
    text = unres("show", "75/47").stdout
    assert "cited by (0):" in text and "lineage (2, oldest first):" in text


@pytest.mark.parametrize(
    "args, message",
    [
        (("diff", "67/38"), "resolution '67/38' has no earlier resolution"),
        (("diff", "1/2", "75/47"), "resolution '1/2' is not in the index"),
        (("similar", "75/47#op99"), "paragraph '75/47#op99' is not in the index"),
        (("lineage", "nonsense"), "'nonsense' is not a resolution number such as 68/46"),
        (("trace", "("), "query '('"),
        (("trace", " "), "give a wording to trace"),
        (("similar", ""), "'' is not a paragraph id"),
        (("lineage", ""), "'' is not a resolution number such as 68/46"),
    ],
)
def test_cli_errors_are_one_line(unres, args, message):
    result = unres(*args)
    assert result.exit_code == 2
    assert result.stdout == "" and "Traceback" not in result.output
    [line] = result.stderr.splitlines()
    assert line.startswith(f"Error: {message}"), line


def test_cli_diff_in_colour_on_a_terminal(engine, monkeypatch):
    monkeypatch.setattr("search.cli._use_color", lambda: True)
    runner = CliRunner(env={"UNRES_INDEX": None, "NO_COLOR": None})
    folder = engine.catalog.directory.parent
    result = runner.invoke(cli, ["diff", "67/38", "75/47", "--index", str(folder)], color=True)
    assert result.exit_code == 0, result.output
    assert "【" not in result.stdout  # no markers, only colour
    op4 = next(line for line in result.stdout.splitlines() if "op4" in line)
    assert "\x1b[31m\x1b[9m强调\x1b[0m" in op4  # removed: red, struck through
    assert "\x1b[32m\x1b[4m着重指出\x1b[0m" in op4  # added: green, underlined


def test_readme_agreed_language_shows_real_output(unres):
    """Every console block of the README's section is what the command prints today."""
    readme = (CORPUS.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Agreed language", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```console\n\$ unres (.*?)\n(.*?)```", section, re.DOTALL)
    assert len(blocks) == 6
    for command, shown in blocks:
        args, *pipes = command.split(" | ")
        result = unres(*shlex.split(args))
        assert result.exit_code == 0, command
        out = result.stdout.splitlines()
        for pipe in pipes:
            tool, *rest = shlex.split(pipe)
            if tool == "tail":
                out = out[-int(rest[-1]) :]
            elif rest[0] == "-v":
                out = [line for line in out if not re.search(rest[1], line)]
            else:
                out = [line for line in out if re.search(rest[0], line)]
        assert out == shown.splitlines(), command
