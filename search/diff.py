"""What changed between two resolutions: paragraphs aligned, and word-level changes inside them.

Alignment, in three steps:

1. Paragraphs whose normalized text is identical are paired (in document order when a text
   occurs more than once).
2. The rest are paired best first by the similarity of their word sequences (difflib's ratio
   over jieba's words and the punctuation between them), down to ``PAIR_SIMILARITY``; what is
   left over was added (NEW) or removed (OLD).
3. Paired paragraphs that keep their relative order (the longest increasing run of OLD
   positions, taken in NEW's order) stand where they stood; an identical paragraph outside that
   run was moved.

Inside a changed paragraph the words are compared, never the characters, so a changed year
(2012 → 2019) is one changed word.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from .engine import Engine, QueryError
from .lineage import lineage
from .resolutions import ResolutionSummary, summary
from .similar import find_paragraph
from .words import Token, tokens

PAIR_SIMILARITY = 0.5
SAME, MOVED, CHANGED, ADDED, REMOVED = "same", "moved", "changed", "added", "removed"
STATUSES = (SAME, MOVED, CHANGED, ADDED, REMOVED)
_JOINERS = frozenset("/.-:")  # characters inside one printed number: 66/32, A/74/548


@dataclass
class Change:
    kind: str  # same, removed or added
    text: str  # printed text

    def to_dict(self) -> dict:
        return {"kind": self.kind, "text": self.text}


@dataclass
class Pair:
    old: str | None  # paragraph id, None for an added paragraph
    new: str | None  # None for a removed one
    status: str  # one of STATUSES
    changes: list[Change] = field(default_factory=list)  # the new text, with what was removed

    def to_dict(self) -> dict:
        return {
            "old": self.old,
            "new": self.new,
            "status": self.status,
            "changes": [change.to_dict() for change in self.changes],
        }


@dataclass
class Diff:
    old: ResolutionSummary
    new: ResolutionSummary
    pairs: list[Pair]  # in NEW's order, removed paragraphs where they stood in OLD

    def to_dict(self) -> dict:
        return {
            "old": self.old.symbol,
            "new": self.new.symbol,
            "pairs": [pair.to_dict() for pair in self.pairs],
        }

    def counts(self) -> dict[str, int]:
        return {status: sum(p.status == status for p in self.pairs) for status in STATUSES}


@dataclass
class _Paragraph:
    id: str
    text: str  # printed
    tokens: list[Token]

    @property
    def norms(self) -> list[str]:
        return [token.norm for token in self.tokens]


def diff(engine: Engine, new: str, old: str | None = None) -> Diff:
    """Resolution ``new`` against ``old`` (by default its predecessor in its lineage)."""
    if old is None:
        before, _ = lineage(engine, new).neighbours()
        if before is None:
            raise QueryError(
                f"resolution {new!r} has no earlier resolution in its series in the index; "
                "name the one to compare with: unres diff OLD NEW"
            )
        old = before.number
    old_summary, old_paragraphs = _paragraphs(engine, old)
    new_summary, new_paragraphs = _paragraphs(engine, new)
    return Diff(old_summary, new_summary, _pairs(old_paragraphs, new_paragraphs))


def paragraph_changes(engine: Engine, old_id: str, new_ids: list[str]) -> list[list[Change]]:
    """Each paragraph of ``new_ids``, its text with the words changed from paragraph
    ``old_id``'s (ids as in search hits; QueryError for one not indexed)."""
    old = _paragraph(engine, *find_paragraph(engine, old_id))
    return [word_changes(old, _paragraph(engine, *find_paragraph(engine, i))) for i in new_ids]


def _paragraphs(engine: Engine, number: str) -> tuple[ResolutionSummary, list[_Paragraph]]:
    docs = engine.resolution_docs(number)
    records = list(engine.catalog.records(docs))
    paragraphs = [_paragraph(engine, int(doc), record) for doc, record in zip(docs, records)]
    return summary(engine, int(engine.columns["resolution"][docs[0]])), paragraphs


def _paragraph(engine: Engine, doc: int, record: dict) -> _Paragraph:
    return _Paragraph(
        record["id"], record["text"], tokens(engine.catalog.grams, doc, record["text"])
    )


def _pairs(old: list[_Paragraph], new: list[_Paragraph]) -> list[Pair]:
    matched = _match(old, new)  # new index -> old index
    kept = _in_order(matched)
    removed = sorted(set(range(len(old))) - set(matched.values()))
    pairs: list[Pair] = []
    next_removed = 0
    for j, paragraph in enumerate(new):
        i = matched.get(j)
        if i is None:
            pairs.append(Pair(None, paragraph.id, ADDED, [Change(ADDED, paragraph.text)]))
            continue
        if j in kept:  # removed paragraphs that stood before this one in OLD come first
            while next_removed < len(removed) and removed[next_removed] < i:
                pairs.append(_removed(old[removed[next_removed]]))
                next_removed += 1
        if old[i].norms == paragraph.norms:
            status = SAME if j in kept else MOVED
            pairs.append(Pair(old[i].id, paragraph.id, status, [Change(SAME, paragraph.text)]))
        else:
            pairs.append(Pair(old[i].id, paragraph.id, CHANGED, word_changes(old[i], paragraph)))
    pairs.extend(_removed(old[i]) for i in removed[next_removed:])
    return pairs


def _removed(paragraph: _Paragraph) -> Pair:
    return Pair(paragraph.id, None, REMOVED, [Change(REMOVED, paragraph.text)])


def _match(old: list[_Paragraph], new: list[_Paragraph]) -> dict[int, int]:
    """Pairs (new index → old index): identical texts first, then the most similar."""
    unused: dict[str, list[int]] = {}
    for i, paragraph in enumerate(old):
        unused.setdefault("".join(paragraph.norms), []).append(i)
    matched: dict[int, int] = {}
    for j, paragraph in enumerate(new):
        same = unused.get("".join(paragraph.norms))
        if same:
            matched[j] = same.pop(0)
    taken = set(matched.values())
    candidates = []
    for j, paragraph in enumerate(new):
        if j in matched or not paragraph.norms:
            continue
        for i, other in enumerate(old):
            if i in taken or not other.norms:
                continue
            matcher = SequenceMatcher(None, other.norms, paragraph.norms, autojunk=False)
            if matcher.real_quick_ratio() < PAIR_SIMILARITY:
                continue
            if matcher.quick_ratio() < PAIR_SIMILARITY:
                continue
            ratio = matcher.ratio()
            if ratio >= PAIR_SIMILARITY:
                candidates.append((-ratio, abs(i / len(old) - j / len(new)), j, i))
    for _, _, j, i in sorted(candidates):
        if j not in matched and i not in taken:
            matched[j] = i
            taken.add(i)
    return matched


def _in_order(matched: dict[int, int]) -> set[int]:
    """The new indices of the longest run of pairs whose old indices increase with new ones."""
    news = sorted(matched)
    tails: list[int] = []  # tails[k]: smallest old index ending an increasing run of length k+1
    tail_at: list[int] = []  # position in news of that tail
    previous: list[int] = []
    for at, j in enumerate(news):
        i = matched[j]
        k = bisect.bisect_left(tails, i)
        if k == len(tails):
            tails.append(i)
            tail_at.append(at)
        else:
            tails[k], tail_at[k] = i, at
        previous.append(tail_at[k - 1] if k else -1)
    kept: set[int] = set()
    at = tail_at[-1] if tail_at else -1
    while at >= 0:
        kept.add(news[at])
        at = previous[at]
    return kept


def word_changes(old: _Paragraph, new: _Paragraph) -> list[Change]:
    """New's text with the words that changed from old's: same, removed and added runs."""
    changes: list[Change] = []

    def emit(kind: str, pieces: list[Token]) -> None:
        text = "".join(token.printed for token in pieces)
        if kind != SAME:  # whitespace after a changed word is not part of the change
            stripped = text.rstrip()
            tail = text[len(stripped) :] if kind == ADDED else ""
            text = stripped
            if tail:
                _append(changes, kind, text)
                kind, text = SAME, tail
        _append(changes, kind, text)

    for op, i1, i2, j1, j2 in _opcodes(old.norms, new.norms):
        if op == "equal":
            emit(SAME, new.tokens[j1:j2])
            continue
        if i2 > i1:
            emit(REMOVED, old.tokens[i1:i2])
        if j2 > j1:
            emit(ADDED, new.tokens[j1:j2])
    return changes


def _opcodes(old: list[str], new: list[str]) -> list[tuple[str, int, int, int, int]]:
    """difflib's opcodes, a lone joiner between two changes taken into them (66/32 → 74/55)."""
    ops = SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
    merged: list[tuple[str, int, int, int, int]] = []
    for k, (op, i1, i2, j1, j2) in enumerate(ops):
        between_changes = 0 < k < len(ops) - 1  # opcodes next to an "equal" are changes
        if op == "equal" and between_changes and i2 - i1 == 1 and old[i1] in _JOINERS:
            op = "replace"
        if op != "equal" and merged and merged[-1][0] != "equal":
            last = merged.pop()
            merged.append(("replace", last[1], i2, last[3], j2))
        else:
            merged.append((op, i1, i2, j1, j2))
    return merged


def _append(changes: list[Change], kind: str, text: str) -> None:
    if not text:
        return
    if changes and changes[-1].kind == kind:
        changes[-1].text += text
    else:
        changes.append(Change(kind, text))
