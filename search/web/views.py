"""The views: each turns checked parameters into one dict, which the app sends as JSON
(``/api/<name>``) or renders with the view's template (its page).

Adding a view is one function here, one :class:`View` in ``VIEWS`` and one template.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..completion import completions
from ..diff import diff as compare
from ..diff import paragraph_changes
from ..engine import SORTS, Engine, Filters, QueryError, parse_session
from ..formats import search_object
from ..lineage import lineage as series_of
from ..model import PARAGRAPH_TYPES
from ..resolutions import resolution_code, summary
from ..shown import shown
from ..similar import similar as similar_to
from ..trace import trace as trace_wording
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
    Param(
        "body",
        "GA (General Assembly) or SC (Security Council)",
        repeatable=True,
        choices=("GA", "SC"),
    ),
    Param("type", "Paragraph type", repeatable=True, choices=PARAGRAPH_TYPES),
    Param("verb", "Clause verb, e.g. 决定 (又决定 and 还决定 included)", repeatable=True),
    Param("cites", "Paragraphs citing this resolution, e.g. 67/56", repeatable=True),
    Param("report", "Adopted on this committee report, e.g. A/68/411", repeatable=True),
    Param(
        "committee",
        "Adopted on the report of this Main Committee, e.g. 第一委员会",
        repeatable=True,
    ),
    Param("agenda_item", "Under this agenda item, e.g. 103(u)", repeatable=True),
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
        bodies=args["body"],
        reports=args["report"],
        committees=args["committee"],
        agenda_items=args["agenda_item"],
        date_from=args["from"],
        date_to=args["to"],
    )
    return args["q"], filters


def search(engine: Engine, args: dict) -> dict:
    """One page of ranked hits (the object ``unres search --json`` prints) and the facets."""
    query, filters = query_and_filters(args)
    limit, page = args["limit"], args["page"]
    result = engine.search(
        query, filters, limit=limit, offset=(page - 1) * limit, sort=args["sort"], with_facets=True
    )
    return {
        **search_object(result),
        "page": page,
        "pages": max(1, -(-result.total // limit)),
        "limit": limit,
        "sort": args["sort"],
        "facets": result.facets,
        "parameters": args,
    }


def resolution(engine: Engine, args: dict) -> dict:
    """One resolution: the object ``unres show --json`` prints (with what it cites, what cites
    it and its lineage), each paragraph with its id and the spans matching ``q``, if given."""
    number = indexed(engine, args["number"])
    found = shown(engine, number)
    data = found.to_dict()
    marked = {}
    if args["q"]:
        within = Filters(resolutions=[number])
        hits = engine.search(args["q"], within, limit=len(found.ids)).hits
        marked = {hit.id: [list(span) for span in hit.highlights] for hit in hits}
    data["query"] = args["q"]
    for paragraph, paragraph_id in zip(data["paragraphs"], found.ids):
        paragraph["id"] = paragraph_id
        paragraph["highlights"] = marked.get(paragraph_id, [])
    return data


def indexed(engine: Engine, number: str) -> str:
    """``number`` when that resolution is in the index; NotFound (404) when it is not."""
    try:
        engine.resolution_docs(number)
    except QueryError as error:
        raise NotFound(str(error)) from error
    return number


def trace(engine: Engine, args: dict) -> dict:
    """Where and when a wording was used: the object ``unres trace --json`` prints."""
    query, filters = query_and_filters(args)
    return trace_wording(engine, query or "", filters).to_dict()


def lineage(engine: Engine, args: dict) -> dict:
    """The series of a resolution: the object ``unres lineage --json`` prints."""
    return series_of(engine, indexed(engine, args["number"])).to_dict()


def diff(engine: Engine, args: dict) -> dict:
    """Two resolutions' paragraphs aligned, word changes inside: ``unres diff --json``."""
    new = indexed(engine, args["new"])
    old = indexed(engine, args["old"]) if args["old"] else None
    return compare(engine, new, old).to_dict()


def compared(engine: Engine, args: dict, data: dict) -> dict:
    """What the diff page shows besides the API's object: the two resolutions' facts."""
    return {
        side: summary(engine, resolution_code(engine, data[side])).to_dict()
        for side in ("old", "new")
    }


def similar(engine: Engine, args: dict) -> dict:
    """The paragraphs worded as one paragraph is: the object ``unres similar --json`` prints."""
    return similar_to(engine, args["id"], limit=args["limit"]).to_dict()


def similar_changes(engine: Engine, args: dict, data: dict) -> dict:
    """What the similar page shows besides the API's object: each nearly identical paragraph
    with the words it changes from the one asked about (``{id: changes}``)."""
    near = [hit["id"] for hit in data["hits"] if not hit["identical"]]
    changes = paragraph_changes(engine, data["id"], near)
    return {"changes": {i: [c.to_dict() for c in cs] for i, cs in zip(near, changes)}}


def complete(engine: Engine, args: dict) -> dict:
    """The commonest words starting with a prefix, from the index's lexicon (the search box's
    word completion)."""
    return completions(engine, args["prefix"], limit=args["limit"])


def stats(engine: Engine, args: dict) -> dict:
    """What is indexed: resolutions, paragraphs by type and session, the commonest verbs."""
    return engine.stats()


@dataclass(frozen=True)
class View:
    name: str  # the API answers at /api/<name>
    build: Callable[[Engine, dict], dict]
    params: tuple[Param, ...]
    page: str | None  # the path of its HTML page (None: the API alone)
    template: str | None
    summary: str
    landing: str | None = None  # the view the page shows when given no parameters at all
    # What the page shows besides the API's object: (engine, args, object) -> the template's
    # ``extra``; the API answers the command line's object alone.
    extra: Callable[[Engine, dict, dict], dict] | None = None


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
            "trace",
            trace,
            FILTER_PARAMS,
            "/trace",
            "trace.html",
            "A wording through the years: first and latest use, uses per session, resolutions",
        ),
        View(
            "lineage",
            lineage,
            (Param("number", "Resolution number or symbol, e.g. 75/47", required=True),),
            "/lineage",
            "lineage.html",
            "The series of a recurring resolution, oldest first",
        ),
        View(
            "diff",
            diff,
            (
                Param("old", "The earlier resolution; by default NEW's predecessor in its series"),
                Param("new", "The later resolution, e.g. 75/47", required=True),
            ),
            "/diff",
            "diff.html",
            "Two resolutions' paragraphs aligned, with the words changed in each",
            extra=compared,
        ),
        View(
            "similar",
            similar,
            (
                Param("id", "Paragraph id as in search hits, e.g. A/RES/75/47#op2", required=True),
                Param(
                    "limit",
                    "Paragraphs shown",
                    integer=True,
                    default=10,
                    minimum=1,
                    maximum=MAX_LIMIT,
                ),
            ),
            "/similar",
            "similar.html",
            "Paragraphs with the same or nearly the same wording, identical first",
            extra=similar_changes,
        ),
        View(
            "complete",
            complete,
            (
                Param("prefix", "The start of a word, e.g. 多边", required=True, max_chars=50),
                Param("limit", "Words", integer=True, default=10, minimum=1, maximum=50),
            ),
            None,
            None,
            "Words of the indexed text starting with a prefix, commonest first, with the "
            "number of paragraphs holding each",
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
