"""What the agreed-language views say about a resolution as a whole: symbol, session, date, title.

The catalog keeps resolutions as codes (:attr:`Catalog.vocab` ``["resolution"]``) in a column
over the paragraphs, and the facts shown for each code in :attr:`Catalog.resolution_facts`, so a
view naming thousands of resolutions (a trace of a common word) reads no paragraph records.
"""

from __future__ import annotations

from dataclasses import dataclass

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

    def sort_key(self) -> tuple:
        """Oldest first: by date, undated last, then by number within a day."""
        return (self.date is None, self.date or "", _number_key(self.number))


def resolution_code(engine: Engine, number: str) -> int:
    """The catalog code of resolution ``number`` (QueryError when it is not indexed)."""
    return int(engine.columns["resolution"][engine.resolution_docs(number)[0]])


def summaries(engine: Engine, codes) -> list[ResolutionSummary]:
    """Summaries of the resolutions with catalog ``codes``, oldest first."""
    return sorted((summary(engine, code) for code in set(codes)), key=ResolutionSummary.sort_key)


def summary(engine: Engine, code: int) -> ResolutionSummary:
    """The summary of the resolution with catalog ``code``, from the catalog's facts."""
    fact = engine.catalog.resolution_facts[code]
    number = engine.catalog.vocab["resolution"][code]
    return ResolutionSummary(number, fact["symbol"], fact["session"], fact["date"], fact["title"])


def _number_key(number: str) -> tuple:
    """68/46 before 68/100; S-10/2 and 56/24 T sort by their numbers too."""
    session, _, serial = number.removeprefix("S-").partition("/")
    digits = "".join(c for c in serial if c.isdigit())
    return (int(session) if session.isdigit() else 0, int(digits or 0), number)
