"""Tracing a wording through the years: first and latest use, uses per session, and where.

The paragraphs are exactly those :meth:`Engine.export` yields for the same query and filters;
the counts come from the catalog's columns, and records are read only for the first and the
latest paragraph.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .engine import Engine, Filters, QueryError
from .resolutions import ResolutionSummary, summary

NO_SESSION = "-"  # the by_session key of paragraphs whose resolution has no session


@dataclass
class Use:
    """A resolution that uses the wording, with how many of its paragraphs do."""

    summary: ResolutionSummary
    paragraphs: int

    def to_dict(self) -> dict:
        return {**self.summary.to_dict(), "paragraphs": self.paragraphs}


@dataclass
class Trace:
    query: str
    total: int  # paragraphs
    first: dict | None  # {id, symbol, date} of the oldest paragraph; None when nothing matches
    latest: dict | None
    by_session: dict[str, int]  # oldest session first
    resolutions: list[Use]  # oldest first

    def to_dict(self) -> dict:
        return {
            "query": self.query,
            "total": self.total,
            "first": self.first,
            "latest": self.latest,
            "by_session": self.by_session,
            "resolutions": [use.to_dict() for use in self.resolutions],
        }


def trace(engine: Engine, query: str, filters: Filters | None = None) -> Trace:
    """Where and when ``query`` (the search language, exact matching) was used."""
    if not query.strip():
        raise QueryError("give a wording to trace, such as 多边主义")
    docs = engine.matching(query, filters)  # chronological
    if not len(docs):
        return Trace(query, 0, None, None, {}, [])
    sessions, per_session = np.unique(
        np.asarray(engine.columns["session"])[docs], return_counts=True
    )
    codes = np.asarray(engine.columns["resolution"])[docs]
    codes_seen, first_at, counts = np.unique(codes, return_index=True, return_counts=True)
    order = np.argsort(first_at, kind="stable")  # resolutions as they first come, oldest first
    uses = [
        Use(summary(engine, int(code)), int(n)) for code, n in zip(codes_seen[order], counts[order])
    ]
    first, latest = engine.catalog.records([docs[0], docs[-1]])
    return Trace(
        query=query,
        total=len(docs),
        first=_where(first),
        latest=_where(latest),
        by_session={
            (str(s) if s >= 0 else NO_SESSION): int(n) for s, n in zip(sessions, per_session)
        },
        resolutions=uses,
    )


def timeline(by_session: dict[str, int]) -> list[tuple[str, int]]:
    """Uses per session for a chart: every session from the first to the last, those between
    with 0, then the paragraphs without a session."""
    numbered = [int(s) for s in by_session if s != NO_SESSION]
    sessions = [str(s) for s in range(min(numbered), max(numbered) + 1)] if numbered else []
    sessions += [s for s in by_session if s == NO_SESSION]
    return [(session, by_session.get(session, 0)) for session in sessions]


def _where(record: dict) -> dict:
    return {"id": record["id"], "symbol": record["symbol"], "date": record.get("date")}
