"""The structured resolution: what the parser produces and everything else consumes.

Plain dataclasses with no behaviour beyond conversion to JSON-ready dicts, so that every
layer above (index, engine, command line) can depend on them without importing anything.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

# Paragraph types, in the order a reader meets them.
PREAMBLE = "preamble"  # 序言部分: unnumbered, ends with ，
OPERATIVE = "operative"  # 执行部分: numbered 1. 2. …
SUBPARAGRAPH = "subparagraph"  # (a), (b) under an operative paragraph
ANNEX = "annex"  # 附件: text after the resolution proper
FOOTNOTE = "footnote"  # 脚注
PARAGRAPH_TYPES = (PREAMBLE, OPERATIVE, SUBPARAGRAPH, ANNEX, FOOTNOTE)


@dataclass
class Paragraph:
    type: str
    text: str
    number: int | None = None
    item: str | None = None  # the letter of a sub-paragraph: "a" in 3 (a)
    lead: str | None = None  # the clause starter as printed, e.g. 又决定
    verb: str | None = None  # the lead normalized, e.g. 决定
    footnotes: list[int] = field(default_factory=list)
    cites: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Resolution:
    symbol: str  # A/RES/68/46
    number: str  # 68/46, the form people cite
    session: int  # 届会: 68 for the 第六十八届会议
    title: str
    date: str | None = None  # ISO adoption date
    meeting: int | None = None  # plenary meeting (全体会议) that adopted it
    committee: str | None = None  # Main Committee (主要委员会), e.g. 第一委员会
    report: str | None = None  # the committee's report, e.g. A/68/411
    agenda_item: str | None = None  # 议程项目, e.g. 103(u)
    special_session: bool = False  # S-10/2 is from the tenth special session
    paragraphs: list[Paragraph] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Resolution:
        fields = dict(data)
        fields["paragraphs"] = [Paragraph(**p) for p in data.get("paragraphs", [])]
        return cls(**fields)
