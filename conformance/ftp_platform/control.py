"""The FTP platform simulator's control API, as the suite uses it (capability ``control``).

A real platform shows what an archive became only in its "personal account"
(a web site); Nabat's simulator shows it through its control API
(``--sim-control URL``): the messages accepted from a login (``GET
/__sim/messages``: address, text, sender, validity in seconds, send time), the
journal of archives (``GET /__sim/journal``: accepted or rejected, with the
problem), and the simulated clock (``POST /__sim/clock`` ``{"advance": s}``),
which the suite moves by one poll period instead of waiting ten real seconds.
Every call is recorded as evidence (the framework's HTTP exchange, with its
curl line); a refused call raises :class:`ControlError` (the case ends in error).
"""

from __future__ import annotations

import json
import os
from typing import Any
from urllib.parse import urlencode

import httpx
from nabat.conformance.framework.http.client import HttpClient

TOKEN_ENV = "NABAT_FTP_CONTROL_TOKEN"
MESSAGES, JOURNAL, CLOCK, STATE = "/messages", "/journal", "/clock", "/state"


class ControlError(RuntimeError):
    """The control API refused a request the suite relies on."""


def token_headers() -> dict[str, str]:
    token = os.environ.get(TOKEN_ENV)
    return {"X-Sim-Token": token} if token else {}


def _items(answer: Any, key: str) -> list[dict[str, Any]]:
    items = answer.get(key) if isinstance(answer, dict) else answer
    if not isinstance(items, list):
        raise ControlError(f"expected a list of {key}, got {str(answer)[:200]}")
    return [item for item in items if isinstance(item, dict)]


class SimControl:
    def __init__(self, http: HttpClient, login: str) -> None:
        self.http = http
        self.login = login

    def _json(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None = None,
        params: dict[str, Any] | None = None,
    ) -> Any:
        headers = token_headers()
        content = None
        if body is not None:
            content = json.dumps(body).encode("utf-8")
            headers["Content-Type"] = "application/json"
        query = f"?{urlencode(params)}" if params else ""
        response: httpx.Response = self.http.request(
            method, "/__sim" + path + query, content=content, headers=headers
        )
        if response.status_code >= 300:
            raise ControlError(
                f"{method} /__sim{path} answered {response.status_code}: {response.text[:200]}"
            )
        return response.json() if response.content else None

    def advance(self, seconds: float) -> None:
        """Move the simulated clock (the platform's polls due on the way run)."""
        self._json("POST", CLOCK, {"advance": seconds})

    def messages(self, marker: str, limit: int = 1000) -> list[dict[str, Any]]:
        """The messages of this login whose text holds ``marker``, oldest first."""
        answer = self._json("GET", MESSAGES, params={"login": self.login, "limit": limit})
        return [m for m in _items(answer, "messages") if marker in str(m.get("text", ""))]

    def archives(self, names: set[str]) -> list[dict[str, Any]]:
        """The journal records of these archive names, in the order they were processed."""
        answer = self._json("GET", JOURNAL, params={"login": self.login, "limit": 1000})
        return [r for r in _items(answer, "archives") if r.get("name") in names]


def probe(client: httpx.Client, base: str) -> str | None:
    """Why ``base`` is not a usable control API (None when ``GET /__sim/state`` answers
    a JSON object)."""
    url = base.rstrip("/") + "/__sim" + STATE
    try:
        response = client.get(url, headers=token_headers())
        data = response.json() if response.status_code == 200 else None
    except (httpx.HTTPError, ValueError) as exc:
        return f"GET {url} failed: {exc}"
    if not isinstance(data, dict):
        return f"no simulator control API at {base} (GET {url} answered {response.status_code})"
    return None
