"""HTML pages, Word files and PDFs: each bundled resolution (and a multi-part one) rendered in
the format (tests/documents.py) parses back to what its text file gives. The PDFs are set in a
CJK TrueType font with bold leads; their lines are wrapped, so a space at a wrap is lost as in
any PDF extraction: texts are compared in search form, where spacing does not count, and
scripts/pdf_agreement.py prints how many paragraphs agree character for character."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CORPUS
from documents import as_docx, as_html, as_pdf, cjk_font, font_for

from search.engine import Engine
from search.indexer import index_paths
from search.normalize import normalize
from search.parser import ParseError, parse_bytes, parse_file

MADE = Path(__file__).resolve().parent / "data" / "made"
SOURCES = [*sorted(CORPUS.glob("*.txt")), MADE / "ga_56_24_parts_fullwidth.txt"]
FONT = cjk_font()
needs_font = pytest.mark.skipif(
    FONT is None, reason="no CJK TrueType font installed (apt-get install fonts-wqy-zenhei)"
)


def identity(resolution) -> tuple:
    return (
        resolution.symbol, resolution.title, resolution.date, resolution.meeting,
        resolution.committee, resolution.report, resolution.parts, resolution.warnings,
    )  # fmt: skip


def without_markers(resolution) -> dict:
    """The parse as a dict, less the footnote markers, which the renderings do not print."""
    data = resolution.to_dict()
    for paragraph in data["paragraphs"]:
        paragraph.pop("footnotes")
    return data


def searchable(resolution) -> list[tuple]:
    return [
        (p.part, p.type, p.number, p.item, normalize(p.text), p.verb, p.cites)
        for p in resolution.paragraphs
    ]


@pytest.fixture(scope="module")
def originals():
    return {source: parse_file(source) for source in SOURCES}


@pytest.fixture(scope="module")
def pdfs(originals, tmp_path_factory):
    """Each source as a PDF, set in the CJK font cut down to the characters they use."""
    texts = [source.read_text(encoding="utf-8") for source in SOURCES]
    font = font_for(texts, FONT, tmp_path_factory.mktemp("font"))
    return {source: as_pdf(resolution, font) for source, resolution in originals.items()}


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_html_page_with_site_chrome_parses_like_the_text(originals, source):
    original = originals[source]
    page = parse_bytes(as_html(original), source=f"{source.stem}.html")
    assert without_markers(page) == without_markers(original)


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_word_document_parses_like_the_text(originals, source):
    original = originals[source]
    document = parse_bytes(as_docx(original), source=f"{source.stem}.docx")
    assert without_markers(document) == without_markers(original)


@needs_font
@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_pdf_with_bold_leads_parses_like_the_text(originals, pdfs, source):
    original = originals[source]
    pdf = parse_bytes(pdfs[source], source=f"{source.stem}.pdf")
    assert identity(pdf) == identity(original)
    assert searchable(pdf) == searchable(original)
    assert [p.lead for p in pdf.paragraphs] == [p.lead for p in original.paragraphs]


def test_unreadable_documents_get_one_line_errors():
    for name, data, problem in [
        ("bad.pdf", b"%PDF-1.4 not really", "not a readable PDF"),
        ("bad.docx", b"PK\x03\x04 not really", "not a readable Word document"),
        ("empty.pdf", b"", "the file is empty"),
        ("page.html", b"<html><body><nav>menu</nav><p>hello</p></body></html>", "not a resolution"),
    ]:
        with pytest.raises(ParseError) as caught:
            parse_bytes(data, source=name)
        assert str(caught.value).startswith(f"{name}: {problem}")
        assert "\n" not in str(caught.value)


def test_index_picks_up_every_format(tmp_path, originals, request):
    folder = tmp_path / "mixed"
    folder.mkdir()
    first, second, third = (originals[source] for source in SOURCES[:3])
    (folder / "a.html").write_bytes(as_html(first))
    (folder / "b.docx").write_bytes(as_docx(second))
    (folder / "c.HTM").write_bytes(as_html(third))
    if FONT is not None:
        (folder / "d.pdf").write_bytes(request.getfixturevalue("pdfs")[SOURCES[3]])
    (folder / "notes.odt").write_bytes(b"not read: an unknown suffix")
    report = index_paths([folder], tmp_path / "index")
    assert report.failed == [] and report.warnings == []
    assert report.added == (4 if FONT is not None else 3)
    engine = Engine.open(tmp_path / "index")
    assert {hit.symbol for hit in engine.search("裁军谈判会议", limit=50).hits} >= {
        first.symbol
        if "裁军谈判会议" in " ".join(p.text for p in first.paragraphs)
        else second.symbol
    }
    assert engine.stats()["resolutions"] == report.added


def wiki_page(lines: list[str]) -> bytes:
    """A Wikisource page: its navigation, a header table of links, the text a line to a <p>."""
    body = "\n".join(f"<p>{line}</p>" for line in lines if line.strip())
    page = (
        '<html><body><div id="mw-navigation"><ul><li>首页</li><li>随机页面</li></ul></div>'
        '<table class="headertemplate"><tr><td>← 上一篇</td><td>下一篇 →</td></tr></table>'
        f'<div id="mw-content-text"><div class="mw-parser-output">{body}</div></div>'
        '<div id="catlinks">分类: 联合国安理会决议</div><div id="footer">本页面最后修订于</div>'
        "</body></html>"
    )
    return page.encode("utf-8")


@pytest.mark.parametrize(
    "name",
    ["sc_56_1948_wikisource_trad", "ga_1514_XV_wikisource_trad_pages1-2", "sc_368_1975_wikisource"],
)
def test_wiki_html_page_parses_like_its_transcription(name):
    source = Path(__file__).resolve().parent / "data" / "wild" / f"{name}.txt"
    text = parse_file(source)
    page = parse_bytes(wiki_page(source.read_text("utf-8").splitlines()), source=f"{name}.html")
    assert page.to_dict() == text.to_dict()
