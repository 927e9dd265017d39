"""Client of the MFMS simulator's control API (``/__sim/`` at ``--sim-control URL``),
for the cases that declare ``needs={"control"}``: a real platform has no such API.

Through it the suite makes happen what a real platform does only on its own
time or by an operator's hand: the clock moves (frozen for a case, then
advanced), a message is cancelled "manually on the platform", the next message
fails on the platform or the next request meets a system error, an address
is forbidden, a connector with other parameter names exists, the world
decides what becomes of a number (an override the suite asked for). The suite
never reads from it what a case checks, except the journal's text of a
message (the only place the sent text can be seen). Every call is recorded as
evidence; a refused call raises :class:`ControlError` (the case ends in
error). Cases undo what they change (overrides, connectors, config) and never
reset the whole simulator.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import quote

import httpx
from nabat.conformance.framework.http.client import HttpClient


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
        response: httpx.Response = self.http.request(
            method, "/__sim" + path, content=content, headers=headers
        )
        if response.status_code >= 300:
            raise ControlError(
                f"{method} /__sim{path} answered {response.status_code}: {response.text[:200]}"
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
        self._json("POST", "/clock", {"advance": seconds})

    def cancel(self, provider_id: str) -> None:
        """Cancel the message "manually on the platform"."""
        self._json("POST", f"/messages/{quote(provider_id, safe='')}/cancel")

    def messages(self, limit: int = 1000) -> list[dict[str, Any]]:
        answer = self._json("GET", f"/messages?limit={limit}")
        found = answer.get("messages") if isinstance(answer, dict) else None
        if not isinstance(found, list):
            raise ControlError(f"GET /__sim/messages gave no message list: {answer!r}")
        return [item for item in found if isinstance(item, dict)]

    def platform_errors(self, *, system: int | None = None, failed: int | None = None) -> None:
        """The next ``system`` requests answer error-system; the next ``failed``
        accepted messages fail on the platform."""
        body = {k: v for k, v in (("system", system), ("failed", failed)) if v is not None}
        self._json("PUT", "/platform-errors", body)

    def config(self) -> dict[str, Any]:
        return dict(self._json("GET", "/config"))

    def set_config(self, **values: Any) -> dict[str, Any]:
        return dict(self._json("PUT", "/config", values) or {})

    def add_connector(self, **fields: Any) -> None:
        self._json("POST", "/connectors", fields)

    def remove_connector(self, key: str) -> None:
        self._json("DELETE", "/connectors", {"key": key})

    def override(self, number: str, sms: dict[str, Any]) -> str:
        """The world decides ``number``'s SMS as ``sms`` says; returns the override's key."""
        answer = self._json("POST", "/world/overrides", {"number": number, "sms": sms})
        key = answer.get("key") if isinstance(answer, dict) else None
        if not isinstance(key, str):
            raise ControlError(f"POST /__sim/world/overrides gave no key: {answer!r}")
        return key

    def remove_override(self, key: str) -> None:
        self._json("DELETE", "/world/overrides", {"key": key})


def probe(client: httpx.Client, base: str) -> str | None:
    """Why ``base`` is not a usable control API (None when ``GET /__sim/state``
    answers a JSON object)."""
    url = base.rstrip("/") + "/__sim/state"
    try:
        response = client.get(url)
        data = response.json() if response.status_code == 200 else None
    except (httpx.HTTPError, ValueError) as exc:
        return f"GET {url} failed: {exc}"
    if not isinstance(data, dict):
        return f"no simulator control API at {base} (GET {url} answered {response.status_code})"
    return None
