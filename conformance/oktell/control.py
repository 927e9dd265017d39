"""Client of the Oktell simulator's control API (``/__sim/`` at ``--sim-control URL``)
for the cases that declare ``needs={"control"}``: a real PBX has no such API.

Through it the suite makes happen what only people do on a real PBX: the called
party answers (a world override for ``--number``), an incoming call rings a
line, and the clock stands still or moves (frozen in a case, then advanced), so
a case sees a call's states one by one. The suite never reads from it what a
case checks. Every call is recorded as evidence; a refused call raises
:class:`ControlError`. Cases undo what they change.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from nabat.conformance.framework.http.client import HttpClient

ANSWERS = {"outcomes": {"answered": 1}, "ring": 1, "listen": 3600, "dtmf": {"none": 1}}


class ControlError(RuntimeError):
    """The control API refused a request the suite relies on."""


class SimControl:
    def __init__(self, http: HttpClient) -> None:
        self.http = http

    def _json(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        headers: dict[str, str] = {}
        content = None
        if body is not None:
            content = json.dumps(body).encode("utf-8")
            headers["Content-Type"] = "application/json"
        response = self.http.request(method, "/__sim" + path, content=content, headers=headers)
        if response.status_code >= 300:
            raise ControlError(
                f"{method} /__sim{path} answered {response.status_code}: {response.text[:200]}"
            )
        return response.json() if response.content else None

    @contextmanager
    def frozen_clock(self) -> Iterator[None]:
        before = self._json("GET", "/clock")
        was_frozen = isinstance(before, dict) and before.get("frozen") is True
        self._json("POST", "/clock", {"freeze": True})
        try:
            yield
        finally:
            if not was_frozen:
                self._json("POST", "/clock", {"freeze": False})

    def advance(self, seconds: float) -> None:
        self._json("POST", "/clock", {"advance": seconds})

    @contextmanager
    def answering(self, number: str) -> Iterator[None]:
        """``number`` answers after a second and stays on the line (a world override)."""
        answer = self._json("POST", "/world/overrides", {"number": number, "voice": ANSWERS})
        key = answer.get("key") if isinstance(answer, dict) else None
        if not isinstance(key, str):
            raise ControlError(f"POST /__sim/world/overrides gave no key: {answer!r}")
        try:
            yield
        finally:
            self._json("DELETE", "/world/overrides", {"key": key})

    def incoming_call(self, source: str, line: str) -> None:
        self._json("POST", "/calls", {"from": source, "line": line, "ring_for": 600})


def probe(client: httpx.Client, base: str) -> str | None:
    """Why ``base`` is not a usable control API (None when GET /__sim/state answers JSON)."""
    url = base.rstrip("/") + "/__sim/state"
    try:
        response = client.get(url)
        data = response.json() if response.status_code == 200 else None
    except (httpx.HTTPError, ValueError) as exc:
        return f"GET {url} failed: {exc}"
    if not isinstance(data, dict):
        return f"no simulator control API at {base} (GET {url} answered {response.status_code})"
    return None
