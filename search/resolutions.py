"""What the agreed-language views say about a resolution as a whole: symbol, session, date, title.

The catalog keeps resolutions as codes (:attr:`Catalog.vocab` ``["resolution"]``) in a column
over the paragraphs; the facts shown for a resolution are read from the record of one of its
paragraphs, so a view reads one record per resolution it names and never a whole resolution.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .engine import Engine


@dataclass
class ResolutionSummary:
    number: str  # 68/46, the catalog's key
    symbol: str
    session: int | None  # None where a resolution has no session (Security Council)
    date: str | None
    title: str

    def to_dict(self) -> dict:
        return {
            "symbol": self.symbol,
            "session": self.session,
            "date": self.date,
            "title": self.title,
        }

    @classmethod
    def of_record(cls, record: dict) -> ResolutionSummary:
        return cls(
            number=record["resolution"],
            symbol=record["symbol"],
            session=record.get("session"),
            date=record.get("date"),
            title=record["title"],
        )

    def sort_key(self) -> tuple:
        """Oldest first: by date, undated last, then by number within a day."""
        return (self.date is None, self.date or "", _number_key(self.number))


def resolution_code(engine: Engine, number: str) -> int:
    """The catalog code of resolution ``number`` (QueryError when it is not indexed)."""
    return int(engine.columns["resolution"][engine.resolution_docs(number)[0]])


def summaries(engine: Engine, codes) -> list[ResolutionSummary]:
    """Summaries of the resolutions with catalog ``codes``, oldest first."""
    wanted = np.unique(np.asarray(list(codes), dtype=np.int64))
    if not len(wanted):
        return []
    column = np.asarray(engine.columns["resolution"])
    docs = np.flatnonzero(np.isin(column, wanted))
    _, first = np.unique(column[docs], return_index=True)
    found = [ResolutionSummary.of_record(r) for r in engine.catalog.records(docs[first])]
    return sorted(found, key=ResolutionSummary.sort_key)


def _number_key(number: str) -> tuple:
    """68/46 before 68/100; S-10/2 and 56/24 T sort by their numbers too."""
    session, _, serial = number.removeprefix("S-").partition("/")
    digits = "".join(c for c in serial if c.isdigit())
    return (int(session) if session.isdigit() else 0, int(digits or 0), number)
