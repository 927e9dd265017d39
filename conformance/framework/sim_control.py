"""The suites' client of a simulator's control API (``/__sim/...`` at ``--sim-control URL``).

How it works: ``SimControlBase._json`` sends one JSON request through the
suite's recording ``HttpClient`` (so every call is evidence) to
``/__sim`` + path, with the control token from the environment variable
``token_env`` names when there is one, and raises ``ControlError`` when the
API refuses (status 300 or more); the answer's JSON is returned (None when
empty). On it stand what several simulators share: ``frozen_clock`` /
``advance`` of the simulated clock and adding / removing a world override.
``probe`` says why a URL is not a usable control API (None when
``GET /__sim/state`` answers a JSON object). A suite's ``SimControl``
subclasses the base and adds its simulator's own calls.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlencode

import httpx
from nabat.conformance.framework.http.client import HttpClient

PREFIX = "/__sim"


class ControlError(RuntimeError):
    """The control API refused a request the suite relies on."""


def token_headers(token_env: str | None) -> dict[str, str]:
    """``X-Sim-Token`` from the environment variable ``token_env`` (none: no header)."""
    token = os.environ.get(token_env) if token_env else None
    return {"X-Sim-Token": token} if token else {}


class SimControlBase:
    token_env: str | None = None  # the environment variable holding the control token

    def __init__(self, http: HttpClient) -> None:
        self.http = http

    def _json(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None = None,
        params: dict[str, Any] | None = None,
    ) -> Any:
        headers = token_headers(self.token_env)
        content = None
        if body is not None:
            content = json.dumps(body).encode("utf-8")
            headers["Content-Type"] = "application/json"
        query = f"?{urlencode(params)}" if params else ""
        response = self.http.request(
            method, PREFIX + path + query, content=content, headers=headers
        )
        if response.status_code >= 300:
            raise ControlError(
                f"{method} {PREFIX}{path} answered {response.status_code}: {response.text[:200]}"
            )
        return response.json() if response.content else None

    @contextmanager
    def frozen_clock(self) -> Iterator[None]:
        """The simulated clock stands still in the block (only :meth:`advance` moves
        it); it runs again afterwards unless it was frozen before."""
        before = self._json("GET", "/clock")
        was_frozen = isinstance(before, dict) and before.get("frozen") is True
        self._json("POST", "/clock", {"freeze": True})
        try:
            yield
        finally:
            if not was_frozen:
                self._json("POST", "/clock", {"freeze": False})

    def advance(self, seconds: float) -> None:
        """Move the simulated clock (what falls due on the way runs)."""
        self._json("POST", "/clock", {"advance": seconds})

    def add_override(self, override: dict[str, Any]) -> str:
        """A world override (``number`` and what it does); returns its key."""
        answer = self._json("POST", "/world/overrides", override)
        key = answer.get("key") if isinstance(answer, dict) else None
        if not isinstance(key, str):
            raise ControlError(f"POST {PREFIX}/world/overrides gave no key: {answer!r}")
        return key

    def remove_override(self, key: str) -> None:
        self._json("DELETE", "/world/overrides", {"key": key})


def probe(client: httpx.Client, base: str, *, token_env: str | None = None) -> str | None:
    """Why ``base`` is not a usable control API (None when ``GET /__sim/state`` answers
    a JSON object)."""
    url = base.rstrip("/") + PREFIX + "/state"
    try:
        response = client.get(url, headers=token_headers(token_env))
        data = response.json() if response.status_code == 200 else None
    except (httpx.HTTPError, ValueError) as exc:
        return f"GET {url} failed: {exc}"
    if not isinstance(data, dict):
        return f"no simulator control API at {base} (GET {url} answered {response.status_code})"
    return None
