"""The jieba tokenizer: exact tokens, positions and offsets, quiet lazy loading, Whoosh use."""

from __future__ import annotations

import importlib.resources
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from whoosh import fields, highlight, query
from whoosh.filedb.filestore import RamStorage

from search import analysis
from search.analysis import JiebaTokenizer, segment, word_analyzer
from search.normalize import normalize

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "index_data"


def _tokens(text: str, **kwargs) -> list[tuple[str, int, int, int]]:
    stream = word_analyzer()(text, positions=True, chars=True, **kwargs)
    return [(t.text, t.pos, t.startchar, t.endchar) for t in stream]


def _corpus_line(fragment: str) -> str:
    for path in sorted(CORPUS.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if fragment in line:
                return line
    raise LookupError(fragment)


def _userdict_words() -> list[str]:
    text = importlib.resources.files("search.data").joinpath("userdict.txt").read_text("utf-8")
    return [line.split()[0] for line in text.splitlines()]


def _run(code: str, cache_home: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(REPO), XDG_CACHE_HOME=str(cache_home))
    return subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True
    )


@pytest.fixture(autouse=True)
def _no_memo():
    analysis.forget()
    yield
    analysis.forget()


def test_segment_spans_words_only() -> None:
    text = normalize("[根据第一委员会的报告(A/68/411)通过]")
    assert text == "[根据第一委员会的报告(a/68/411)通过]"
    spans = segment(text)
    assert [text[s:e] for s, e in spans] == [
        "根据",
        "第一委员会",
        "的",
        "报告",
        "a",
        "68",
        "411",
        "通过",
    ]
    assert spans[:2] == [(1, 3), (3, 8)]


def test_segment_skips_rules_and_punctuation() -> None:
    text = normalize("_______________ \n 1 \n S-10/2 号决议，第二节。")
    assert [text[s:e] for s, e in segment(text)] == ["1", "s", "10", "2", "号", "决议", "第二节"]
    assert segment("") == []


def test_tokens_of_spaced_dates() -> None:
    assert _tokens("2013 年 12 月 5日") == [
        ("2013", 0, 0, 4),
        ("年", 1, 5, 6),
        ("12", 2, 7, 9),
        ("月", 3, 10, 11),
        ("5", 4, 12, 13),
        ("日", 5, 13, 14),
    ]


def test_offsets_point_into_a_real_paragraph_with_full_width_digits() -> None:
    line = _corpus_line("全球努力的 2001 年 11 月 29 日第 56/24 T 号决议")
    assert "第 56/24 T 号决议" in line
    # The same paragraph as a PDF with full-width digits and letters would give it.
    wide = line.translate({c: c + 0xFEE0 for c in b"0123456789T"})
    assert "第 ５６/２４ Ｔ 号决议" in wide
    tokens = _tokens(wide)
    assert [t[0] for t in tokens][:8] == [
        "回顾",
        "其",
        "关于",
        "裁军",
        "和",
        "不扩散",
        "领域",
        "的",
    ]
    assert [t[1] for t in tokens] == list(range(len(tokens)))
    assert _tokens(wide) == _tokens(line)  # one original character for one
    texts = {(text, wide[start:end]) for text, _, start, end in tokens}
    assert ("2001", "２００１") in texts
    assert ("56", "５６") in texts
    assert ("t", "Ｔ") in texts
    for text, _, start, end in tokens:
        assert normalize(wide[start:end]) == text


def test_indexing_without_offsets_gives_the_same_words() -> None:
    text = (CORPUS / "000_00f2a18be826c79a.txt").read_text(encoding="utf-8")
    with_chars = [(t.text, t.pos) for t in word_analyzer()(text, positions=True, chars=True)]
    without = [(t.text, t.pos) for t in word_analyzer()(text, positions=True)]
    assert len(with_chars) > 800
    assert without == with_chars


def test_offsets_across_a_line_break() -> None:
    line = "其中大会设立一个不限成员名额\n\n工作组，负责"
    tokens = _tokens(line)
    assert ("不限成员名额工作组", 4, 8, 19) in tokens
    assert line[8:19] == "不限成员名额\n\n工作组"


def test_start_pos_start_char_and_keeporiginal() -> None:
    stream = word_analyzer()(
        "ＮＰＴ 审议", positions=True, chars=True, keeporiginal=True, start_pos=10, start_char=100
    )
    assert [(t.text, t.original, t.pos, t.startchar, t.endchar) for t in stream] == [
        ("npt", "ＮＰＴ", 10, 100, 103),
        ("审议", "审议", 11, 104, 106),
    ]


def test_untokenized_value_is_one_normalized_token() -> None:
    stream = word_analyzer()(
        "裁军谈判 会议", tokenize=False, positions=True, chars=True, start_char=5
    )
    assert [(t.text, t.pos, t.startchar, t.endchar) for t in stream] == [("裁军谈判会议", 0, 5, 12)]


def test_user_dictionary_words_come_out_whole() -> None:
    words = _userdict_words()
    assert 60 <= len(words) <= 120
    for word in words:
        assert normalize(word) == word
        assert segment(word) == [(0, len(word))], word
    line = _corpus_line("深信深信深信深信裁军谈判会议作为国际社会")
    assert "裁军谈判会议" in [t[0] for t in _tokens(line)]


def test_remembered_spans_replace_jieba_until_forgotten() -> None:
    text = "裁军谈判会议的报告"
    remembered = [(0, 2), (2, 9)]
    analysis.remember(text, remembered)
    assert segment(text) == remembered
    assert [t[0] for t in _tokens(text)] == ["裁军", "谈判会议的报告"]
    analysis.forget()
    assert segment(text) == [(0, 6), (6, 7), (7, 9)]


def test_memo_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(analysis, "REMEMBER_LIMIT", 2)
    for text in ("甲乙", "丙丁", "戊己"):
        analysis.remember(text, [(0, 1)])
    assert segment("戊己") == [(0, 1)]
    assert segment("丙丁") == [(0, 1)]
    assert segment("甲乙") != [(0, 1)]  # the oldest went first


def test_tokenizer_equality_and_schema_pickle() -> None:
    assert JiebaTokenizer() == JiebaTokenizer()
    assert word_analyzer() != fields.TEXT().analyzer
    schema = fields.Schema(text=fields.TEXT(analyzer=word_analyzer(), stored=True))
    restored = pickle.loads(pickle.dumps(schema))
    assert restored == schema
    assert isinstance(restored["text"].analyzer, JiebaTokenizer)


def _index(texts: list[str]):
    schema = fields.Schema(text=fields.TEXT(analyzer=word_analyzer(), stored=True))
    ix = RamStorage().create_index(schema)
    with ix.writer() as writer:
        for text in texts:
            writer.add_document(text=text)
    return ix


def test_phrase_query_of_adjacent_words() -> None:
    texts = [
        _corpus_line("工作组，负责就推进多边核裁军谈判以建立"),
        _corpus_line("深信深信深信深信裁军谈判会议作为国际社会唯一的多边裁军谈判论坛"),
    ]
    ix = _index(texts)
    with ix.searcher() as searcher:
        hits = searcher.search(query.Phrase("text", ["核裁军", "谈判"]))
        assert [hit.docnum for hit in hits] == [0]
        assert list(searcher.search(query.Phrase("text", ["谈判", "核裁军"]))) == []
        assert [h.docnum for h in searcher.search(query.Term("text", "裁军谈判会议"))] == [1]


def test_highlights_mark_the_original_text() -> None:
    ix = _index(["欢迎 2013 年 9 月 26 日召开核裁军问题大会高级别会议，"])
    with ix.searcher() as searcher:
        hits = searcher.search(query.Phrase("text", ["2013", "年"]))
        hits.fragmenter = highlight.WholeFragmenter()
        assert hits[0].highlights("text") == (
            '欢迎 <b class="match term0">2013</b> <b class="match term1">年</b> '
            "9 月 26 日召开核裁军问题大会高级别会议，"
        )


def test_import_does_not_load_jieba(tmp_path: Path) -> None:
    result = _run("import sys, search.analysis; print('jieba' in sys.modules)", tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (0, "False\n", "")


def test_first_load_is_silent_and_caches(tmp_path: Path) -> None:
    code = "from search.analysis import segment; print(segment('裁军谈判会议的报告'))"
    for _ in ("without the cache file", "with it"):
        result = _run(code, tmp_path)
        assert (result.returncode, result.stdout, result.stderr) == (
            0,
            "[(0, 6), (6, 7), (7, 9)]\n",
            "",
        )
        assert list((tmp_path / "unres").iterdir()) == [tmp_path / "unres" / "jieba.cache"]


def test_no_stderr_in_process(
    capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    analysis._jieba.cache_clear()
    assert segment("多边主义") == [(0, 4)]
    assert capfd.readouterr().err == ""
