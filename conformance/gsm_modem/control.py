"""Client of the GSM modem simulator's control API (``/__sim/``), for the cases that
declare ``needs={"control"}``: a real modem has no such API (``--sim-control URL``
names it when the target is the simulator).

Through it the suite makes happen what a live network does on cue only with a second
party or a broken SIM: an SMS or a call arriving (``POST /__sim/world/events``), a
fault (``POST /__sim/modems/<i>/faults``; ``DELETE`` clears the modem's faults), far
ends that are busy or do not answer (``POST`` / ``DELETE /__sim/world/overrides``).
It never reads from it what a case checks: every verdict comes from the AT line.
Every call is recorded as evidence (the framework's HTTP exchange, with its curl
line); a refused call raises :class:`ControlError`, which ends the case in error.
"""

from __future__ import annotations

import json
import os
from typing import Any

import httpx
from nabat.conformance.framework.http.client import HttpClient

TOKEN_ENV = "NABAT_GSM_CONTROL_TOKEN"


class ControlError(RuntimeError):
    """The control API refused a request the suite relies on."""


def token_headers() -> dict[str, str]:
    token = os.environ.get(TOKEN_ENV)
    return {"X-Sim-Token": token} if token else {}


class SimControl:
    def __init__(self, http: HttpClient, modem: int) -> None:
        self.http = http
        self.modem = modem

    def _json(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        headers = token_headers()
        content = None
        if body is not None:
            content = json.dumps(body).encode("utf-8")
            headers["Content-Type"] = "application/json"
        response: httpx.Response = self.http.request(method, "/__sim" + path, content=content,
                                                     headers=headers)
        if response.status_code >= 300:
            raise ControlError(f"{method} /__sim{path} answered {response.status_code}: "
                               f"{response.text[:200]}")
        return response.json() if response.content else None

    def sms_in(self, sender: str, text: str) -> None:
        """An SMS from ``sender`` (digits) reaches the modem now."""
        self._json("POST", "/world/events", {"kind": "sms", "modem": self.modem, "in": 0,
                                              "from": sender, "text": text})

    def call_in(self, sender: str, ring_for: float, talk_for: float) -> None:
        """``sender`` calls the modem now; rings for ``ring_for`` s, talks ``talk_for`` s."""
        self._json("POST", "/world/events", {"kind": "call", "modem": self.modem, "in": 0,
                                              "from": sender, "ring_for": ring_for,
                                              "talk_for": talk_for})

    def fault(self, kind: str, **fields: Any) -> None:
        self._json("POST", f"/modems/{self.modem}/faults", {"kind": kind, **fields})

    def clear_faults(self) -> None:
        self._json("DELETE", f"/modems/{self.modem}/faults")

    def override(self, number: str, voice: dict[str, Any]) -> str:
        """The world's far end ``number`` behaves as ``voice`` says; returns its key."""
        answer = self._json("POST", "/world/overrides", {"number": number, "voice": voice})
        key = answer.get("key") if isinstance(answer, dict) else None
        if not isinstance(key, str):
            raise ControlError(f"POST /__sim/world/overrides gave no key: {answer!r}")
        return key

    def remove_override(self, key: str) -> None:
        self._json("DELETE", "/world/overrides", {"key": key})


def probe(client: httpx.Client, base: str) -> str | None:
    """Why ``base`` is not a usable control API (None when ``GET /__sim/state`` answers
    a JSON object)."""
    url = base.rstrip("/") + "/__sim/state"
    try:
        response = client.get(url, headers=token_headers())
        data = response.json() if response.status_code == 200 else None
    except (httpx.HTTPError, ValueError) as exc:
        return f"GET {url} failed: {exc}"
    if not isinstance(data, dict):
        return f"no simulator control API at {base} (GET {url} answered {response.status_code})"
    return None
