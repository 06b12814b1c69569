"""Searching an index: queries and filters to ranked, highlighted paragraphs.

This is the Python API the command line is a thin layer over::

    engine = Engine.open(Path("~/.local/share/unres/index").expanduser())
    result = engine.search("多边主义", Filters(sessions=[(68, 70)]), limit=10)
    for hit in result.hits:
        print(hit.symbol, hit.number, hit.text[slice(*hit.highlights[0])])

Matching is exact: a term matches a paragraph if and only if the paragraph's normalized text
(:mod:`search.normalize`) contains the normalized term, whatever jieba did to the paragraph.
Sets of paragraphs are boolean masks over the catalog, so AND, OR, NOT and every filter are
vectorized operations (:mod:`search.catalog`).

Ranking is BM25F with two fields, the paragraph text and its resolution's title. Within the text
a term counts fully where it is one of jieba's words and at a fraction (``PART_WEIGHT``) where it
is part of a longer word; paragraphs where more of the query's terms stand as whole words come
first, so 多边 as a word outranks 多边 inside 多边主义. Ties go to the older resolution.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import query as query_language
from .catalog import Catalog, CatalogError, TermMatches
from .citations import GA, SC, body_of, canonical_number
from .clauses import normalize_verb
from .errors import UnresError
from .model import PARAGRAPH_TYPES
from .normalize import normalize, normalize_with_offsets

K1 = 1.2
B = 0.75
PART_WEIGHT = 0.25  # a term inside a longer word counts a quarter of a whole-word occurrence
TITLE_WEIGHT = 0.5  # a term in the resolution's title, against one in the paragraph
SORTS = ("relevance", "date", "-date")
FACET_VERBS = 10  # the commonest clause verbs a facet lists
_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$")
_SESSION_RE = re.compile(r"^\s*(\d{1,3})\s*(?:-\s*(\d{1,3})\s*)?$")


class QueryError(UnresError, ValueError):
    """A query or filter the engine cannot run; the message says how to fix it."""


@dataclass
class Filters:
    """Restrictions on the paragraphs searched; empty lists restrict nothing."""

    sessions: list[tuple[int, int]] = field(default_factory=list)  # inclusive ranges
    resolutions: list[str] = field(default_factory=list)
    types: list[str] = field(default_factory=list)
    verbs: list[str] = field(default_factory=list)
    cites: list[str] = field(default_factory=list)
    bodies: list[str] = field(default_factory=list)  # GA, SC
    date_from: str | None = None
    date_to: str | None = None
    reports: list[str] = field(default_factory=list)  # the committee report, A/68/411
    committees: list[str] = field(default_factory=list)  # 第一委员会
    agenda_items: list[str] = field(default_factory=list)  # 103(u)

    def describe(self) -> list[str]:
        """The filters as a reader would say them: ``session 67-70``, ``verb 决定``."""
        parts = [
            "session " + (f"{low}" if low == high else f"{low}-{high}")
            for low, high in self.sessions
        ]
        for label, values in (
            ("resolution", self.resolutions),
            ("body", self.bodies),
            ("type", self.types),
            ("verb", self.verbs),
            ("cites", self.cites),
            ("report", self.reports),
            ("committee", self.committees),
            ("agenda item", self.agenda_items),
        ):
            parts.extend(f"{label} {value}" for value in values)
        parts.extend(
            f"{label} {value}"
            for label, value in (("from", self.date_from), ("to", self.date_to))
            if value
        )
        return parts

    def is_empty(self) -> bool:
        return not (
            self.sessions
            or self.resolutions
            or self.types
            or self.verbs
            or self.cites
            or self.bodies
            or self.date_from
            or self.date_to
            or self.reports
            or self.committees
            or self.agenda_items
        )


@dataclass
class Hit:
    id: str
    symbol: str
    resolution: str
    session: int | None  # None for the Security Council
    date: str | None
    type: str
    number: int | None
    item: str | None
    lead: str | None
    verb: str | None
    title: str
    text: str
    score: float
    highlights: list[tuple[int, int]]  # character spans into text
    # Everything the index holds of the paragraph (the export's record), for CSV.
    record: dict = field(default_factory=dict, repr=False)
    body: str = GA
    part: str | None = None  # the part letter in a multi-part resolution

    def to_dict(self) -> dict:
        data = dict(self.__dict__)
        del data["record"]
        data["highlights"] = [list(span) for span in self.highlights]
        return data


@dataclass
class SearchResult:
    query: str | None
    total: int
    hits: list[Hit]
    facets: dict | None = None  # Engine.facets of the same selection, when asked for


@dataclass
class Suggestion:
    """A query that finds something where the one typed found nothing."""

    query: str
    total: int
    meanings: list[str]  # what the change makes of the query: "a phrase", "a filter", …


def parse_session(text: str) -> tuple[int, int]:
    """``68`` → (68, 68); ``67-70`` → (67, 70)."""
    found = _SESSION_RE.match(text)
    if not found:
        raise QueryError(f"session {text!r} is not a number or a range such as 67-70")
    low = int(found.group(1))
    high = int(found.group(2) or low)
    if low > high:
        raise QueryError(f"session range {text!r} runs backwards; write {high}-{low}")
    return low, high


def parse_date(text: str, *, end: bool) -> int:
    """A date bound as YYYYMMDD; ``2013`` and ``2013-12`` cover the whole year or month."""
    found = _DATE_RE.match(text.strip())
    if not found:
        raise QueryError(f"date {text!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    year = int(found.group(1))
    month = int(found.group(2) or (12 if end else 1))
    day = int(found.group(3) or (31 if end else 1))
    if not (1 <= month <= 12 and 1 <= day <= 31):
        raise QueryError(f"date {text!r} is out of range")
    return year * 10000 + month * 100 + day


class Engine:
    """Searches one index; cheap to open, safe to keep open in a long-running process."""

    def __init__(self, catalog: Catalog, index_dir: Path | None = None):
        self.catalog = catalog
        self.index_dir = index_dir  # the folder opened, for its Whoosh word lexicon
        self.columns = catalog.columns
        lengths = catalog.grams.lengths().astype(np.float64)
        self._council: np.ndarray | None = None  # _council_paragraphs, made on first use
        self._length_norm = (
            K1 * (1 - B + B * lengths / max(float(lengths.mean()), 1.0))
            if len(lengths)
            else lengths
        )

    @classmethod
    def open(cls, index_dir: Path) -> Engine:
        """Open the index in ``index_dir``: IndexNotFound if there is none, CatalogError if
        its accelerator is not up to date (``unres index`` brings it up to date)."""
        return cls(Catalog.open(Path(index_dir)), Path(index_dir))

    # ------------------------------------------------------------------------ searching

    def search(
        self,
        query: str | None,
        filters: Filters | None = None,
        limit: int = 10,
        offset: int = 0,
        sort: str = "relevance",
        with_facets: bool = False,
    ) -> SearchResult:
        """Paragraphs matching ``query`` and ``filters``, best first, with highlights; with
        ``with_facets``, the facets of the whole result too, from the same selection."""
        if sort not in SORTS:
            raise QueryError(f"unknown sort {sort!r}; use one of {', '.join(SORTS)}")
        found: dict[str, TermMatches] = {}  # each term is looked up once per search
        node, mask = self._select(query, filters, found=found)
        docs = np.flatnonzero(mask)
        terms = [normalize(t) for t in query_language.terms(node)]
        scores = self._scores(docs, terms, found)
        order = self._order(docs, scores, sort, offset + limit)[offset : offset + limit]
        marked = terms + _citation_marks(filters, node)
        hits = [
            self._hit(record, float(scores[i]), marked)
            for i, record in zip(order, self.catalog.records(docs[order]))
        ]
        facets = self._facet_counts(mask, FACET_VERBS) if with_facets else None
        return SearchResult(query=query, total=len(docs), hits=hits, facets=facets)

    def resolution_named(self, query: str | None) -> str | None:
        """The symbol of the indexed resolution whose number the whole query is (68/46)."""
        number = canonical_number(_typed_number(query or ""))
        if number is None or not self.catalog.number_codes("resolution", number):
            return None
        return number

    def suggest(self, query: str | None, filters: Filters | None = None) -> Suggestion | None:
        """For a query that finds nothing: the same query with syntax typed full-width (or
        ``or`` in lower case) made ASCII, when that finds something."""
        variant = query_language.ascii_syntax(query or "")
        if variant is None:
            return None
        text, meanings = variant
        try:
            _, mask = self._select(text, filters)
        except QueryError:
            return None
        total = int(np.count_nonzero(mask))
        return Suggestion(text, total, meanings) if total else None

    def export(self, query: str | None = None, filters: Filters | None = None) -> Iterator[dict]:
        """Every matching paragraph's record, in chronological order."""
        yield from self.catalog.records(self.matching(query, filters))

    def matching(self, query: str | None = None, filters: Filters | None = None) -> np.ndarray:
        """The catalog ids of every matching paragraph, in chronological order."""
        _, mask = self._select(query, filters, allow_everything=True)
        docs = np.flatnonzero(mask)
        return docs[np.argsort(self.columns["chrono"][docs], kind="stable")]

    def resolution(self, number: str) -> list[dict]:
        """The records of every paragraph of one resolution, in document order."""
        return list(self.catalog.records(self.resolution_docs(number)))

    def resolution_docs(self, number: str) -> np.ndarray:
        """The catalog ids of one resolution's paragraphs (68/46, A/RES/68/46, or one part:
        50/72 B), in document order."""
        docs = self.catalog.resolution_docs(_canonical_resolution(number))
        if not len(docs):
            raise QueryError(f"resolution {number!r} is not in the index")
        return docs[np.argsort(self.columns["chrono"][docs], kind="stable")]

    def stats(self, top_verbs: int = 20) -> dict:
        """Counts of what is indexed: resolutions, paragraphs by type, session and verb."""
        live = self.catalog.live
        return {
            "resolutions": len(np.unique(np.asarray(self.columns["resolution"])[live])),
            "paragraphs": int(np.count_nonzero(live)),
            **self.facets(None, None, top_verbs),
        }

    def facets(
        self, query: str | None, filters: Filters | None = None, top_verbs: int = FACET_VERBS
    ) -> dict:
        """How the paragraphs matching ``query`` and ``filters`` (all, if neither) fall into
        bodies (General Assembly, Security Council), sessions, paragraph types and the
        ``top_verbs`` commonest clause verbs."""
        _, mask = self._select(query, filters, allow_everything=True)
        return self._facet_counts(mask, top_verbs)

    def _facet_counts(self, mask: np.ndarray, top_verbs: int) -> dict:
        vocab, columns = self.catalog.vocab, self.columns
        session_column = np.asarray(columns["session"])[mask]
        sessions = np.bincount(session_column[session_column >= 0])  # below 0: no session
        types = np.bincount(np.asarray(columns["type"])[mask], minlength=len(vocab["type"]))
        verb_column = np.asarray(columns["verb"])[mask]
        verbs = np.bincount(verb_column[verb_column >= 0], minlength=len(vocab["verb"]))
        commonest = np.argsort(-verbs, kind="stable")[:top_verbs]
        council = int(np.count_nonzero(self._council_paragraphs()[mask]))
        bodies = {GA: int(np.count_nonzero(mask)) - council, SC: council}
        return {
            "by_body": {body: n for body, n in bodies.items() if n},
            "by_type": {vocab["type"][i]: int(n) for i, n in enumerate(types) if n},
            "by_session": {s: int(n) for s, n in enumerate(sessions) if n},
            "verbs": {vocab["verb"][i]: int(verbs[i]) for i in commonest if verbs[i]},
        }

    def _council_paragraphs(self) -> np.ndarray:
        """Per paragraph: whether it is a Security Council resolution's (made once)."""
        if self._council is None:
            council = [body_of(number) == SC for number in self.catalog.vocab["resolution"]]
            codes = np.array([*council, False])  # NO_VALUE (-1) takes the last
            self._council = codes[np.asarray(self.columns["resolution"])]
        return self._council

    # ------------------------------------------------------------------------ selection

    def _select(
        self,
        query: str | None,
        filters: Filters | None,
        allow_everything: bool = False,
        found: dict[str, TermMatches] | None = None,
    ) -> tuple[query_language.Node | None, np.ndarray]:
        try:
            node = query_language.parse_query(query or "")
        except query_language.QuerySyntaxError as error:
            raise QueryError(f"query {query!r}: {error}") from error
        filters = filters or Filters()
        if node is None and filters.is_empty() and not allow_everything:
            raise QueryError("give a query, a filter (such as --session 68), or both")
        if node is None:
            mask = self.catalog.live
        else:
            mask = self._mask(node, {} if found is None else found) & self.catalog.live
        return node, mask & self._filter_mask(filters)

    def _mask(self, node, found: dict[str, TermMatches]) -> np.ndarray:
        if isinstance(node, query_language.Term):
            return self._term_mask(node.text, found)
        if isinstance(node, query_language.And):
            return np.logical_and.reduce([self._mask(child, found) for child in node.children])
        if isinstance(node, query_language.Or):
            return np.logical_or.reduce([self._mask(child, found) for child in node.children])
        if isinstance(node, query_language.Not):
            return ~self._mask(node.child, found)
        return self._filter_mask(_filters_of(node))

    def _term_mask(self, text: str, found: dict[str, TermMatches]) -> np.ndarray:
        term = normalize(text)
        if not term:
            raise QueryError(f"term {text!r} has nothing to search for once spaces are removed")
        mask = np.zeros(self.catalog.count, dtype=bool)
        mask[self._matches(term, found).docs] = True
        return mask

    def _matches(self, term: str, found: dict[str, TermMatches]) -> TermMatches:
        if term not in found:
            found[term] = self.catalog.grams.matches(term)
        return found[term]

    def _filter_mask(self, filters: Filters) -> np.ndarray:
        columns, count = self.columns, self.catalog.count
        mask = np.ones(count, dtype=bool)
        if filters.sessions:
            session = np.asarray(columns["session"])
            mask &= np.logical_or.reduce(
                [(session >= low) & (session <= high) for low, high in filters.sessions]
            )
        if filters.resolutions:
            codes = [
                code
                for value in filters.resolutions
                for code in self.catalog.number_codes("resolution", _canonical_resolution(value))
            ]
            mask &= np.isin(np.asarray(columns["resolution"]), codes)
        if filters.bodies:
            bodies = {_checked_body(value) for value in filters.bodies}
            vocabulary = self.catalog.vocab["resolution"]
            codes = [code for code, number in enumerate(vocabulary) if body_of(number) in bodies]
            mask &= np.isin(np.asarray(columns["resolution"]), codes)
        for column, values, canon in (
            ("type", filters.types, _checked_type),
            ("verb", filters.verbs, normalize_verb),
        ):
            if values:
                codes = [self.catalog.code(column, canon(value)) for value in values]
                mask &= np.isin(np.asarray(columns[column]), codes)
        for name, values in (
            ("report", filters.reports),
            ("committee", filters.committees),
            ("agenda_item", filters.agenda_items),
        ):
            if values:
                wanted = {normalize(value) for value in values}
                facts = self.catalog.resolution_facts
                codes = [
                    code
                    for code, fact in enumerate(facts)
                    if fact[name] and normalize(fact[name]) in wanted
                ]
                mask &= np.isin(np.asarray(columns["resolution"]), codes)
        if filters.cites:
            citing = np.zeros(count, dtype=bool)
            vocabulary = self.catalog.vocab["cites"]
            for value in filters.cites:
                for code in self.catalog.number_codes("cites", _canonical_resolution(value)):
                    citing[self.catalog.cited_by(vocabulary[code])] = True
            mask &= citing
        date = np.asarray(columns["date"])
        if filters.date_from and filters.date_to:
            if parse_date(filters.date_from, end=False) > parse_date(filters.date_to, end=True):
                raise QueryError(
                    f"dates run backwards: from {filters.date_from} is after to "
                    f"{filters.date_to}; swap them"
                )
        if filters.date_from:
            mask &= date >= parse_date(filters.date_from, end=False)
        if filters.date_to:
            mask &= (date <= parse_date(filters.date_to, end=True)) & (date > 0)
        return mask

    # ------------------------------------------------------------------------ ranking

    def _scores(
        self, docs: np.ndarray, terms: list[str], found: dict[str, TermMatches]
    ) -> np.ndarray:
        """Relevance of each selected paragraph: whole-word tier × 1000 + BM25F."""
        scores = np.zeros(len(docs), dtype=np.float64)
        total = max(int(np.count_nonzero(self.catalog.live)), 1)
        norm = self._length_norm[docs] if len(docs) else scores
        for term in dict.fromkeys(terms):
            matches = self._matches(term, found)
            idf = math.log(1 + (total - len(matches.docs) + 0.5) / (len(matches.docs) + 0.5))
            substring_tf = _counts_at(matches.docs, matches.counts, docs, self.catalog.count)
            whole_tf = (
                _counts_at(*matches.whole_word(), docs, self.catalog.count)
                if len(docs)
                else np.zeros(0, dtype=np.int64)
            )
            tf = whole_tf + PART_WEIGHT * (substring_tf - whole_tf)
            scores += idf * tf * (K1 + 1) / (tf + norm)
            scores += 1000.0 * (whole_tf > 0)
            scores += idf * TITLE_WEIGHT * self._in_title(term)[docs]
        return scores

    def _in_title(self, term: str) -> np.ndarray:
        """Per paragraph: 1.0 where its resolution's title contains ``term``."""
        titles = np.array([term in title for title in self.catalog.title_norms] + [False])
        return titles[np.asarray(self.columns["resolution"])].astype(np.float64)

    def _order(self, docs: np.ndarray, scores: np.ndarray, sort: str, wanted: int) -> np.ndarray:
        chrono = np.asarray(self.columns["chrono"])[docs]
        if sort == "date":
            return np.argsort(chrono, kind="stable")
        if sort == "-date":
            return np.argsort(-chrono, kind="stable")
        if wanted < len(docs):
            # Only the best ``wanted`` need a full sort; ties at the cut are kept whole.
            threshold = np.partition(-scores, wanted - 1)[wanted - 1]
            candidates = np.flatnonzero(-scores <= threshold)
        else:
            candidates = np.arange(len(docs))
        ranked = np.lexsort((chrono[candidates], -scores[candidates]))
        return candidates[ranked]

    # ------------------------------------------------------------------------ hits

    def _hit(self, record: dict, score: float, terms: list[str]) -> Hit:
        text = record["text"]
        return Hit(
            id=record["id"],
            symbol=record["symbol"],
            resolution=record["resolution"],
            session=record["session"],
            date=record.get("date"),
            type=record["type"],
            number=record.get("number"),
            item=record.get("item"),
            lead=record.get("lead"),
            verb=record.get("verb"),
            title=record["title"],
            text=text,
            score=round(score, 4),
            highlights=highlight_spans(text, terms),
            record=record,
            body=record.get("body", GA),
            part=record.get("part"),
        )


def highlight_spans(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """Character spans of ``text`` whose normalized form is one of the (normalized) ``terms``."""
    normalized, offsets = normalize_with_offsets(text)
    spans = []
    for term in terms:
        start = normalized.find(term) if term else -1
        while start >= 0:
            end = start + len(term)
            spans.append((offsets[start], offsets[end - 1] + 1))
            start = normalized.find(term, start + 1)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _counts_at(found: np.ndarray, counts: np.ndarray, docs: np.ndarray, size: int) -> np.ndarray:
    """For each of ``docs``, its count in the ``found``/``counts`` pair, else 0.

    Scattered into an array over all ``size`` documents and gathered back: at 285,000
    matches, several times faster than a binary search of each document.
    """
    dense = np.zeros(size, dtype=np.int64)
    dense[found] = counts
    return dense[docs]


def _filters_of(node) -> Filters:
    """A query-language filter (``session:68``) as command-line filters."""
    value, name = node.value, node.field
    if name == "session":
        return Filters(sessions=[parse_session(value)])
    if name in ("resolution", "symbol"):
        return Filters(resolutions=[value])
    if name == "type":
        return Filters(types=[value])
    if name == "verb":
        return Filters(verbs=[value])
    if name == "cites":
        return Filters(cites=[value])
    if name == "body":
        return Filters(bodies=[value])
    if name == "from":
        return Filters(date_from=value)
    if name == "to":
        return Filters(date_to=value)
    if name == "report":
        return Filters(reports=[value])
    if name == "committee":
        return Filters(committees=[value])
    if name == "agenda":
        return Filters(agenda_items=[value])
    raise QueryError(
        f"filter {name}: is not supported; use one of {', '.join(query_language.FILTER_FIELDS)}"
    )


def _citation_marks(filters: Filters | None, node) -> list[str]:
    """What to highlight for a cites filter: the cited number, as printed with or without
    the space before a part letter (56/24 T, 56/24T)."""
    cited = list(filters.cites if filters else [])
    cited += [leaf.value for leaf in query_language.filters(node) if leaf.field == "cites"]
    marks: list[str] = []
    for value in cited:
        number = canonical_number(_typed_number(value))
        if number:
            marks += {normalize(number), normalize(number.replace(" ", ""))}
    return marks


def _typed_number(value: str) -> str:
    """A resolution number or symbol as typed, full-width or lower case (a/res/６８/４６), in
    the form canonical_number reads."""
    return unicodedata.normalize("NFKC", value).strip().upper()


def _canonical_resolution(value: str) -> str:
    number = canonical_number(_typed_number(value))
    if number is None:
        raise QueryError(
            f"{value!r} is not a resolution number such as 68/46, A/RES/68/46, 2758 (XXVI) "
            "or S/RES/2446 (2018)"
        )
    return number


def _checked_body(value: str) -> str:
    body = value.strip().upper()
    if body not in (GA, SC):
        raise QueryError(
            f"body {value!r} is unknown; use GA (General Assembly) or SC (Security Council)"
        )
    return body


def _checked_type(value: str) -> str:
    if value not in PARAGRAPH_TYPES:
        raise QueryError(
            f"paragraph type {value!r} is unknown; use one of " + ", ".join(PARAGRAPH_TYPES)
        )
    return value


__all__ = ["CatalogError", "Engine", "Filters", "Hit", "QueryError", "SearchResult", "Suggestion"]
