"""Render a parsed resolution as the documents people keep: an HTML page with site chrome,
a Word file, a PDF set in a CJK TrueType font with the leads in bold (drawn four times over,
as the official PDFs' bold comes out of text extraction). The format tests parse these back
and compare with the parse of the text file they came from."""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

from search.model import ANNEX, FOOTNOTE, OPERATIVE, SUBPARAGRAPH, Resolution

# TrueType CJK fonts with Latin glyphs, from Debian packages (.ci/run installs the first).
CJK_FONTS = (
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),  # fonts-wqy-zenhei
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),  # fonts-wqy-microhei
    Path("/usr/share/fonts/truetype/arphic/uming.ttc"),  # fonts-arphic-uming
)


def cjk_font() -> Path | None:
    return next((font for font in CJK_FONTS if font.exists()), None)


def font_for(texts: list[str], font: Path, directory: Path) -> Path:
    """The font cut down to the characters of ``texts``: fpdf2 loads a 10 MB CJK font in
    seconds, a cut-down copy in milliseconds."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    full = TTFont(str(font), fontNumber=0, lazy=True)
    subsetter = subset.Subsetter(subset.Options(notdef_outline=True))
    subsetter.populate(text="".join(texts) + PRINTED_EXTRAS)
    subsetter.subset(full)
    small = directory / "cjk-subset.ttf"
    full.save(str(small))
    return small


PRINTED_EXTRAS = "0123456789()[]_.， 大会附件议程项目第次全体会议年月日根据的报告通过ABCDEFGH"


def printed_blocks(resolution: Resolution) -> list[tuple[str, str, str | None, bool]]:
    """(label, text, bold lead, indented) of every block as the resolution prints them."""
    blocks: list[tuple[str, str, str | None, bool]] = []
    if resolution.agenda_item:
        blocks.append(("", f"议程项目 {resolution.agenda_item}", None, False))
    if resolution.committee:
        adopted = f"[根据{resolution.committee}的报告({resolution.report})通过]"
        blocks.append(("", adopted, None, False))
    blocks.append(("", f"{resolution.number}. {resolution.title}", None, False))
    if not resolution.parts:
        blocks.append(("", "，", "大会", True))
    annex_started, part = False, None
    for paragraph in resolution.paragraphs:
        if paragraph.type == FOOTNOTE:
            continue
        if paragraph.part != part:  # each part: its letter, its title, its own 大会，
            blocks += _closing(resolution) if part else []
            part = paragraph.part
            blocks += [("", str(part), None, False), ("", resolution.parts[part], None, False)]
            blocks.append(("", "，", "大会", True))
        if paragraph.type == ANNEX and not annex_started:
            blocks += _closing(resolution)
            blocks.append(("", "附件", None, False))
            annex_started = True
        label = ""
        if paragraph.type in (OPERATIVE, ANNEX) and paragraph.number is not None:
            label = f"{paragraph.number}. "
        elif paragraph.type == SUBPARAGRAPH:
            label = f"({paragraph.item}) "
        lead = (
            paragraph.lead if paragraph.lead and paragraph.text.startswith(paragraph.lead) else None
        )
        text = paragraph.text[len(lead) :] if lead else paragraph.text
        blocks.append((label, text, lead, True))
    if not annex_started:
        blocks += _closing(resolution)
    return blocks


def _closing(resolution: Resolution) -> list[tuple[str, str, str | None, bool]]:
    year, month, day = (int(part) for part in resolution.date.split("-"))
    return [
        ("", f"{year} 年 {month} 月 {day} 日", None, False),
        ("", f"第 {resolution.meeting} 次全体会议", None, False),
    ]


def footnotes(resolution: Resolution) -> list[tuple[int, str]]:
    return [(p.number, p.text) for p in resolution.paragraphs if p.type == FOOTNOTE]


def as_html(resolution: Resolution) -> bytes:
    """A un.org-like page: navigation, breadcrumbs and a footer around the text."""
    body = [
        '<nav class="navbar"><ul><li>首页</li><li>大会</li><li>文件</li></ul></nav>',
        '<div id="breadcrumb">联合国 &gt; 大会 &gt; 决议</div>',
        '<div id="content">',
    ]
    for label, text, lead, _ in printed_blocks(resolution):
        bold = f"<b>{html.escape(lead)}</b>" if lead else ""
        body.append(f"<p>{html.escape(label)}{bold}{html.escape(text)}</p>")
    body.append('<hr/><div class="footnotes">')
    for number, text in footnotes(resolution):
        body.append(f"<p><sup>{number}</sup> {html.escape(text)}</p>")
    body += ["</div></div>", "<footer>© 联合国 | 使用条款 | 隐私</footer>"]
    page = (
        '<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8"><title>决议</title>'
        "<style>p{margin:0}</style><script>var x = '回顾';</script></head><body>"
        + "\n".join(body)
        + "</body></html>"
    )
    return page.encode("utf-8")


def as_docx(resolution: Resolution) -> bytes:
    import docx

    document = docx.Document()
    for label, text, lead, _ in printed_blocks(resolution):
        paragraph = document.add_paragraph(label)
        if lead:
            paragraph.add_run(lead).bold = True
        paragraph.add_run(text)
    for number, text in footnotes(resolution):
        document.add_paragraph(f"{number} {text}")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def as_pdf(resolution: Resolution, font: Path) -> bytes:
    """A4 pages, lines wrapped at the margin, first lines set in, bold leads drawn 4 times."""
    from fpdf import FPDF

    pdf = FPDF(format="A4", unit="pt")
    pdf.add_font("cjk", fname=str(font))
    pdf.set_font("cjk", size=11)
    writer = _PdfLines(pdf)
    for label, text, lead, indented in printed_blocks(resolution):
        writer.paragraph(label, lead, text, indented)
    if footnotes(resolution):
        writer.paragraph("", None, "_" * 20, False)
        for number, text in footnotes(resolution):
            writer.paragraph(f"{number} ", None, text, False)
    return bytes(pdf.output())


class _PdfLines:
    LEFT, RIGHT, TOP, BOTTOM, LEADING, INDENT = 72.0, 523.0, 72.0, 770.0, 17.0, 22.0

    def __init__(self, pdf) -> None:
        self.pdf = pdf
        self.y = self.BOTTOM  # a page is added before the first line

    def paragraph(self, label: str, lead: str | None, text: str, indented: bool) -> None:
        x = self.LEFT + (self.INDENT if indented else 0)
        self._new_line()
        if label:
            self.pdf.text(x, self.y, label)
            x += self.pdf.get_string_width(label)
        if lead:
            for shift in (0.0, 0.15, 0.3, 0.45):  # bold as the official PDFs print it
                self.pdf.text(x + shift, self.y, lead)
            x += self.pdf.get_string_width(lead)
        line, width = "", 0.0
        for token in re.findall(r"[A-Za-z0-9/.\-]+|.", text):  # numbers are never broken
            token_width = self.pdf.get_string_width(token)
            if line and x + width + token_width > self.RIGHT:
                self.pdf.text(x, self.y, line)
                self._new_line()
                x, line, width = self.LEFT, "", 0.0
            line, width = line + token, width + token_width
        self.pdf.text(x, self.y, line)

    def _new_line(self) -> None:
        self.y += self.LEADING
        if self.y > self.BOTTOM:
            self.pdf.add_page()
            self.y = self.TOP
