"""One resolution as ``unres show`` gives it and its web page shows it: the text, what it cites
and what cites it, and its series. The command line and the web build it here, so the two agree.
"""

from __future__ import annotations

from dataclasses import dataclass

from .engine import Engine
from .formats import resolution_from_records
from .lineage import Lineage, lineage
from .model import Resolution
from .references import References, references


@dataclass
class Shown:
    resolution: Resolution
    ids: list[str]  # the paragraphs' ids, in the order of ``resolution.paragraphs``
    references: References
    lineage: Lineage

    def to_dict(self) -> dict:
        """The object ``unres show --json`` prints."""
        return {
            **self.resolution.to_dict(),
            **self.references.to_dict(),
            "lineage": self.lineage.to_dict()["series"],
        }


def shown(engine: Engine, number: str) -> Shown:
    """Resolution ``number`` (68/46 or A/RES/68/46); QueryError when it is not indexed."""
    records = sorted(engine.resolution(number), key=lambda record: record["position"])
    return Shown(
        resolution=resolution_from_records(records),
        ids=[record["id"] for record in records],
        references=references(engine, number),
        lineage=lineage(engine, number),
    )
