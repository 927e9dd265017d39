"""Client of the simulator control API (``/__sim/``), used only by cases that
declare ``needs={"control"}`` — a vendor's hub has no such API.

The suite drives the target's clock, plan, faults and header profile through
it, but never reads from it what the spec fixes (the window is the run's own).

Every call is recorded as evidence like any other exchange, so a report shows
which state changes a case made. Cases undo what they change (delete their
own fault by id, put back the config or plan they read) and never reset the
whole target.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from nabat.conformance.framework.http.client import HttpClient


class ControlError(RuntimeError):
    """The control API refused a request the suite relies on."""


class SimControl:
    def __init__(self, http: HttpClient) -> None:
        self.http = http

    def _json(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        content = None
        headers = None
        if body is not None:
            content = json.dumps(body).encode("utf-8")
            headers = {"Content-Type": "application/json"}
        response: httpx.Response = self.http.request(
            method, path, content=content, headers=headers
        )
        if response.status_code >= 300:
            raise ControlError(f"{method} {path} answered {response.status_code}: {response.text}")
        return response.json() if response.content else None

    def state(self) -> dict[str, Any]:
        data = self._json("GET", "/__sim/state")
        if not isinstance(data, dict):
            raise ControlError("/__sim/state is not a JSON object")
        return data

    def config(self) -> dict[str, Any]:
        return dict(self._json("GET", "/__sim/config"))

    def set_config(self, **values: Any) -> dict[str, Any]:
        return dict(self._json("PUT", "/__sim/config", values) or {})

    def advance_clock(self, seconds: float) -> None:
        self._json("POST", "/__sim/clock", {"advance": seconds})

    @contextmanager
    def frozen_clock(self) -> Iterator[bool]:
        """Freeze the simulated clock for the block, so that only the suite's own advances
        move it (a boundary can then be probed a few milliseconds either side); yields
        False when the control API cannot freeze it. Unfrozen again afterwards unless it
        was frozen before."""
        try:
            before = self._json("GET", "/__sim/clock")
            was_frozen = isinstance(before, dict) and before.get("frozen") is True
            self._json("POST", "/__sim/clock", {"freeze": True})
        except (ControlError, ValueError):
            yield False
            return
        try:
            yield True
        finally:
            if not was_frozen:
                self._json("POST", "/__sim/clock", {"freeze": False})

    def add_fault(self, **fault: Any) -> int:
        answer = self._json("POST", "/__sim/faults", fault)
        return int(answer["id"])

    def delete_fault(self, fault_id: int) -> None:
        self._json("DELETE", f"/__sim/faults/{fault_id}")

    def numbers(self) -> dict[str, Any]:
        return dict(self._json("GET", "/__sim/numbers"))

    def set_numbers(
        self, ranges: list[dict[str, Any]], operators: dict[str, str], replace: bool
    ) -> None:
        self._json(
            "POST", "/__sim/numbers",
            {"ranges": ranges, "operators": operators, "replace": replace},
        )
