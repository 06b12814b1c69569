"""Rendering views as HTML: the Jinja2 environment (autoescaping everything) and its helpers."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import jinja2
from markupsafe import Markup, escape

from ..trace import timeline
from .views import SEARCH_PARAMS

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"

TYPE_LABELS = {
    "preamble": "序言段",
    "operative": "执行段",
    "subparagraph": "分段",
    "annex": "附件",
    "footnote": "脚注",
}
FILTER_LABELS = {
    "session": "届会",
    "resolution": "决议",
    "type": "段落类型",
    "verb": "动词",
    "body": "机构",
    "report": "报告",
    "committee": "委员会",
    "agenda_item": "议程项目",
    "cites": "引用",
    "from": "起于",
    "to": "止于",
}
BODY_LABELS = {"GA": "大会", "SC": "安理会"}
STATUS_LABELS = {
    "same": "未改",
    "moved": "移位",
    "changed": "修改",
    "added": "新增",
    "removed": "删除",
}
SORT_LABELS = {"relevance": "相关度", "date": "日期（由早到晚）", "-date": "日期（由晚到早）"}
# Defaults are left out of links, so that every URL is as short as it can be.
_DEFAULTS = {param.name: param.default for param in SEARCH_PARAMS if param.default is not None}


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        url=url,
        without=without,
        narrowed=narrowed,
        values_of=values_of,
        TYPE_LABELS=TYPE_LABELS,
        FILTER_LABELS=FILTER_LABELS,
        BODY_LABELS=BODY_LABELS,
        SORT_LABELS=SORT_LABELS,
        STATUS_LABELS=STATUS_LABELS,
        timeline_chart=timeline_chart,
    )
    env.filters.update(marked=marked, anchor=anchor, paragraph_label=paragraph_label)
    return env


def values_of(params: dict, name: str) -> list:
    """The values of parameter ``name`` that a link or form must carry (defaults left out)."""
    value = params.get(name)
    return [v for v in (value if isinstance(value, list) else [value]) if _kept(name, v)]


def _kept(name: str, value: object) -> bool:
    return value is not None and value != "" and _DEFAULTS.get(name) != value


def url(path: str, params: dict | None = None, **changes) -> str:
    """``path`` with ``params`` as its query string, ``changes`` replacing (None: removing)
    parameters."""
    merged = {**(params or {}), **changes}
    pairs = [
        f"{name}={_quoted(str(value))}" for name in merged for value in values_of(merged, name)
    ]
    return path + ("?" + "&".join(pairs) if pairs else "")


def narrowed(params: dict, name: str, value: object) -> str:
    """The search page for ``params`` with ``name`` set to ``value`` alone (a facet's link)."""
    return url("/", {**params, name: value, "page": None})


def without(params: dict, name: str, value: object) -> dict:
    """``params`` less one value of ``name`` (and back on the first page)."""
    values = params[name] if isinstance(params[name], list) else [params[name]]
    return {**params, name: [v for v in values if v != value], "page": None}


def _quoted(value: str) -> str:
    """``value`` for a query string, Chinese left readable (the browser encodes it on use)."""
    return "".join(char if ord(char) > 127 else quote(char, safe="/:") for char in value)


def marked(text: str, spans: list) -> Markup:
    """``text`` escaped, with the characters of each ``[start, end]`` span in ``<mark>``."""
    pieces, cursor = [], 0
    for start, end in spans:
        pieces.append(escape(text[cursor:start]))
        pieces.append(Markup("<mark>%s</mark>") % text[start:end])
        cursor = end
    pieces.append(escape(text[cursor:]))
    return Markup("").join(pieces)


def anchor(paragraph_id: str) -> str:
    """The fragment of a paragraph's id: ``A/RES/68/46#op9`` → ``op9``."""
    return paragraph_id.partition("#")[2]


def paragraph_label(paragraph: dict) -> str:
    """How a reader names a paragraph: 执行段 9, 分段 3(a), 脚注 2, 序言段 (unnumbered)."""
    label = TYPE_LABELS.get(paragraph["type"], paragraph["type"])
    number = "" if paragraph.get("number") is None else str(paragraph["number"])
    if paragraph.get("item"):
        number += f"({paragraph['item']})"
    return f"{label} {number}".strip()


# The trace chart's geometry, in pixels: a slot per session, as wide as fits the page.
CHART_WIDTH, CHART_HEIGHT = 880, 200
_PLOT_TOP, _PLOT_BOTTOM = 22, 170  # room for the counts above, the sessions below
_SLOT_RANGE = (12, 64)


@dataclass(frozen=True)
class Bar:
    session: str
    count: int
    x: float
    y: float  # top of the bar
    width: float
    height: float
    labelled: bool  # whether its session number is written under it (not every one fits)


def timeline_chart(by_session: dict[str, int]) -> dict:
    """Bars for the uses per session (sessions between with none included) and the size of
    the drawing they make."""
    counts = timeline(by_session)
    slot = min(max(CHART_WIDTH / max(len(counts), 1), _SLOT_RANGE[0]), _SLOT_RANGE[1])
    top = max((count for _, count in counts), default=0) or 1
    every = 1 if slot >= 26 else 5
    bars = []
    for i, (session, count) in enumerate(counts):
        height = (_PLOT_BOTTOM - _PLOT_TOP) * count / top
        ends = i in (0, len(counts) - 1)
        numbered = session.isdigit() and int(session) % every == 0
        bars.append(
            Bar(
                session,
                count,
                x=round(i * slot + slot * 0.15, 1),
                y=round(_PLOT_BOTTOM - height, 1),
                width=round(slot * 0.7, 1),
                height=round(height, 1),
                labelled=ends or numbered,
            )
        )
    return {
        "bars": bars,
        "width": round(slot * len(counts), 1),
        "height": CHART_HEIGHT,
        "baseline": _PLOT_BOTTOM,
        "counts_fit": slot >= 18,  # room to write each bar's count above it
    }
