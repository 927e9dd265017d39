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

from typing import Any

import httpx
from nabat.conformance.framework import sim_control
from nabat.conformance.framework.http.client import HttpClient
from nabat.conformance.framework.sim_control import ControlError, SimControlBase

__all__ = ["TOKEN_ENV", "ControlError", "SimControl", "probe"]

TOKEN_ENV = "NABAT_GSM_CONTROL_TOKEN"


class SimControl(SimControlBase):
    token_env = TOKEN_ENV

    def __init__(self, http: HttpClient, modem: int) -> None:
        super().__init__(http)
        self.modem = modem

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
        return self.add_override({"number": number, "voice": voice})


def probe(client: httpx.Client, base: str) -> str | None:
    """Why ``base`` is not a usable control API (None when ``GET /__sim/state`` answers
    a JSON object)."""
    return sim_control.probe(client, base, token_env=TOKEN_ENV)
