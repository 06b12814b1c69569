"""The web application: every view as a page and as JSON, downloads, the OpenAPI document.

The server only reads: it is given an open :class:`~search.engine.Engine` and never writes the
index. Errors reach the client as one line, ``{"error": "…"}`` (a page showing that line for
HTML), never as a stack trace: a bad parameter is 400, an unknown resolution 404, and anything
unexpected 500 with the details in the server's log only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import chain

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from .. import __version__
from ..engine import Engine, QueryError
from ..formats import csv_lines, jsonl_lines
from . import html
from .params import BadRequest, Param, parse_params
from .views import FILTER_PARAMS, VIEWS, NotFound, View, query_and_filters

# No inline script or style, no other origin: text from a resolution can never run.
_PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
_DOWNLOADS: dict[str, tuple[str, Callable[[Iterable[dict]], Iterator[str]]]] = {
    "csv": ("text/csv; charset=utf-8", csv_lines),
    "jsonl": ("application/x-ndjson; charset=utf-8", jsonl_lines),
}


def create_app(engine: Engine) -> Starlette:
    templates = html.environment()

    def page(
        request: Request, template: str, data: dict, params: dict, extra: dict, status: int = 200
    ) -> HTMLResponse:
        """``data`` (the API's object) rendered; ``params``, the request's, for links and
        forms; ``extra``, what the page shows besides the API's object."""
        body = templates.get_template(template).render(
            data=data, params=params, extra=extra, request=request
        )
        return HTMLResponse(body, status_code=status, headers=_PAGE_HEADERS)

    def error(request: Request, status: int, message: str) -> Response:
        if request.url.path.startswith(("/api/", "/download", "/openapi")):
            return JSONResponse({"error": message}, status_code=status)
        given = {name: request.query_params.getlist(name) for name in request.query_params}
        data = {"error": message, "status": status}
        return page(request, "error.html", data, given, {}, status)  # the form keeps them

    def json_endpoint(view: View):
        def endpoint(request: Request) -> Response:
            args = parse_params(view.params, request.query_params.multi_items())
            return JSONResponse(view.build(engine, args))

        return endpoint

    def page_endpoint(view: View):
        def endpoint(request: Request) -> Response:
            given = request.query_params.multi_items()
            empty = not any(value for _, value in given)  # also an empty search box sent
            shown = VIEWS[view.landing] if view.landing and empty else view
            args = parse_params(shown.params, [] if empty else given)
            data = shown.build(engine, args)
            extra = shown.extra(engine, args, data) if shown.extra else {}
            assert shown.template, "only views with a template have a page route"
            return page(request, shown.template, data, args, extra)

        return endpoint

    def download(request: Request) -> Response:
        kind = request.path_params["kind"]
        if kind not in _DOWNLOADS:
            raise HTTPException(404, f"no download of kind {kind!r}; use .csv or .jsonl")
        args = parse_params(FILTER_PARAMS, request.query_params.multi_items())
        media_type, lines = _DOWNLOADS[kind]
        records = engine.export(*query_and_filters(args))
        first = next(records, None)  # a bad query fails here, before the response starts
        # A CSV starts with the BOM spreadsheet programs need to read UTF-8 (csv_lines).
        body = lines(chain([first], records) if first else [])
        return StreamingResponse(
            body,
            media_type=media_type,
            headers={"Content-Disposition": f'attachment; filename="unres.{kind}"'},
        )

    def openapi(request: Request) -> Response:
        return JSONResponse(openapi_document())

    def known_error(status: int):
        def handler(request: Request, exc: Exception) -> Response:
            return error(request, status, str(exc))

        return handler

    def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return error(request, exc.status_code, exc.detail)

    def unexpected_error(request: Request, exc: Exception) -> Response:
        # The server prints the traceback to its own log; the client gets one line.
        return error(request, 500, "internal error; the server's log has the details")

    routes: list[BaseRoute] = [
        Route(f"/api/{view.name}", json_endpoint(view)) for view in VIEWS.values()
    ]
    routes += [Route(view.page, page_endpoint(view)) for view in VIEWS.values() if view.page]
    routes += [
        Route("/download.{kind}", download),
        Route("/openapi.json", openapi),
        Mount("/static", StaticFiles(directory=html.STATIC), name="static"),
    ]
    return Starlette(
        routes=routes,
        exception_handlers={
            BadRequest: known_error(400),
            QueryError: known_error(400),
            NotFound: known_error(404),
            HTTPException: http_error,
            Exception: unexpected_error,
        },
    )


def openapi_document() -> dict:
    """The OpenAPI 3.1 description of ``/api/…`` and the downloads, from the views' tables."""
    error = {
        "description": "One line saying what is wrong",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }

    def operation(summary: str, params: tuple[Param, ...], media_type: str) -> dict:
        return {
            "get": {
                "summary": summary,
                "parameters": [param.openapi() for param in params],
                "responses": {
                    "200": {"description": "OK", "content": {media_type: {}}},
                    "400": error,
                    "404": error,
                },
            }
        }

    paths = {
        f"/api/{view.name}": operation(view.summary, view.params, "application/json")
        for view in VIEWS.values()
    }
    for kind, (media_type, _) in _DOWNLOADS.items():
        paths[f"/download.{kind}"] = operation(
            f"Every matching paragraph, oldest first, as `unres export{' --csv' * (kind == 'csv')}`"
            " writes it",
            FILTER_PARAMS,
            media_type.partition(";")[0],
        )
    return {
        "openapi": "3.1.0",
        "info": {"title": "unres", "version": __version__},
        "paths": paths,
        "components": {
            "schemas": {
                "Error": {
                    "type": "object",
                    "properties": {"error": {"type": "string"}},
                    "required": ["error"],
                }
            }
        },
    }
