"""Finding a control API's handler: the request's path and query, then its route.

The control APIs keep a table ``{(METHOD, "/__sim/path"): handler}``.
``control_path`` is the request path without a trailing slash, ``query_of``
the query with the last value of each name, and ``find_route`` the table's
handler, or ``ControlError`` 405 (the path is known under other methods) or
404 (it is not).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar
from urllib.parse import parse_qs

from nabat.simulators.control.json_api import ControlError
from nabat.simulators.http.messages import Request

H = TypeVar("H")


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
