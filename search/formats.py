"""How results leave unres: CSV, JSON Lines, the search object, a resolution from its records.

The command line prints these and the web server sends them, so a download from the page is
byte for byte what ``unres export`` or ``unres search --json`` writes.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator

from .model import Resolution

# The columns of every CSV: those of the JSON Lines export, lists joined with "; ".
CSV_FIELDS = (
    "id",
    "symbol",
    "resolution",
    "part",
    "session",
    "body",
    "date",
    "type",
    "number",
    "item",
    "lead",
    "verb",
    "title",
    "text",
    "cites",
    "footnotes",
    "meeting",
    "committee",
    "report",
    "agenda_item",
)
KWIC_FIELDS = ("left", "match", "right")  # the columns a concordance line adds
UTF8_BOM = "\ufeff"  # Excel on Windows reads a CSV as UTF-8 only when it starts with one
_PARAGRAPH_FIELDS = ("type", "text", "number", "item", "lead", "verb", "footnotes", "cites", "part")


def csv_lines(rows: Iterable[dict], extra: tuple[str, ...] = (), bom: bool = True) -> Iterator[str]:
    """A header line, then one CSV line per record (fields missing from it left empty)."""
    buffer = io.StringIO()
    out = csv.DictWriter(
        buffer, fieldnames=CSV_FIELDS + extra, extrasaction="ignore", lineterminator="\n"
    )
    if bom:
        buffer.write(UTF8_BOM)
    out.writeheader()
    for row in rows:
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        out.writerow(
            {
                key: "; ".join(map(str, value)) if isinstance(value, list) else value
                for key, value in row.items()
            }
        )
    yield buffer.getvalue()


def jsonl_lines(records: Iterable[dict]) -> Iterator[str]:
    """One JSON object per line, Chinese as itself."""
    for record in records:
        yield json.dumps(record, ensure_ascii=False) + "\n"


def search_object(result) -> dict:
    """The object ``unres search --json`` prints for an engine ``SearchResult``."""
    return {
        "query": result.query,
        "total": result.total,
        "hits": [hit.to_dict() for hit in result.hits],
    }


def resolution_from_records(records: list[dict]) -> Resolution:
    """The resolution whose paragraphs' records these are (any order)."""
    first = records[0]
    fields = {
        name: first[name]
        for name in Resolution.__dataclass_fields__
        if name != "paragraphs" and name in first
    }
    fields["number"] = first["resolution"]  # a record's "number" is its paragraph's
    fields["paragraphs"] = [
        {name: record.get(name) for name in _PARAGRAPH_FIELDS}
        for record in sorted(records, key=lambda r: r["position"])
    ]
    return Resolution.from_dict(fields)
