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

from typing import Any

import httpx
from nabat.conformance.framework import sim_control
from nabat.conformance.framework.http.client import HttpClient
from nabat.conformance.framework.sim_control import ControlError, SimControlBase

__all__ = ["TOKEN_ENV", "ControlError", "SimControl", "probe"]

TOKEN_ENV = "NABAT_FTP_CONTROL_TOKEN"
MESSAGES, JOURNAL = "/messages", "/journal"


def _items(answer: Any, key: str) -> list[dict[str, Any]]:
    items = answer.get(key) if isinstance(answer, dict) else answer
    if not isinstance(items, list):
        raise ControlError(f"expected a list of {key}, got {str(answer)[:200]}")
    return [item for item in items if isinstance(item, dict)]


class SimControl(SimControlBase):
    token_env = TOKEN_ENV

    def __init__(self, http: HttpClient, login: str) -> None:
        super().__init__(http)
        self.login = login

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
    return sim_control.probe(client, base, token_env=TOKEN_ENV)
