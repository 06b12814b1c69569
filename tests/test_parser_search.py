"""The wild resolutions once indexed: filters by body, parts and old or Council numbers,
citations in every form, and script-blind matching with highlights on the printed text."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from search.cli import cli
from search.engine import Engine, Filters, QueryError
from search.indexer import index_paths

DATA = Path(__file__).resolve().parent / "data"
REFUSED = "ga_61_211_operative_partial_pdftext.txt"


@pytest.fixture(scope="module")
def wild_folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("wild")
    for source in [*(DATA / "wild").glob("*.txt"), *(DATA / "made").glob("*.txt")]:
        shutil.copy(source, folder / source.name)
    return folder


@pytest.fixture(scope="module")
def indexed(wild_folder, tmp_path_factory):
    index_dir = tmp_path_factory.mktemp("index")
    report = index_paths([wild_folder], index_dir)
    return report, Engine.open(index_dir)


def symbols(result) -> set[str]:
    return {hit.symbol for hit in result.hits}


def test_every_text_with_a_number_is_indexed_and_partial_ones_say_so(indexed):
    report, engine = indexed
    assert [(Path(path).name, problem.split(":")[0]) for path, problem in report.failed] == [
        (REFUSED, "not a resolution")
    ]
    assert report.added == 14
    warned = sorted({Path(path).name for path, _ in report.warnings})
    assert warned == [
        "ga_2758_XXVI_blog_trad_bilingual.txt",
        "ga_3390_XXX_A_unfocusmirror_partial.txt",
        "ga_50_72_static_un_org_partial.txt",
    ]
    assert engine.stats()["resolutions"] == 14 + 2  # 50/72 and 56/24 each count two parts


def test_body_filter(indexed):
    _, engine = indexed
    council = engine.search(None, Filters(bodies=["SC"]), limit=200)
    assert {hit.body for hit in council.hits} == {"SC"}
    assert symbols(council) == {
        "S/RES/2446 (2018)", "S/RES/368 (1975)", "S/RES/56 (1948)", "S/RES/1325 (2000)",
    }  # fmt: skip
    assert all(hit.session is None for hit in council.hits)
    assert (
        engine.search("body:SC 决定", limit=200).total
        == engine.search("决定", Filters(bodies=["SC"]), limit=200).total
    )
    assembly = engine.search("决定", Filters(bodies=["GA"]), limit=200)
    assert all(hit.symbol.startswith("A/RES/") for hit in assembly.hits)
    with pytest.raises(QueryError, match="body 'UN' is unknown"):
        engine.search("决定", Filters(bodies=["UN"]))


def test_sessions_of_old_numbers_come_from_the_roman_numeral(indexed):
    _, engine = indexed
    assert symbols(engine.search(None, Filters(sessions=[(26, 26)]), limit=50)) == {
        "A/RES/2758 (XXVI)"
    }
    by_session = engine.stats()["by_session"]
    assert set(by_session) == {1, 15, 17, 26, 30, 11, 50, 54, 56, 73}


def test_resolution_filter_takes_every_part_or_one(indexed):
    _, engine = indexed
    both = engine.search(None, Filters(resolutions=["50/72"]), limit=100)
    assert {hit.part for hit in both.hits} == {"A", "B"}
    one = engine.search(None, Filters(resolutions=["50/72 B"]), limit=100)
    assert {hit.part for hit in one.hits} == {"B"} and one.total == 5
    assert [record["id"] for record in engine.resolution("50/72 B")][:2] == [
        "A/RES/50/72#B.pre13",
        "A/RES/50/72#B.pre14",
    ]
    assert "A/RES/50/72#A.op9" in {record["id"] for record in engine.resolution("50/72")}
    old = engine.search(None, Filters(resolutions=["二七五八 (二十六)"]), limit=50)
    assert symbols(old) == {"A/RES/2758 (XXVI)"}
    assert engine.search(None, Filters(resolutions=["S/RES/368 (1975)"]), limit=50).total == 9


def test_part_titles_rank_their_own_part(indexed):
    _, engine = indexed
    hits = engine.search("裁军周", limit=5).hits
    assert hits[0].resolution == "50/72" and hits[0].part == "B"


@pytest.mark.parametrize(
    ("number", "cited_in"),
    [
        ("3333 (XXIX)", {"A/RES/3390 (XXX)"}),
        ("711 A (VII)", {"A/RES/3390 (XXX)"}),
        ("S/RES/2387 (2017)", {"S/RES/2446 (2018)"}),
        ("2121(2013)", {"S/RES/2446 (2018)"}),  # inside a list 第2121(2013)、2127(2013)…号决议
        ("五十四(一九四八)", {"S/RES/56 (1948)"}),  # 決議案五十四(一九四八)
        ("338 (1973)", {"S/RES/368 (1975)"}),
        ("47/202 C", {"A/RES/56/24"}),  # 第47/202 A至D号决议
        ("47/202", {"A/RES/56/24"}),  # every part of it
        ("626 (VII)", {"A/RES/1803 (XVII)"}),
    ],
)
def test_cites_every_form(indexed, number, cited_in):
    _, engine = indexed
    assert symbols(engine.search(None, Filters(cites=[number]), limit=50)) == cited_in


def test_verbs_are_simplified_so_either_script_finds_them(indexed):
    _, engine = indexed
    simplified = engine.search(None, Filters(verbs=["决定"], bodies=["GA"]), limit=100)
    traditional = engine.search(None, Filters(verbs=["決定"], bodies=["GA"]), limit=100)
    assert simplified.total == traditional.total
    assert "A/RES/2758 (XXVI)" in symbols(simplified)
    resolved = engine.search(None, Filters(verbs=["决议"]), limit=50)
    assert {hit.lead for hit in resolved.hits} == {"決議", "爰決議"}


def test_matching_is_script_blind_and_highlights_land_on_printed_characters(indexed):
    _, engine = indexed
    simplified = engine.search("未独立民族", limit=20)
    traditional = engine.search("未獨立民族", limit=20)
    assert simplified.total == traditional.total > 0
    hit = next(h for h in simplified.hits if h.symbol == "A/RES/1514 (XV)")
    assert {hit.text[start:end] for start, end in hit.highlights} == {"未獨立民族"}
    mixed = engine.search("聯合國憲章", limit=50)
    assert {"A/RES/1514 (XV)", "A/RES/2758 (XXVI)", "S/RES/2446 (2018)"} <= symbols(mixed)


def test_cli_index_prints_warnings_and_refusals_on_stderr(wild_folder, tmp_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["index", str(wild_folder), "--index", str(tmp_path / "ix")])
    assert result.exit_code == 2  # one file refused
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert errors == [
        f"Error: {wild_folder / REFUSED}: not a resolution: no number of its own (no title "
        "line such as '68/46. 标题', heading such as '第2446(2018)号决议' or symbol such as "
        "A/RES/68/46)"
    ]
    assert (
        f"Warning: {wild_folder / 'ga_3390_XXX_A_unfocusmirror_partial.txt'}: no adoption date found"
        in result.stderr.splitlines()
    )
    (wild_folder / REFUSED).rename(tmp_path / REFUSED)
    try:
        again = runner.invoke(cli, ["index", str(wild_folder), "--index", str(tmp_path / "ix2")])
    finally:
        (tmp_path / REFUSED).rename(wild_folder / REFUSED)
    assert again.exit_code == 0  # warnings alone do not fail the run
    assert "Warning: " in again.stderr


def test_cli_search_shows_the_council_without_a_session(indexed, wild_folder, tmp_path):
    runner = CliRunner()
    index_dir = tmp_path / "ix"
    runner.invoke(
        cli, ["index", str(wild_folder / "sc_368_1975_wikisource.txt"), "--index", str(index_dir)]
    )
    result = runner.invoke(cli, ["search", "紧急部队", "--body", "sc", "--index", str(index_dir)])
    assert result.exit_code == 0
    assert "S/RES/368 (1975)  安理会  1975-04-17  " in result.stdout
    data = json.loads(
        runner.invoke(cli, ["search", "紧急部队", "--json", "--index", str(index_dir)]).stdout
    )
    assert {(hit["body"], hit["session"]) for hit in data["hits"]} == {("SC", None)}


@pytest.mark.parametrize("query", ["决定", "安全理事会", "決議"])
def test_facets_of_a_search_are_those_of_its_selection(indexed, query):
    _, engine = indexed
    result = engine.search(query, limit=1, with_facets=True)
    assert result.facets == engine.facets(query)
    exported = list(engine.export(query))
    council = sum(1 for record in exported if record["body"] == "SC")
    assert result.facets["by_body"] == {
        body: n for body, n in (("GA", len(exported) - council), ("SC", council)) if n
    }
    assert council and len(exported) - council  # both bodies in the result
