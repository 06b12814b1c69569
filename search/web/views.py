"""The views: each turns checked parameters into one dict, which the app sends as JSON
(``/api/<name>``) or renders with the view's template (its page).

Adding a view is one function here, one :class:`View` in ``VIEWS`` and one template.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import islice

from ..engine import SORTS, Engine, Filters, QueryError, parse_session
from ..formats import resolution_from_records, search_object
from ..model import PARAGRAPH_TYPES
from .params import MAX_LIMIT, Param

PAGE_SIZE = 20


class NotFound(LookupError):
    """What the request names is not in the index (status 404)."""


FILTER_PARAMS = (
    Param(
        "q",
        'Query in the command line\'s language: words (AND), "phrases", OR, -word, (groups), '
        "field:value filters",
    ),
    Param("session", "Session or range of sessions, e.g. 68 or 67-70", repeatable=True),
    Param("resolution", "Resolution number or symbol, e.g. 68/46 or A/RES/68/46", repeatable=True),
    Param("type", "Paragraph type", repeatable=True, choices=PARAGRAPH_TYPES),
    Param("verb", "Clause verb, e.g. 决定 (又决定 and 还决定 included)", repeatable=True),
    Param("cites", "Paragraphs citing this resolution, e.g. 67/56", repeatable=True),
    Param("from", "Adopted on or after this date: YYYY, YYYY-MM or YYYY-MM-DD"),
    Param("to", "Adopted on or before this date: YYYY, YYYY-MM or YYYY-MM-DD"),
)
SEARCH_PARAMS = FILTER_PARAMS + (
    Param("sort", "Best first, oldest first or newest first", default="relevance", choices=SORTS),
    Param("page", "Page of hits, from 1", integer=True, default=1, minimum=1),
    Param("limit", "Hits per page", integer=True, default=PAGE_SIZE, minimum=1, maximum=MAX_LIMIT),
)


def query_and_filters(args: dict) -> tuple[str | None, Filters]:
    """The engine's query and filters from checked search parameters."""
    filters = Filters(
        sessions=[parse_session(session) for session in args["session"]],
        resolutions=args["resolution"],
        types=args["type"],
        verbs=args["verb"],
        cites=args["cites"],
        date_from=args["from"],
        date_to=args["to"],
    )
    return args["q"], filters


def search(engine: Engine, args: dict) -> dict:
    """One page of ranked hits (the object ``unres search --json`` prints) and the facets."""
    query, filters = query_and_filters(args)
    limit, page = args["limit"], args["page"]
    result = engine.search(
        query, filters, limit=limit, offset=(page - 1) * limit, sort=args["sort"]
    )
    return {
        **search_object(result),
        "page": page,
        "pages": max(1, -(-result.total // limit)),
        "limit": limit,
        "sort": args["sort"],
        "facets": engine.facets(query, filters),
        "parameters": args,
    }


def resolution(engine: Engine, args: dict) -> dict:
    """One resolution (the object ``unres show --json`` prints, each paragraph with its id and
    the spans matching ``q``, if given), the resolutions it cites and the paragraphs citing it."""
    try:
        records = sorted(engine.resolution(args["number"]), key=lambda r: r["position"])
    except QueryError as error:
        raise NotFound(str(error)) from error
    data = resolution_from_records(records).to_dict()
    marked = {}
    if args["q"]:
        within = Filters(resolutions=[data["number"]])
        hits = engine.search(args["q"], within, limit=len(records)).hits
        marked = {hit.id: [list(span) for span in hit.highlights] for hit in hits}
    data["query"] = args["q"]
    for paragraph, record in zip(data["paragraphs"], records):
        paragraph["id"] = record["id"]
        paragraph["highlights"] = marked.get(record["id"], [])
    cited = dict.fromkeys(number for p in data["paragraphs"] for number in p["cites"])
    data["cites"] = [{"number": number, "indexed": _indexed(engine, number)} for number in cited]
    data["cited_by"] = _citing(engine, data["number"])
    return data


def _indexed(engine: Engine, number: str) -> bool:
    try:
        return any(True for _ in islice(engine.export(None, Filters(resolutions=[number])), 1))
    except QueryError:  # a citation that is no resolution number (the parser keeps S-10/2 too)
        return False


def _citing(engine: Engine, number: str) -> list[dict]:
    """The resolutions citing ``number``, oldest first, each with its citing paragraphs."""
    citing: dict[str, dict] = {}
    for record in engine.export(None, Filters(cites=[number])):
        entry = citing.setdefault(
            record["resolution"],
            {name: record.get(name) for name in ("resolution", "symbol", "title", "date")}
            | {"paragraphs": []},
        )
        entry["paragraphs"].append(
            {name: record[name] for name in ("id", "type", "number", "item")}
        )
    return list(citing.values())


def stats(engine: Engine, args: dict) -> dict:
    """What is indexed: resolutions, paragraphs by type and session, the commonest verbs."""
    return engine.stats()


@dataclass(frozen=True)
class View:
    name: str  # the API answers at /api/<name>
    build: Callable[[Engine, dict], dict]
    params: tuple[Param, ...]
    page: str  # the path of its HTML page
    template: str
    summary: str
    landing: str | None = None  # the view the page shows when given no parameters at all


VIEWS = {
    view.name: view
    for view in (
        View(
            "search",
            search,
            SEARCH_PARAMS,
            "/",
            "search.html",
            "Ranked paragraphs with highlights, and facets of the whole result",
            landing="stats",
        ),
        View(
            "resolution",
            resolution,
            (
                Param("number", "Resolution number or symbol, e.g. 68/46", required=True),
                Param("q", "A query whose matches in this resolution are marked"),
            ),
            "/resolution",
            "resolution.html",
            "One resolution: metadata, paragraphs, what it cites and what cites it",
        ),
        View(
            "stats",
            stats,
            (),
            "/stats",
            "stats.html",
            "Resolutions and paragraphs indexed, by type, session and commonest verbs",
        ),
    )
}
