"""Turn a resolution file of any format people keep into text for the parser.

- ``.txt``/``.md``: decoded as they are (:mod:`search.decoding`);
- ``.html``/``.htm``: parsed with Beautiful Soup; scripts, navigation, headers, footers and the
  usual site-chrome blocks (menus, breadcrumbs, wiki navigation boxes) are dropped, and every
  block element (paragraph, heading, list item, table cell, line break) becomes a line;
- ``.pdf``: pdfplumber (pdfminer) extracts each page keeping its layout, and a line set in from
  the page's left margin keeps one leading space, as a paragraph's first line is in the PDF
  text :mod:`search.pdf_layout` reads;
- ``.docx``: python-docx, one line per paragraph.

The libraries load only when a file of their format is read.
"""

from __future__ import annotations

import io
import re

from .decoding import decode

HTML_SUFFIXES = (".html", ".htm")
PDF_SUFFIXES = (".pdf",)
DOCX_SUFFIXES = (".docx",)
TEXT_SUFFIXES = (".txt", ".md")
SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + PDF_SUFFIXES + DOCX_SUFFIXES

_DROPPED_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form")
_CHROME_RE = re.compile(
    r"nav|menu|breadcrumb|footer|header|sidebar|banner|noprint|toolbar|mw-jump|catlinks|share",
    re.IGNORECASE,
)
_BLOCK_TAGS = (
    "p", "div", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6",
    "br", "blockquote", "pre", "section", "article", "dd", "dt", "table",
)  # fmt: skip
_SPACES_RE = re.compile(r"[ \t\r\f\v\u00a0]+")
# A line set in by this many character widths from the page's margin opens a paragraph.
_INDENT_CHARS = 2


class ReadError(ValueError):
    """The file is not a readable document of the format its name says."""


def text_of(data: bytes, suffix: str) -> str:
    """The text of a file's ``data``, read as the format ``suffix`` names."""
    suffix = suffix.lower()
    if suffix in HTML_SUFFIXES:
        return html_text(decode(data))
    if suffix in PDF_SUFFIXES:
        return pdf_text(data)
    if suffix in DOCX_SUFFIXES:
        return docx_text(data)
    return decode(data)


def html_text(markup: str) -> str:
    """The visible text of an HTML page without its site chrome, a line per block."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(markup, "html.parser")
    for tag in soup.find_all(_DROPPED_TAGS):
        tag.decompose()
    for tag in soup.find_all(_is_chrome):
        tag.decompose()
    for tag in soup.find_all(_BLOCK_TAGS):
        tag.insert_before("\n")
        tag.insert_after("\n")
    root = soup.body or soup
    lines = (_SPACES_RE.sub(" ", line).strip() for line in root.get_text().split("\n"))
    return "\n".join(line for line in lines if line)


def _is_chrome(tag) -> bool:
    if tag.attrs is None or tag.name in ("html", "body"):
        return False
    names = " ".join([tag.get("id") or "", *(tag.get("class") or []), tag.get("role") or ""])
    return bool(names.strip()) and bool(_CHROME_RE.search(names))


def pdf_text(data: bytes) -> str:
    """The text of a PDF, page after page, lines set in from the margin marked by a space."""
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = [page.extract_text(layout=True) or "" for page in pdf.pages]
    except (PdfminerException, PDFSyntaxError, ValueError, KeyError, TypeError) as error:
        raise ReadError(f"not a readable PDF ({error})") from error
    return "\n".join(_marked_indents(page) for page in pages)


def _marked_indents(page: str) -> str:
    lines = [line.rstrip() for line in page.split("\n")]
    margins = [len(line) - len(line.lstrip()) for line in lines if line.strip()]
    margin = min(margins, default=0)
    marked = []
    for line in lines:
        text = _SPACES_RE.sub(" ", line.strip())
        indent = len(line) - len(line.lstrip()) - margin
        marked.append((" " + text) if text and indent >= _INDENT_CHARS else text)
    return "\n".join(marked)


def docx_text(data: bytes) -> str:
    """The paragraphs of a Word document, one to a line."""
    import zipfile

    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, ValueError, KeyError) as error:
        raise ReadError(f"not a readable Word document ({error})") from error
    return "\n".join(paragraph.text for paragraph in document.paragraphs)
