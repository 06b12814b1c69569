"""Smoke tests of the benchmark scripts: the corpus generator, the peers, bench.py's machinery."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SCRIPTS = REPO / "scripts"
sys.path.insert(0, str(SCRIPTS))

import make_corpus  # noqa: E402
import peers  # noqa: E402

# Real paragraphs, from 68/46, 67/38 and 72/251 (index_data/).
PARAGRAPHS = [
    "深为关切核武器的任何使用都会导致灾难性人道主义后果，",
    "重申多边主义是解决裁军和不扩散问题的核心原则；",
    "决定在大会第六十九届会议临时议程题为“全面彻底裁军”的项目下列入题为“推进多边核裁军谈判”的分项。",
    "请秘书长征求会员国对有关促进裁军和不扩散领域多边主义问题的意见，并就此向大会第六十八届会议提出报告；",
    "呼吁紧急遵守有关核裁军的法律义务，履行作出的承诺；",
]


def _parse_api():
    import search.parser as parser  # not importable is a failure, never a skip

    if not (hasattr(parser, "parse_file") and hasattr(parser, "ParseError")):
        pytest.skip("search.parser has no parse_file/ParseError yet")
    return parser


def test_generated_files_all_parse_as_generated(tmp_path):
    parser = _parse_api()
    manifest = make_corpus.generate(
        tmp_path, count=30, seed=7, markdown_share=0.3, jobs=1, check=True
    )
    assert manifest["check"]["failures"] == 0, manifest["check"]["examples"]
    files = sorted(tmp_path.glob("*.txt"))
    assert len(files) == manifest["count"] == 30
    assert 0 < manifest["files"]["markdown"] < 30
    numbers, paragraphs = set(), 0
    for path in files:
        resolution = parser.parse_file(path)
        numbers.add(resolution.number)
        paragraphs += len(resolution.paragraphs)
        assert {p.type for p in resolution.paragraphs} >= {"preamble", "operative"}
        assert all(p.verb for p in resolution.paragraphs if p.type != "footnote")
    assert len(numbers) == 30  # SS/NN unique across the corpus
    assert paragraphs == manifest["paragraphs"]
    saved = json.loads((tmp_path / "manifest.json").read_text("utf-8"))
    assert saved["seed"] == 7 and saved["count"] == 30


def test_both_shapes_look_like_the_bundled_files(tmp_path):
    make_corpus.generate(tmp_path, count=30, seed=3, markdown_share=0.5, jobs=1, wild_share=0)
    texts = [p.read_text("utf-8") for p in sorted(tmp_path.glob("*.txt"))]
    markdown = [t for t in texts if "\n## " in t]
    pdf = [t for t in texts if "\n## " not in t]
    assert markdown and pdf
    assert all("大会，\n" in t and "**" in t and "次全体会议" in t for t in markdown)
    assert any("大会大会大会大会， " in t for t in pdf)
    assert any("_______________" in t for t in pdf)
    assert all("\n\n" in t and "次全体会议 " in t for t in pdf)


def test_shapes_found_on_the_web_parse_as_generated(tmp_path):
    manifest = make_corpus.generate(
        tmp_path, count=40, seed=5, markdown_share=0, jobs=1, check=True, wild_share=1
    )
    assert manifest["check"]["failures"] == 0, manifest["check"]["examples"]
    texts = [p.read_text("utf-8") for p in sorted(tmp_path.glob("*.txt"))]
    one_line = [t for t in texts if t.startswith(("首页 |", "联合国 |"))]
    assert one_line and all(len(t.splitlines()) == 2 and "," in t for t in one_line)
    assert any(
        re.search(r"^[〇一二三四五六七八九]+ \([一二三四五六七八九十]+\)\. ", t, re.M)
        for t in texts
    )
    assert any("\nA\n" in t and "\nB\n" in t for t in texts)  # parts
    assert any("大會" in t for t in texts)  # traditional characters


def test_generation_is_deterministic(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    make_corpus.generate(first, count=8, seed=11, jobs=1)
    make_corpus.generate(second, count=8, seed=11, jobs=1)
    names = sorted(p.name for p in first.glob("*.txt"))
    assert names == sorted(p.name for p in second.glob("*.txt"))
    assert all((first / n).read_bytes() == (second / n).read_bytes() for n in names)


def test_paragraph_target_stops_once_reached():
    plans = make_corpus.make_plan(5, None, 1000, 0.2)
    total = sum(p.paragraphs for p in plans)
    assert total >= 1000 > total - plans[-1].paragraphs


def test_brute_force_is_an_exact_substring_scan():
    with peers.BruteForce() as brute:
        brute.build(PARAGRAPHS)
        assert brute.search("裁军") == (4, [1, 2, 3, 4])
        assert brute.search("核", limit=2) == (4, [0, 1])  # 核心 holds 核 too
        assert brute.matches("多边主义") == {1, 3}
        assert brute.matches('"核 裁军"') == {2, 4}  # the space in a Chinese phrase is layout
        assert brute.matches("决定 OR 请") == {2, 3}
        assert brute.matches("裁军 核") == {1, 2, 4}
        assert brute.matches("核查") == set()
        with pytest.raises(peers.QueryError):
            brute.matches("决定 OR")


def test_fts5_trigram_matches_three_characters_and_more_only():
    if not peers.Fts5Trigram.available():
        pytest.skip("this SQLite has no FTS5 trigram tokenizer")
    with peers.Fts5Trigram() as fts:
        fts.build(PARAGRAPHS)
        assert fts.matches("多边主义") == {1, 3}
        assert fts.matches('"核 裁军"') == {2, 4}
        total, top = fts.search("核裁军")
        assert total == 2 and sorted(top) == [2, 4]
        assert fts.search("裁军") == (0, [])  # two characters: no trigram to look up
        assert fts.size_bytes() > 0


def test_whoosh_jieba_peer_finds_whole_words():
    with peers.WhooshJieba() as whoosh:
        whoosh.build(PARAGRAPHS)
        total, top = whoosh.search("裁军")
        assert total == len(whoosh.matches("裁军")) == 4 and sorted(top) == [1, 2, 3, 4]
        assert whoosh.build_seconds > 0


@pytest.mark.slow
def test_bench_machinery_on_a_tiny_corpus(tmp_path):
    out = tmp_path / "results.json"
    done = subprocess.run(
        [
            sys.executable,
            str(SCRIPTS / "bench.py"),
            "--sizes",
            "300",
            "--out",
            str(out),
            "--corpus-dir",
            str(tmp_path / "corpora"),
            "--reps",
            "3",
            "--cold-runs",
            "1",
            "--skip-sweep",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=str(REPO),
    )
    assert done.returncode == 0, done.stderr[-2000:]
    results = json.loads(out.read_text("utf-8"))
    assert set(results) >= {"machine", "settings", "sizes", "cold"}
    (entry,) = results["sizes"]
    assert entry["paragraphs"] >= 300
    assert set(entry) >= {"paragraphs", "files", "text_mb", "queries", "unres", "peers"}
    names = [spec["name"] for spec in entry["queries"]]
    assert set(entry["peers"]) == set(peers.PEERS)
    for data in entry["peers"].values():
        assert set(data["build"]) >= {"seconds", "peak_rss_mb", "index_mb"}
    brute = entry["peers"]["brute-force"]["search"]
    assert all(brute[name]["recall"] in (1.0, None) for name in brute)
    unres = entry["unres"]
    try:
        import search.engine
        import search.indexer  # noqa: F401
    except ImportError:
        assert "error" in unres
    else:
        assert set(unres["index"]) >= {
            "seconds",
            "paragraphs_per_second",
            "peak_rss_mb",
            "index_mb",
        }
        assert set(unres["search"]) == set(names)
        agreed = unres["agreed"]
        assert set(agreed) == {"trace four chars", "trace common word", "similar"}
        assert all("error" not in cell and cell["p50_ms"] > 0 for cell in agreed.values())
        assert agreed["trace common word"]["total"] == unres["search"]["common word"]["total"]
        assert set(results["cold"]) == {"bundled", "largest"}
        assert unres["add_one"]["added"] == 1 and "kill_sweep" not in unres
    assert "common word" in done.stdout and "trace common word" in done.stdout
