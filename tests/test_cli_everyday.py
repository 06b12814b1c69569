"""What translators and delegates trip over on the command line: full-width syntax, mistyped
options, the concordance view, snippets, spreadsheets, and the small surprises of issue 12."""

import csv
import io
import json
import re
import subprocess
import sys
import unicodedata

import pytest
from conftest import CORPUS, REPO, lines, search_json

from search.cli import cli

FILE_68_46 = CORPUS / "000_00f2a18be826c79a.txt"

# ---------------------------------------------------------------------------- full-width syntax


@pytest.mark.parametrize(
    ("typed", "meant", "meaning"),
    [
        ("“核 裁军”", '"核 裁军"', "a phrase"),
        ("（多边 OR 双边） 裁军", "(多边 OR 双边) 裁军", "a group"),
        ("裁军 －核", "裁军 -核", "an exclusion"),
        ("session：68 裁军", "session:68 裁军", "a filter"),
        ("决定 or 请", "决定 OR 请", "an operator"),
    ],
)
def test_full_width_syntax_that_finds_nothing_gets_the_ascii_query(unres, typed, meant, meaning):
    result = unres("search", typed)
    assert result.exit_code == 1  # nothing found for what was typed
    total = search_json(unres, meant)["total"]
    assert total > 0
    assert lines(result.stdout)[0] == (
        f"0 paragraphs for {typed} (showing none); did you mean {meant} ({meaning})? "
        f"{total} paragraphs"
    )
    assert search_json(unres, typed)["did_you_mean"] == {
        "query": meant,
        "total": total,
        "meanings": [meaning],
    }


def test_full_width_quotes_are_still_searched_as_text(unres):
    result = search_json(unres, "题为“全面彻底裁军”的项目")
    assert result["total"] > 0 and "did_you_mean" not in result
    assert all("题为“全面彻底裁军”的项目" in hit["text"] for hit in result["hits"])


# ---------------------------------------------------------------------------- mistyped options


def test_an_excluded_word_that_looks_like_an_option_is_warned_about(unres):
    result = unres("search", "核", "-session", "68")
    assert lines(result.stderr) == [
        'Warning: -session excludes the word "session" and "68" is searched; did you mean '
        "--session? (quote it to search for it as written)"
    ]


def test_a_short_option_that_does_not_exist_is_warned_about(unres):
    result = unres("search", "核", "-n", "3")
    assert lines(result.stderr) == [
        'Warning: -n excludes the word "n" and "3" is searched; it is not an option (quote it '
        "to search for it as written)"
    ]


def test_a_searched_option_name_is_warned_about(unres):
    result = unres("search", "核", "session", "68")
    assert "did you mean --session?" in result.stderr


def test_a_mistyped_long_option_offers_the_right_one(unres):
    result = unres("search", "核", "--sesion", "68")
    assert result.exit_code == 2
    assert "no such option: --sesion; did you mean --session?" in result.stderr


# ---------------------------------------------------------------------------- concordance


def display_columns(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def test_kwic_puts_every_match_on_a_line_with_the_matches_in_one_column(unres):
    result = unres("search", "多边主义", "--kwic", "--context", "10", "--limit", "50")
    assert result.exit_code == 0
    found = search_json(unres, "多边主义", "--limit", "50")
    spans = sum(len(hit["highlights"]) for hit in found["hits"])
    body = [line for line in lines(result.stdout)[1:] if line]
    assert len(body) == spans > found["total"]  # some paragraphs say it twice
    columns = {display_columns(line[: line.index("【")]) for line in body}
    assert columns == {20}  # ten characters of context, two columns each
    ids = [line.rsplit(" ", 1)[1] for line in body]
    assert set(ids) == {hit["id"] for hit in found["hits"]}
    assert all("【多边主义】" in line for line in body)


def test_kwic_in_json_and_csv_gives_left_match_right(unres):
    data = search_json(unres, "多边主义", "--kwic", "--context", "5", "--limit", "3")
    for hit in data["hits"]:
        assert [line["match"] for line in hit["kwic"]] == ["多边主义"] * len(hit["highlights"])
        for line, (start, end) in zip(hit["kwic"], hit["highlights"]):
            assert line["left"] == hit["text"][max(0, start - 5) : start]
            assert line["right"] == hit["text"][end : end + 5]
    result = unres(
        "search", "多边主义", "--kwic", "--context", "5", "--csv", "--no-bom", "--limit", "3"
    )
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(row["left"], row["match"], row["right"]) for row in rows] == [
        (line["left"], line["match"], line["right"]) for hit in data["hits"] for line in hit["kwic"]
    ]


# ---------------------------------------------------------------------------- snippets


def test_a_long_paragraphs_snippet_shows_the_match(unres):
    # 67/38's preamble 2 is 292 characters long and cites 66/32 at its very end
    result = unres("search", '"第 66/32 号决议"', "--resolution", "67/38", "--type", "preamble")
    out = lines(result.stdout)
    snippet = out[out.index("A/RES/67/38  第67届  2012-12-03  preamble  回顾") + 1]
    assert snippet.startswith("  …") and snippet.endswith("【第 66/32 号决议】，")


def test_a_cites_filter_marks_the_citation(unres):
    result = unres("search", "--cites", "66/32")
    assert result.exit_code == 0
    assert "【66/32】" in result.stdout
    hits = search_json(unres, "--cites", "56/24T")["hits"]
    assert hits and all(
        hit["text"][start:end].replace(" ", "") == "56/24T"
        for hit in hits
        for start, end in hit["highlights"]
    )


# ---------------------------------------------------------------------------- header fields


def test_report_and_committee_filter_and_query_fields(unres):
    by_option = search_json(unres, "--report", "a/68/411", "--limit", "100")
    assert by_option["total"] == 30
    assert {hit["symbol"] for hit in by_option["hits"]} == {"A/RES/68/46"}
    assert search_json(unres, "report:A/68/411")["total"] == 30
    committee = search_json(unres, "committee:第一委员会", "--limit", "1000")
    first_committee = {
        json.loads(line)["symbol"]
        for line in lines(unres("export").stdout)
        if json.loads(line)["committee"] == "第一委员会"
    }
    assert {hit["symbol"] for hit in committee["hits"]} == first_committee
    assert search_json(unres, "--committee", "第六委员会")["total"] == 0


def test_a_query_that_is_a_resolution_number_points_to_show(unres):
    result = unres("search", "a/res/68/46")
    assert "a/res/68/46 is resolution 68/46: unres show 68/46" in lines(result.stdout)


# ---------------------------------------------------------------------------- spreadsheets


def test_csv_all_gives_every_match_with_the_export_columns(unres):
    result = unres("search", "核", "--csv", "--all")
    assert result.stdout.startswith("\ufeffid,")
    rows = list(csv.DictReader(io.StringIO(result.stdout.removeprefix("\ufeff"))))
    assert len(rows) == search_json(unres, "核")["total"] > 10
    assert "score" not in rows[0]
    exported = {
        json.loads(line)["id"]: json.loads(line) for line in lines(unres("export", "核").stdout)
    }
    for row in rows:
        record = exported[row["id"]]
        assert row["cites"] == "; ".join(record["cites"])
        assert row["report"] == (record["report"] or "")


# ---------------------------------------------------------------------------- small surprises


def test_reversed_dates_are_an_error(unres):
    result = unres("search", "核", "--from", "2017", "--to", "2013")
    assert result.exit_code == 2
    assert result.stderr == "Error: dates run backwards: from 2017 is after to 2013; swap them\n"


def test_the_header_repeats_the_filters(unres):
    options = ("--session", "68", "--type", "operative", "--verb", "决定")
    total = search_json(unres, "裁军", *options)["total"]
    result = unres("search", "裁军", *options, "--limit", "1")
    assert lines(result.stdout)[0] == (
        f"{total} paragraphs for 裁军 with session 68, type operative, verb 决定 (showing 1-1)"
    )


def test_a_closed_pipe_ends_quietly(built):
    index_dir, _ = built
    done = subprocess.run(
        f"{sys.executable} -m search search 核 --limit 200 --full --index {index_dir} | head -1",
        shell=True,
        capture_output=True,
        text=True,
        cwd=REPO,
        executable="/bin/bash",
        check=False,
    )
    assert done.stderr == ""
    assert done.stdout.startswith("55 paragraphs for 核")


def test_one_resolution_is_singular_and_skipped_kinds_are_counted(runner, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "68-46.txt").write_bytes((CORPUS / "000_00f2a18be826c79a.txt").read_bytes())
    for name in ("a.doc", "b.doc", "c.rtf"):
        (folder / name).write_bytes(b"x")
    result = runner.invoke(cli, ["index", str(folder), "--index", str(tmp_path / "ix")])
    assert result.exit_code == 0
    assert lines(result.stdout)[0].startswith("1 resolution indexed (1 new,")
    assert "Not resolution files, skipped: .doc: 2, .rtf: 1" in result.output


def test_search_help_documents_the_syntax_rules(runner):
    text = runner.invoke(cli, ["search", "--help"]).stdout
    assert "Only ASCII characters are syntax" in text
    assert "traditional" in text
    assert re.search(r"--kwic", text) and "--no-bom" in text


def test_a_resolution_read_from_another_file_is_reported(runner, tmp_path):
    index_dir = str(tmp_path / "ix")
    assert runner.invoke(cli, ["index", "--index", index_dir]).exit_code == 0
    copy = tmp_path / "mine" / "68-46.txt"
    copy.parent.mkdir()
    copy.write_text(FILE_68_46.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    result = runner.invoke(cli, ["index", str(copy.parent), "--index", index_dir])
    assert result.exit_code == 0
    assert f"Note: {copy}: A/RES/68/46 replaces the one indexed from " in result.stderr
    assert str(FILE_68_46.name) in result.stderr


def test_no_samples_drops_the_bundled_five_but_not_your_copy_of_one(runner, tmp_path):
    index_dir = str(tmp_path / "ix")
    copy = tmp_path / "mine" / "68-46.txt"
    copy.parent.mkdir()
    copy.write_text(FILE_68_46.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    runner.invoke(cli, ["index", "--index", index_dir])
    runner.invoke(cli, ["index", str(copy.parent), "--index", index_dir])
    result = runner.invoke(cli, ["index", "--no-samples", "--index", index_dir])
    assert result.exit_code == 0
    removed = [line for line in lines(result.stdout) if line.startswith("removed the sample")]
    assert len(removed) == 4 and not any("68/46" in line for line in removed)
    stats = json.loads(runner.invoke(cli, ["stats", "--json", "--index", index_dir]).stdout)
    assert stats["resolutions"] == 1 and stats["paragraphs"] == 30
    fresh = str(tmp_path / "fresh")
    result = runner.invoke(cli, ["index", str(copy.parent), "--no-samples", "--index", fresh])
    assert lines(result.stdout)[0].startswith("1 resolution indexed (1 new,")


def test_the_header_repeats_the_body_filter(unres):
    result = unres("search", "裁军", "--body", "ga", "--limit", "1")
    total = search_json(unres, "裁军", "--body", "GA")["total"]
    assert lines(result.stdout)[0] == f"{total} paragraphs for 裁军 with body GA (showing 1-1)"
