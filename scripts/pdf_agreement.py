"""How well the PDF reader agrees with the text parse: each bundled resolution (and a two-part
one) is set as a PDF in a CJK TrueType font with bold leads (tests/documents.py), read back with
pdfplumber and the PDF-text reader, and compared paragraph by paragraph with the parse of the
text file it came from.

    python scripts/pdf_agreement.py [FILE.txt …]

Prints, per file and in total, the paragraphs that agree exactly (type, number, item, text,
lead, verb, citations) and in search form (the text normalized: a space lost at a line wrap
does not count), and the seconds spent reading the PDFs.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from documents import as_pdf, cjk_font, font_for  # noqa: E402

from search.normalize import normalize  # noqa: E402
from search.parser import parse_bytes, parse_file  # noqa: E402

DEFAULT_FILES = [
    *sorted((REPO / "index_data").glob("*.txt")),
    REPO / "tests" / "data" / "made" / "ga_56_24_parts_fullwidth.txt",
]


def exact(p) -> tuple:
    return (p.part, p.type, p.number, p.item, p.text, p.lead, p.verb, p.cites)


def searchable(p) -> tuple:
    return (p.part, p.type, p.number, p.item, normalize(p.text), p.verb, p.cites)


def main(files: list[Path]) -> int:
    font = cjk_font()
    if font is None:
        print("no CJK TrueType font (apt-get install fonts-wqy-zenhei)")
        return 1
    originals = [parse_file(path) for path in files]
    with tempfile.TemporaryDirectory() as folder:
        texts = [path.read_text(encoding="utf-8") for path in files]
        small = font_for(texts, font, Path(folder))
        pdfs = [as_pdf(resolution, small) for resolution in originals]
    totals = [0, 0, 0]
    started = time.perf_counter()
    print(f"{'file':40} {'paragraphs':>10} {'exact':>7} {'search form':>12}")
    for path, original, pdf in zip(files, originals, pdfs):
        read = parse_bytes(pdf, source=path.with_suffix(".pdf").name)
        pairs = list(zip(original.paragraphs, read.paragraphs))
        same = sum(exact(a) == exact(b) for a, b in pairs)
        similar = sum(searchable(a) == searchable(b) for a, b in pairs)
        count = max(len(original.paragraphs), len(read.paragraphs))
        totals = [totals[0] + count, totals[1] + same, totals[2] + similar]
        print(f"{path.name:40} {count:>10} {same:>7} {similar:>12}")
    seconds = time.perf_counter() - started
    count, same, similar = totals
    print(
        f"{'total':40} {count:>10} {same:>7} ({same / count:.1%}) {similar:>5} ({similar / count:.1%})"
        f"   read in {seconds:.2f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main([Path(arg) for arg in sys.argv[1:]] or DEFAULT_FILES))
