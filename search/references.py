"""A resolution's citations both ways: the resolutions it cites, and those citing it.

Citations are the parser's (:func:`search.citations.find_cites`), kept per paragraph; the
paragraphs citing a resolution come from the catalog's citation postings.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .engine import Engine
from .resolutions import ResolutionSummary, summaries

_FACTS = ("symbol", "session", "date", "title")


@dataclass
class Citation:
    number: str  # the resolution cited or citing, 67/38
    summary: ResolutionSummary | None  # None when that resolution is not in the index
    paragraphs: list[str]  # ids of the paragraphs that cite

    def to_dict(self) -> dict:
        facts = self.summary.to_dict() if self.summary else dict.fromkeys(_FACTS)
        return {
            "resolution": self.number,
            "indexed": self.summary is not None,
            **facts,
            "paragraphs": self.paragraphs,
        }


@dataclass
class References:
    cites: list[Citation]  # in order of first mention
    cited_by: list[Citation]  # oldest first

    def to_dict(self) -> dict:
        return {
            "cites": [c.to_dict() for c in self.cites],
            "cited_by": [c.to_dict() for c in self.cited_by],
        }


def references(engine: Engine, number: str) -> References:
    """What resolution ``number`` cites and what cites it, with the paragraphs that do."""
    records = engine.resolution(number)
    resolution = records[0]["resolution"]
    citing: dict[str, list[str]] = {}
    for record in records:
        for cite in record.get("cites") or []:
            citing.setdefault(cite, []).append(record["id"])
    codes = [engine.catalog.code("resolution", cite) for cite in citing]
    known = {s.number: s for s in summaries(engine, [c for c in codes if c >= 0])}
    cites = [Citation(cite, known.get(cite), ids) for cite, ids in citing.items()]
    docs = np.sort(engine.catalog.cited_by(resolution))
    by_resolution: dict[str, list[str]] = {}
    for record in engine.catalog.records(docs):
        if record["resolution"] != resolution:  # a resolution's own footnotes may cite it
            by_resolution.setdefault(record["resolution"], []).append(record["id"])
    codes = [engine.catalog.code("resolution", other) for other in by_resolution]
    cited_by = [Citation(s.number, s, by_resolution[s.number]) for s in summaries(engine, codes)]
    return References(cites=cites, cited_by=cited_by)
