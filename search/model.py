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
    part: str | None = None  # the lettered part of a multi-part resolution: "B" in 50/72 B

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Resolution:
    symbol: str  # A/RES/68/46, A/RES/2758 (XXVI), S/RES/2446 (2018)
    number: str  # 68/46, 2758 (XXVI), 2446 (2018): the form people cite
    session: int | None  # 届会 of the General Assembly: 68 for 第六十八届会议; None for the Council
    title: str  # as printed; "" for a Council resolution, which has none
    date: str | None = None  # ISO adoption date
    meeting: int | None = None  # plenary meeting (全体会议) that adopted it
    committee: str | None = None  # Main Committee (主要委员会), e.g. 第一委员会
    report: str | None = None  # the committee's report, e.g. A/68/411
    agenda_item: str | None = None  # 议程项目, e.g. 103(u)
    special_session: bool = False  # S-10/2 is from the tenth special session
    body: str = "GA"  # GA: the General Assembly (大会); SC: the Security Council (安全理事会)
    year: int | None = None  # of adoption: from the date, else from a Council number
    parts: dict[str, str] = field(default_factory=dict)  # part letter → its own title
    warnings: list[str] = field(default_factory=list)  # what the text lacks, e.g. cut short
    paragraphs: list[Paragraph] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Resolution:
        fields = dict(data)
        fields["paragraphs"] = [Paragraph(**p) for p in data.get("paragraphs", [])]
        return cls(**fields)
