"""Finding a control API's handler: the request's path and query, then its route.

The control APIs keep a table ``{(METHOD, "/__sim/path"): handler}``.
``control_path`` is the request path without a trailing slash, ``query_of``
the query with the last value of each name, and ``find_route`` the table's
handler, or ``ControlError`` 405 (the path is known under other methods) or
404 (it is not). ``dispatch`` is a whole control API's ``handle``: the JSON
body decoded, the paths with an id in them (``by_prefix``: ``(METHOD,
"/__sim/faults/")`` -> handler of the path) tried first, then the table; the
handler's result as a 200 JSON reply, a ``ControlError`` as its status, and
the simulator's own validation errors (``client_errors``) as 400.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from typing import TypeVar
from urllib.parse import parse_qs

from nabat.simulators.control.json_api import (
    Body,
    ControlError,
    decode_body,
    error_response,
    json_response,
)
from nabat.simulators.http.messages import HandlerResult, Request

H = TypeVar("H")
T = TypeVar("T")
Query = dict[str, str]
MAX_ERROR_TEXT = 500  # characters of a validation error echoed back


def control_path(request: Request) -> str:
    return request.path.rstrip("/") or "/"


def query_of(request: Request) -> dict[str, str]:
    """The query parameters, the last value of a repeated name winning."""
    return {k: v[-1] for k, v in parse_qs(request.query).items()}


def find_route(routes: Mapping[tuple[str, str], H], method: str, path: str) -> H:
    """The handler of ``method path``, or a 405 or 404 ``ControlError``."""
    handler = routes.get((method, path))
    if handler is None:
        if any(known == path for _, known in routes):
            raise ControlError(f"{method} is not allowed on {path}", 405)
        raise ControlError(f"unknown control path {path[:200]}", 404)
    return handler


def dispatch(
    request: Request,
    target: T,
    routes: Mapping[tuple[str, str], Callable[[T, Body, Query], object]],
    *,
    by_prefix: Mapping[tuple[str, str], Callable[[T, str], object]] | None = None,
    client_errors: tuple[type[Exception], ...] = (),
) -> HandlerResult:
    """A control API's reply to ``request`` (module comment); handlers are synchronous."""
    try:
        body = decode_body(request.body)
        query = query_of(request)
        path = control_path(request)
        for (method, prefix), by_path in (by_prefix or {}).items():
            if request.method == method and path.startswith(prefix):
                return json_response(200, by_path(target, path))
        handler = find_route(routes, request.method, path)
        result = handler(target, body, query)
        assert not inspect.isawaitable(result)
        return json_response(200, result)
    except ControlError as error:
        return error_response(error)
    except client_errors as error:
        return json_response(400, {"error": str(error)[:MAX_ERROR_TEXT]})
