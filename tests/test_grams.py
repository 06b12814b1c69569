"""The gram index against brute force on the real corpus lines, plus word flags and storage."""

from __future__ import annotations

import json
import random
import unicodedata
from pathlib import Path

import numpy as np
import pytest

from search.grams import GramIndex, GramIndexError, _group

CORPUS = Path(__file__).resolve().parent.parent / "index_data"

# Documents that exercise overlaps, Latin and digits, and an empty document in the middle.
EXTRA = [
    "aaa",
    "aaaa",
    "ababab",
    "",
    "𠀀𠀁 x",
    "a/68/27 号文件",
    "第 67/56 号决议",
    "56/67 与 67/56",
    "x",
]
LATIN = [
    "a/68/27",
    "67/56",
    "56/67",
    "a/68/411",
    "68/46",
    "s-10/2",
    "2012 年",
    " 年",
    "/6",
    "aa",
    "𠀁 x",
]
ABSENT = ["aaaaa", "bab a", "67/57", "核裁军谈判会议的报告联合国", "\u4e00\u9fa5", "\U00020000x"]


def _normalize(line: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", line).casefold().split())


def _corpus() -> list[str]:
    lines = []
    for path in sorted(CORPUS.glob("*.txt")):
        lines += [_normalize(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return [line for line in lines if line] + EXTRA


def _occurrences(text: str, q: str) -> list[int]:
    """Every start of ``q`` in ``text``, overlapping ones included."""
    found, start = [], text.find(q)
    while start >= 0:
        found.append(start)
        start = text.find(q, start + 1)
    return found


def _brute_docs(texts: list[str], q: str) -> tuple[list[int], list[int]]:
    hits = [(d, len(_occurrences(t, q))) for d, t in enumerate(texts) if q in t]
    return [d for d, _ in hits], [c for _, c in hits]


def _queries(texts: list[str]) -> list[str]:
    rng = random.Random(20240607)
    sampled = set()
    while len(sampled) < 450:
        text = rng.choice([t for t in texts if t])
        n = rng.randint(1, 6)
        start = rng.randrange(max(len(text) - n + 1, 1))
        sampled.add(text[start : start + n])
    # Shuffled samples mostly do not occur: absent combinations of present characters.
    shuffled = ["".join(rng.sample(q, len(q))) + q[0] for q in sorted(sampled)[:60] if len(q) > 1]
    return sorted(sampled) + shuffled + LATIN + ABSENT


@pytest.fixture(scope="module")
def texts() -> list[str]:
    return _corpus()


@pytest.fixture(scope="module")
def index(texts) -> GramIndex:
    return GramIndex.build(texts)


def _assert_same_as_brute_force(index: GramIndex, texts: list[str], queries: list[str]) -> None:
    for q in queries:
        docs, counts = index.docs(q)
        expected_docs, expected_counts = _brute_docs(texts, q)
        assert docs.tolist() == expected_docs, q
        assert counts.tolist() == expected_counts, q


def test_corpus_is_big_enough_to_mean_something(texts):
    assert len(texts) > 300
    assert sum(map(len, texts)) > 9_000


def test_docs_equal_brute_force(index, texts):
    queries = _queries(texts)
    assert len(queries) > 500
    _assert_same_as_brute_force(index, texts, queries)


def test_sample_has_both_hits_and_misses(index, texts):
    found = [q for q in _queries(texts) if len(index.docs(q)[0])]
    assert 400 < len(found) < len(_queries(texts))


def test_find_gives_global_positions_with_overlaps(index, texts):
    big = "\n".join(texts)
    queries = [q for q in _queries(texts) if len(q) > 1]
    assert len(queries) > 400
    for q in queries + ["aa", "aaa", "ab", "bab", "67/56", "大会", "裁军谈判", "a/68/27"]:
        assert index.find(q).tolist() == _occurrences(big, q), q


@pytest.mark.parametrize(
    "texts, q",
    [
        # The rarest bigram, zq, is at offset 2 and also at position 0: a candidate at -2, which
        # numpy would read from the end of the text, where "aa" sits.
        (["zq", "aazq", "az az az aa aa"], "aazq"),
        # The rarest bigram ends the text: checking the character after it would read past the end.
        (["qa qa qa", "zqa", "zq"], "zqa"),
    ],
)
def test_candidates_near_the_ends_of_the_text(texts, q):
    index = GramIndex.build(texts)
    assert index.find(q).tolist() == _occurrences("\n".join(texts), q)
    assert index.docs(q)[0].tolist() == _brute_docs(texts, q)[0]


def test_overlapping_repeats_are_counted(index, texts):
    docs, counts = index.docs("aa")
    assert dict(zip(docs.tolist(), counts.tolist())) == {
        texts.index("aaa"): 2,
        texts.index("aaaa"): 3,
    }


def test_order_of_digits_matters(index, texts):
    assert index.docs("67/56")[0].tolist() == _brute_docs(texts, "67/56")[0]
    assert index.docs("56/67")[0].tolist() == [texts.index("56/67 与 67/56")]


def test_newline_and_absent_characters_give_nothing(index):
    for q in ["\n", "a\na", "大\n会", "☃", "大☃"]:
        docs, counts = index.docs(q)
        assert len(docs) == 0 and len(counts) == 0
    assert len(index.find("a\na")) == 0


def test_empty_query_is_an_error(index):
    with pytest.raises(ValueError):
        index.docs("")
    with pytest.raises(ValueError):
        index.find("大")


def test_text_lengths_and_spans(index, texts):
    assert [index.text(d) for d in range(len(texts))] == texts
    assert index.lengths().tolist() == [len(t) for t in texts]
    assert index.lengths().dtype == np.int32
    d = texts.index("aaaa")
    assert index.spans(d, "aa") == [(0, 2), (1, 3), (2, 4)]
    with pytest.raises(IndexError):
        index.text(len(texts))


def test_a_newline_inside_a_document_is_rejected():
    with pytest.raises(ValueError, match="document 1"):
        GramIndex.build(["ok", "not\nok"])


def test_empty_and_tiny_corpora():
    for texts in ([], [""], ["x"], ["", ""]):
        index = GramIndex.build(texts)
        assert len(index.docs("x")[0]) == (texts == ["x"])
        assert len(index.docs("xy")[0]) == 0
        assert index.lengths().tolist() == [len(t) for t in texts]


def test_lone_surrogates_and_astral_characters():
    texts = ["a\ud800b", "𠀀\ud800", "b"]
    index = GramIndex.build(texts)
    assert index.docs("\ud800")[0].tolist() == [0, 1]
    assert index.docs("\ud800b")[0].tolist() == [0]
    assert index.docs("𠀀\ud800")[0].tolist() == [1]
    assert index.docs("a\ud800b")[0].tolist() == [0]
    assert [index.text(d) for d in range(3)] == texts


def test_stable_fallback_groups_like_the_packed_sort():
    rng = np.random.default_rng(7)
    values = rng.integers(0, 50, 1000).astype(np.uint64)
    packed_values, packed_index = _group(values.copy(), 6, len(values))
    fallback_values, fallback_index = _group(values.copy(), 64, len(values))
    assert packed_values.tolist() == fallback_values.tolist()
    assert packed_index.tolist() == fallback_index.tolist()
    assert packed_index.tolist() == np.argsort(values, kind="stable").tolist()


# ----------------------------------------------------------------------------- word boundaries

WORD_TEXTS = ["联合国大会决定", "大会堂", "决定性的决定"]
# 联合国|大会|决定, 大会堂, 决定性|的|决定
WORD_SPANS = [[(0, 3), (3, 5), (5, 7)], [(0, 3)], [(0, 3), (3, 4), (4, 6)]]


@pytest.fixture(scope="module")
def worded() -> GramIndex:
    return GramIndex.build(WORD_TEXTS, WORD_SPANS)


def _whole(index: GramIndex, q: str) -> list[bool]:
    return index.whole_word(index.find(q), len(q)).tolist()


def test_whole_word_only_where_the_segmentation_agrees(worded):
    assert _whole(worded, "大会") == [True, False]  # a word in doc 0, inside 大会堂 in doc 1
    assert _whole(worded, "决定") == [True, False, True]  # 决定性 is a longer word
    assert _whole(worded, "联合国") == [True]
    assert _whole(worded, "合国") == [False]  # ends a word but does not start one
    assert _whole(worded, "国大") == [False]  # crosses a word boundary
    assert _whole(worded, "大会决定") == [False]  # two words, one starting inside


def test_single_character_words(worded):
    positions = np.array([len(WORD_TEXTS[0]) + 1 + len(WORD_TEXTS[1]) + 1 + 3])  # 的
    assert worded.whole_word(positions, 1).tolist() == [True]


def test_whole_word_needs_spans(index):
    with pytest.raises(GramIndexError, match="word spans"):
        index.whole_word(np.array([0]), 2)


@pytest.mark.parametrize(
    "spans",
    [[[(0, 8)], [], []], [[(2, 2)], [], []], [[(-1, 1)], [], []], [[]]],
)
def test_bad_word_spans_are_rejected(spans):
    with pytest.raises(ValueError):
        GramIndex.build(WORD_TEXTS, spans)


# ----------------------------------------------------------------------------- persistence


def test_save_load_round_trip(tmp_path, index, texts, worded):
    index.save(tmp_path / "grams")
    loaded = GramIndex.load(tmp_path / "grams")
    assert isinstance(loaded._a["positions"].base, np.memmap)
    _assert_same_as_brute_force(loaded, texts, _queries(texts)[::5])
    assert loaded.text(7) == texts[7]
    assert not loaded.has_word_spans

    worded.save(tmp_path / "worded")
    again = GramIndex.load(tmp_path / "worded")
    assert _whole(again, "决定") == [True, False, True]


def test_save_will_not_replace_something_else(tmp_path, worded):
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep me")
    with pytest.raises(GramIndexError, match="not replacing"):
        worded.save(precious)
    assert (precious / "notes.txt").read_text() == "keep me"
    assert [p.name for p in tmp_path.iterdir()] == ["precious"]


def test_save_into_an_empty_directory(tmp_path, worded):
    (tmp_path / "grams").mkdir()
    worded.save(tmp_path / "grams")
    assert GramIndex.load(tmp_path / "grams").doc_count == len(WORD_TEXTS)


def test_save_replaces_an_existing_index_and_leaves_no_debris(tmp_path, index, worded):
    target = tmp_path / "grams"
    index.save(target)
    worded.save(target)
    assert GramIndex.load(target).doc_count == len(WORD_TEXTS)
    assert [p.name for p in tmp_path.iterdir()] == ["grams"]


def test_loaded_empty_index(tmp_path):
    GramIndex.build([]).save(tmp_path / "empty")
    assert len(GramIndex.load(tmp_path / "empty").docs("ab")[0]) == 0


@pytest.fixture
def saved(tmp_path, worded) -> Path:
    target = tmp_path / "grams"
    worded.save(target)
    return target


def _rewrite_manifest(directory: Path, **changes) -> None:
    path = directory / "manifest.json"
    path.write_text(json.dumps({**json.loads(path.read_text()), **changes}))


def _replace_array(directory: Path, name: str, array: np.ndarray) -> None:
    """Swap an array and its manifest entry: each file reads fine, but they no longer agree."""
    np.save(directory / f"{name}.npy", array)
    manifest = json.loads((directory / "manifest.json").read_text())
    manifest["arrays"][name] = {"dtype": array.dtype.str, "shape": list(array.shape)}
    (directory / "manifest.json").write_text(json.dumps(manifest))


def _truncate(directory: Path, name: str) -> None:
    path = directory / name
    path.write_bytes(path.read_bytes()[:-3])


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda d: (d / "manifest.json").unlink(), id="no manifest"),
        pytest.param(lambda d: (d / "manifest.json").write_text("{not json"), id="bad json"),
        pytest.param(lambda d: _rewrite_manifest(d, version=99), id="wrong version"),
        pytest.param(lambda d: _rewrite_manifest(d, format="other"), id="wrong format"),
        pytest.param(lambda d: _rewrite_manifest(d, arrays={}), id="no arrays"),
        pytest.param(lambda d: (d / "positions.npy").unlink(), id="missing array"),
        pytest.param(lambda d: _truncate(d, "positions.npy"), id="truncated array"),
        pytest.param(lambda d: (d / "keys.npy").write_bytes(b"garbage"), id="garbage array"),
        pytest.param(lambda d: np.save(d / "ids.npy", np.zeros(3, np.uint8)), id="wrong shape"),
        pytest.param(
            lambda d: _replace_array(d, "offsets", np.zeros(2, np.int64)), id="sizes disagree"
        ),
        pytest.param(
            lambda d: _replace_array(d, "word_flags", np.zeros(2, np.uint8)), id="short flags"
        ),
        pytest.param(
            lambda d: _replace_array(d, "extra", np.zeros(2, np.uint8)), id="unknown array"
        ),
    ],
)
def test_damaged_index_raises_gram_index_error(saved, damage):
    damage(saved)
    with pytest.raises(GramIndexError):
        GramIndex.load(saved)


def test_missing_directory_raises_gram_index_error(tmp_path):
    with pytest.raises(GramIndexError, match="missing"):
        GramIndex.load(tmp_path / "nowhere")


# ----------------------------------------------------------------------------- build, array by array


def _reference_arrays(texts: list[str]) -> dict[str, np.ndarray]:
    """Every array of the index computed the plain way, with Python dicts and the whole text."""
    from bisect import bisect_right
    from collections import Counter

    big = "\n".join(texts)
    alphabet = np.array(sorted({ord(c) for c in big}), dtype=np.uint32)
    rank = {chr(c): i for i, c in enumerate(alphabet.tolist())}
    ids = np.array([rank[c] for c in big], dtype=np.min_scalar_type(max(len(alphabet) - 1, 0)))
    starts = [0]
    for t in texts:
        starts.append(starts[-1] + len(t) + 1)
    doc_starts = np.array(starts, dtype=np.int64)
    block_docs = np.array(
        [bisect_right(starts, p) - 1 for p in range(0, len(big), 64)], dtype=np.uint32
    )

    def doc(p: int) -> int:
        return bisect_right(starts, p) - 1

    bigrams: dict[int, list[int]] = {}
    for p in range(len(big) - 1):
        if "\n" not in big[p : p + 2]:
            bigrams.setdefault((ord(big[p]) << 21) | ord(big[p + 1]), []).append(p)
    keys = sorted(bigrams)
    unigrams: dict[int, list[int]] = {i: [] for i in range(len(alphabet))}
    for p, c in enumerate(big):
        if c != "\n":
            unigrams[rank[c]].append(p)

    def doc_level(groups: list[list[int]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        offsets, docs, counts = [0], [], []
        for group in groups:
            per_doc = Counter(map(doc, group))  # insertion order: ascending documents
            docs += per_doc.keys()
            counts += per_doc.values()
            offsets.append(len(docs))
        counts_dtype = np.min_scalar_type(max(counts, default=0))
        return (
            np.array(offsets, np.int64),
            np.array(docs, np.uint32),
            np.array(counts, counts_dtype),
        )

    bi_offsets, bi_docs, bi_counts = doc_level([bigrams[k] for k in keys])
    uni_offsets, uni_docs, uni_counts = doc_level([unigrams[i] for i in range(len(alphabet))])
    offsets = np.cumsum([0] + [len(bigrams[k]) for k in keys], dtype=np.int64)
    return {
        "alphabet": alphabet,
        "ids": ids,
        "doc_starts": doc_starts,
        "block_docs": block_docs,
        "keys": np.array(keys, dtype=np.uint64),
        "offsets": offsets,
        "positions": np.array([p for k in keys for p in bigrams[k]], dtype=np.uint32),
        "uni_offsets": uni_offsets,
        "uni_docs": uni_docs,
        "uni_counts": uni_counts,
        "bi_offsets": bi_offsets,
        "bi_docs": bi_docs,
        "bi_counts": bi_counts,
    }


def _assert_arrays_identical(built: GramIndex, texts: list[str]) -> None:
    expected = _reference_arrays(texts)
    assert set(built._a) == set(expected)
    for name, want in expected.items():
        got = built._a[name]
        assert (got.dtype, got.shape) == (want.dtype, want.shape), name
        assert got.tobytes() == want.tobytes(), name


def _wide_alphabet_texts() -> list[str]:
    """More than 65,536 distinct characters (ids of 4 bytes), astral ones included."""
    rng = random.Random(5)
    chars = [chr(c) for c in range(0x4E00, 0x9FFF)] + [chr(c) for c in range(0x20000, 0x2B000)]
    rng.shuffle(chars)
    texts = ["".join(chars[i : i + 150]) for i in range(0, len(chars), 150)]
    return texts + ["".join(rng.choices(chars[:30], k=200)) for _ in range(20)] + ["", "ab"]


@pytest.mark.parametrize("pass_chars", [1 << 21, 1000, 1])
@pytest.mark.parametrize(
    "corpus",
    ["real", "extra", "wide", "\n", "", "x", "xx", "ab"],
)
def test_build_arrays_equal_the_plain_computation(monkeypatch, texts, corpus, pass_chars):
    """Byte for byte, in one pass or many, with the text encoded in one slice or many."""
    import search.grams as grams

    monkeypatch.setattr(grams, "_PASS_CHARS", pass_chars)
    monkeypatch.setattr(grams, "_PASSES", 10**9 if pass_chars == 1 else 24)
    monkeypatch.setattr(grams, "_ENCODE_CHARS", 1 << 20 if pass_chars > 1000 else 97)
    chosen = {
        "real": texts,
        "extra": EXTRA + ["\ud800a", "a\ud800", "𠀀𠀀𠀀"],
        "wide": _wide_alphabet_texts(),
        "\n": ["", ""],
        "": [],
        "x": ["x"],
        "xx": ["", "xx", ""],
        "ab": ["ab", "ba", "abab"],
    }[corpus]
    _assert_arrays_identical(GramIndex.build(chosen), chosen)
