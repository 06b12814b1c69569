"""The series a resolution belongs to: the same agenda item's resolutions, session after session.

Most General Assembly resolutions recur under one title, and each recalls its predecessors
("回顾其…2019 年 12 月 12 日第 74/55 号决议"). A series is therefore grown from the resolution
asked about, through two kinds of link, until nothing new joins:

- the same normalized title;
- a citation either way (the resolution cites the other, or is cited by it) between two
  resolutions whose titles are close (character-bigram overlap of at least
  ``CITED_TITLE_SIMILARITY``): a recurring item's title is sometimes reworded, whereas a
  resolution citing another agenda item's resolution ("欢迎依照其第 67/39 号决议召开的高级别
  会议") names a different subject.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from .engine import Engine
from .resolutions import ResolutionSummary, resolution_code, summaries, summary

CITED_TITLE_SIMILARITY = 0.6


@dataclass
class Lineage:
    resolution: ResolutionSummary
    series: list[ResolutionSummary]  # oldest first, the resolution itself included

    def to_dict(self) -> dict:
        return {
            "resolution": self.resolution.symbol,
            "series": [member.to_dict() for member in self.series],
        }

    def neighbours(self) -> tuple[ResolutionSummary | None, ResolutionSummary | None]:
        """The resolution's predecessor and successor in the series (None at either end)."""
        at = next(i for i, m in enumerate(self.series) if m.number == self.resolution.number)
        before = self.series[at - 1] if at > 0 else None
        after = self.series[at + 1] if at + 1 < len(self.series) else None
        return before, after


def lineage(engine: Engine, number: str) -> Lineage:
    """The series of resolution ``number`` (68/46 or A/RES/68/46) in the index."""
    start = resolution_code(engine, number)
    links = _Links(engine)
    series, pending = {start}, [start]
    while pending:
        for other in links.of(pending.pop()):
            if other not in series:
                series.add(other)
                pending.append(other)
    return Lineage(resolution=summary(engine, start), series=summaries(engine, series))


class _Links:
    """The resolutions linked to one resolution by its title or a citation."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self.numbers: list[str] = engine.catalog.vocab["resolution"]
        self.titles: list[str] = engine.catalog.title_norms
        self.by_title: dict[str, list[int]] = defaultdict(list)
        for code, title in enumerate(self.titles):
            self.by_title[title].append(code)

    def of(self, code: int) -> set[int]:
        linked = set(self.by_title[self.titles[code]])
        cited = {c for c in self._cited(code) if self._close_titles(code, c)}
        citing = {c for c in self._citing(code) if self._close_titles(code, c)}
        return (linked | cited | citing) - {code}

    def _cited(self, code: int) -> set[int]:
        """Indexed resolutions that resolution ``code`` cites."""
        docs = self.engine.resolution_docs(self.numbers[code])
        cites = {
            c for record in self.engine.catalog.records(docs) for c in record.get("cites") or []
        }
        codes = (self.engine.catalog.code("resolution", cite) for cite in cites)
        return {c for c in codes if c >= 0}

    def _citing(self, code: int) -> set[int]:
        """Indexed resolutions citing resolution ``code``."""
        docs = self.engine.catalog.cited_by(self.numbers[code])
        return set(np.asarray(self.engine.columns["resolution"])[docs].tolist())

    def _close_titles(self, one: int, other: int) -> bool:
        return title_similarity(self.titles[one], self.titles[other]) >= CITED_TITLE_SIMILARITY


def title_similarity(one: str, other: str) -> float:
    """Dice coefficient of the two titles' character bigrams (1.0 for equal titles)."""
    if one == other:
        return 1.0
    first, second = _bigrams(one), _bigrams(other)
    if not first or not second:
        return 0.0
    return 2 * len(first & second) / (len(first) + len(second))


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}
