"""One form POST over a FastHttpUser session's own HTTP client, without Locust's wrapper.

Why: the suite validates every answer itself and reports it itself, so
Locust's ``FastHttpSession.request(..., catch_response=True)`` would only add
work per request (copying headers and context, building a
``ResponseContextManager``, raising ``LocustBadStatusCode`` for the 400s and
404s this suite expects). ``post_form`` calls the session's
``LocustUserAgent.urlopen`` — the same geventhttpclient connection pool,
keep-alive and timeouts as ``self.client.post`` — with every status accepted
as an answer and redirects not followed, and returns an ``Answer``; the
caller validates it and fires Locust's ``request`` event. Connection errors
and timeouts become an ``Answer`` with status 0 and the error.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from locust.contrib.fasthttp import FAILURE_EXCEPTIONS, FastHttpSession

FORM_HEADERS = {"Content-Type": "application/x-www-form-urlencoded"}
EVERY_STATUS = frozenset(range(100, 600))
_EMPTY: dict[str, str] = {}


@dataclass(slots=True)
class Answer:
    status: int  # 0: no HTTP answer
    headers: Any  # geventhttpclient Headers (case-insensitive .get) or {}
    content: bytes
    elapsed_ms: float
    start_time: float
    response: Any
    error: BaseException | None = None


def accept_every_status(session: FastHttpSession) -> None:
    """Let every status through as an answer (the suite's validators judge them)."""
    session.client.valid_response_codes = EVERY_STATUS  # type: ignore[misc]


def post_form(session: FastHttpSession, url: str, body: str) -> Answer:
    start_time = time.time()
    started = time.perf_counter()
    try:
        response = session.client.urlopen(
            url, method="POST", payload=body, headers=FORM_HEADERS, max_redirects=0
        )
        content = response.content or b""
    except FAILURE_EXCEPTIONS as error:
        return Answer(
            0, _EMPTY, b"", (time.perf_counter() - started) * 1000.0, start_time, None, error
        )
    return Answer(
        response.status_code,
        response.headers or _EMPTY,
        content,
        (time.perf_counter() - started) * 1000.0,
        start_time,
        response,
    )
