"""Searching an index of the bundled corpus: exact recall, filters, ranking and highlights.

Every expectation is computed from the parse of the corpus files (brute force), never typed in.
"""

import random
import subprocess
import sys

import pytest
from conftest import CORPUS

from search.analysis import segment
from search.clauses import normalize_verb
from search.engine import Engine, Filters, QueryError
from search.index import documents
from search.indexer import index_paths
from search.normalize import normalize
from search.parser import parse_file

EVERYTHING = 10**6
NAMED_QUERIES = [
    "多边主义",
    "核武器",
    "边主",
    "核",
    "A/68/27",
    "67/56",
    "56/67",
    "2013年",
    "2013 年",
    "裁军谈判会议",
    "不扩散",
    "决定",
    "决心",
    "秘书长",
    "S-10/2",
    "a/68/27",
    "，",
    "。",
]


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("index")
    report = index_paths([CORPUS], folder)
    assert report.failed == [] and report.added == 5
    return folder


@pytest.fixture(scope="module")
def engine(index_dir):
    return Engine.open(index_dir)


@pytest.fixture(scope="module")
def paragraphs():
    """Every paragraph of the corpus: (id, record-like dict, normalized text)."""
    rows = []
    for path in sorted(CORPUS.glob("*.txt")):
        resolution = parse_file(path)
        first, *rest = documents(resolution, str(path), "-")
        meta = first["record"]  # the resolution's metadata is stored with its first paragraph
        for document in [first, *rest]:
            record = {**meta, **document["record"]}
            rows.append((record["id"], record, normalize(document["text"])))
    return rows


def ids(result):
    return {hit.id for hit in result.hits}


def brute_force(paragraphs, query):
    term = normalize(query)
    return {pid for pid, _, text in paragraphs if term in text}


def as_query(text):
    """The query that searches for ``text`` itself: quoted when it holds query syntax."""
    if any(c in text for c in ' ()（）"“”:：|-\\') or text in ("OR", "NOT"):
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return text


def sampled_queries(paragraphs, count=320, seed=20261123):
    rng = random.Random(seed)
    queries = []
    while len(queries) < count:
        _, _, text = rng.choice(paragraphs)
        length = rng.randint(1, 6)
        if len(text) < length:
            continue
        start = rng.randrange(len(text) - length + 1)
        query = text[start : start + length]
        if query.strip() and '"' not in query and query.strip() == query:
            queries.append(query)
    return queries


def test_index_holds_every_paragraph(engine, paragraphs):
    assert engine.catalog.count == len(paragraphs)
    assert {record["id"] for record in engine.export()} == {pid for pid, _, _ in paragraphs}


def test_recall_and_precision_are_exact(engine, paragraphs):
    queries = sampled_queries(paragraphs) + NAMED_QUERIES
    assert len(queries) >= 300
    wrong = []
    for query in queries:
        result = engine.search(as_query(query), limit=EVERYTHING)
        expected = brute_force(paragraphs, query)
        if ids(result) != expected or result.total != len(expected):
            wrong.append((query, result.total, len(expected)))
    assert wrong == []


def test_examples_from_the_issue(engine, paragraphs):
    assert engine.search("56/67", limit=EVERYTHING).total == 0
    assert (
        engine.search("67/56", limit=EVERYTHING).total == len(brute_force(paragraphs, "67/56")) > 0
    )
    found = ids(engine.search("核武器", limit=EVERYTHING))
    assert {pid for pid, _, text in paragraphs if "无核武器世界" in text} <= found
    assert ids(engine.search("边主", limit=EVERYTHING)) == brute_force(
        paragraphs, "多边主义"
    ) | brute_force(paragraphs, "边主")
    assert engine.search("2013年").total == engine.search('"2013 年"').total > 0


def test_word_split_apart_does_not_match(engine, paragraphs):
    together = brute_force(paragraphs, "多边裁军")
    apart = {pid for pid, _, text in paragraphs if "多边" in text and "裁军" in text} - together
    assert apart, "the corpus has paragraphs with 多边 and 裁军 apart"
    assert not apart & ids(engine.search("多边裁军", limit=EVERYTHING))


def test_boolean_operators(engine, paragraphs):
    nuclear, disarm = brute_force(paragraphs, "核"), brute_force(paragraphs, "裁军")
    assert ids(engine.search("核 裁军", limit=EVERYTHING)) == nuclear & disarm
    assert ids(engine.search("核 OR 裁军", limit=EVERYTHING)) == nuclear | disarm
    assert ids(engine.search("裁军 -核", limit=EVERYTHING)) == disarm - nuclear
    assert ids(engine.search("裁军 NOT 核", limit=EVERYTHING)) == disarm - nuclear
    phrase = brute_force(paragraphs, "核裁军谈判")
    assert phrase and ids(engine.search('"核 裁军 谈判"', limit=EVERYTHING)) == phrase


def expected_by(paragraphs, keep):
    return {pid for pid, record, _ in paragraphs if keep(record)}


def test_filters_select_exactly(engine, paragraphs):
    def run(**filters):
        return ids(engine.search(None, Filters(**filters), limit=EVERYTHING))

    assert run(verbs=["决定"]) == expected_by(paragraphs, lambda r: r["verb"] == "决定")
    assert run(verbs=["又决定"]) == run(verbs=["决定"])
    assert not run(verbs=["决定"]) & expected_by(paragraphs, lambda r: r["verb"] == "决心")
    assert run(sessions=[(68, 68)]) == expected_by(paragraphs, lambda r: r["session"] == 68)
    assert run(sessions=[(67, 70)]) == expected_by(paragraphs, lambda r: 67 <= r["session"] <= 70)
    assert run(types=["operative"]) == expected_by(paragraphs, lambda r: r["type"] == "operative")
    assert run(resolutions=["A/RES/68/46"]) == expected_by(
        paragraphs, lambda r: r["resolution"] == "68/46"
    )
    assert run(cites=["67/56"]) == expected_by(paragraphs, lambda r: "67/56" in r["cites"])
    assert run(cites=["56/24T"]) == expected_by(paragraphs, lambda r: "56/24 T" in r["cites"])
    assert run(date_from="2013", date_to="2017-12") == expected_by(
        paragraphs, lambda r: "2013-01-01" <= r["date"] <= "2017-12-31"
    )
    assert run(date_from="2020-12-07") == expected_by(
        paragraphs, lambda r: r["date"] >= "2020-12-07"
    )


def test_filters_in_the_query_language_match_the_options(engine):
    by_option = engine.search("多边主义", Filters(sessions=[(75, 75)]), limit=EVERYTHING)
    by_query = engine.search("多边主义 session:75", limit=EVERYTHING)
    assert ids(by_option) == ids(by_query) and by_query.total > 0
    assert ids(engine.search("verb:决定", limit=EVERYTHING)) == ids(
        engine.search(None, Filters(verbs=["决定"]), limit=EVERYTHING)
    )


def test_verb_filter_uses_the_normalized_verb():
    assert normalize_verb("又决定") == "决定"


def test_every_highlight_is_the_query_term(engine):
    for query in ["多边主义", "核", "2013年", "A/68/27", "裁军 会议", '"核 裁军"']:
        result = engine.search(query, limit=EVERYTHING)
        terms = (
            {normalize(t.strip('"')) for t in query.split()}
            if '"' not in query
            else {normalize(query.strip('"'))}
        )
        assert result.hits
        for hit in result.hits:
            assert hit.highlights
            for start, end in hit.highlights:
                assert any(t in normalize(hit.text[start:end]) for t in terms)
                assert normalize(hit.text[start:end]) in terms or len(terms) > 1


def test_whole_word_ranks_above_part_of_word(engine):
    hits = engine.search("多边", limit=EVERYTHING).hits

    def whole(hit):
        text = normalize(hit.text)
        return any(text[s:e] == "多边" for s, e in segment(text))

    flags = [whole(hit) for hit in hits]
    assert True in flags and False in flags
    assert flags == sorted(flags, reverse=True)


def test_title_counts_in_ranking(engine):
    hits = engine.search("推进", limit=EVERYTHING).hits
    in_title = [h for h in hits if "推进" in h.title]
    assert in_title and hits[0].title == "推进多边核裁军谈判"


def test_total_counts_beyond_the_page(engine, paragraphs):
    result = engine.search("裁军", limit=3, offset=3)
    assert len(result.hits) == 3 and result.total == len(brute_force(paragraphs, "裁军"))
    first_six = [h.id for h in engine.search("裁军", limit=6).hits]
    assert [h.id for h in result.hits] == first_six[3:]


def test_sort_by_date(engine):
    dates = [h.date for h in engine.search("多边主义", limit=EVERYTHING, sort="date").hits]
    assert dates == sorted(dates)
    dates = [h.date for h in engine.search("多边主义", limit=EVERYTHING, sort="-date").hits]
    assert dates == sorted(dates, reverse=True)


@pytest.mark.parametrize("query", ['"unclosed', "OR", "a OR", "foo:bar", "(核", "-", "session:x"])
def test_malformed_queries_raise_query_error(engine, query):
    with pytest.raises(QueryError):
        engine.search(query)


def test_bad_filter_values_raise_query_error(engine):
    for filters in (
        Filters(types=["clause"]),
        Filters(resolutions=["sixty-eight"]),
        Filters(date_from="12/05/2013"),
    ):
        with pytest.raises(QueryError):
            engine.search("核", filters)
    with pytest.raises(QueryError):
        engine.search(None)


def test_show_a_resolution_in_document_order(engine):
    records = engine.resolution("A/RES/68/46")
    assert [r["position"] for r in records] == list(range(len(records)))
    with pytest.raises(QueryError):
        engine.resolution("99/999")


def test_stats_count_what_was_indexed(engine, paragraphs):
    figures = engine.stats()
    assert figures["resolutions"] == 5 and figures["paragraphs"] == len(paragraphs)
    assert figures["by_type"]["operative"] == 61
    assert figures["by_session"] == {67: 23, 68: 55, 72: 41, 75: 26}


def test_searching_imports_no_indexing_and_writes_nothing(index_dir):
    before = sorted((p.relative_to(index_dir), p.stat().st_mtime_ns) for p in index_dir.rglob("*"))
    script = (
        "import sys; from pathlib import Path; from search.engine import Engine; "
        "engine = Engine.open(Path(sys.argv[1])); assert engine.search('多边主义').total; "
        "loaded = [m for m in ('search.indexer', 'search.index', 'search.parser', 'search.analysis',"
        " 'jieba', 'whoosh') if m in sys.modules]; print(loaded)"
    )
    run = subprocess.run(
        [sys.executable, "-c", script, str(index_dir)], capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"
    after = sorted((p.relative_to(index_dir), p.stat().st_mtime_ns) for p in index_dir.rglob("*"))
    assert after == before
