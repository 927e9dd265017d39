"""A typed, synchronous client of the Oktell simulator's control API (/__sim/).

One method per route of control_api.py over one pooled ``httpx.Client``.
Every failure raises ``ControlApiError`` (simulators/control/client.py):
a non-2xx answer carries the HTTP status and the simulator's error text; a
transport failure has ``status`` None.
"""

from __future__ import annotations

from typing import Any

from nabat.simulators.control.client import ControlApiError, ControlClient

__all__ = ["ControlApiError", "OktellControlClient"]


class OktellControlClient(ControlClient):
    def __init__(self, base_url: str, timeout: float = 10.0) -> None:
        super().__init__(base_url, timeout)

    def state(self) -> dict[str, Any]:
        return dict(self._call("GET", "state"))

    def reset(self) -> None:
        self._call("POST", "reset")

    def journal(self, limit: int = 100) -> list[dict[str, Any]]:
        return list(self._call("GET", "journal", limit=limit)["entries"])

    def clear_journal(self) -> None:
        self._call("DELETE", "journal")

    def calls(self, limit: int = 100) -> list[dict[str, Any]]:
        return list(self._call("GET", "calls", limit=limit)["calls"])

    def incoming_call(
        self, source: str, line: str, keys: str = "", **options: Any
    ) -> dict[str, Any]:
        """Script a call from ``source`` to ``line`` (after, spoofed, ring_for, talk_for...)."""
        return dict(
            self._call("POST", "calls", {"from": source, "line": line, "keys": keys, **options})
        )

    def events(self, limit: int = 100) -> list[dict[str, Any]]:
        return list(self._call("GET", "events", limit=limit)["events"])

    def directory(self) -> dict[str, Any]:
        return dict(self._call("GET", "directory"))

    def add_line(self, number: str, kind: str = "internal", **fields: str) -> dict[str, Any]:
        return dict(self._call("POST", "lines", {"number": number, "kind": kind, **fields}))

    def line_event(self, line: str, event: str) -> dict[str, Any]:
        return dict(self._call("POST", "lines/state", {"line": line, "event": event}))

    def add_user(self, login: str, line: str, **fields: str) -> dict[str, Any]:
        return dict(self._call("POST", "users", {"login": login, "line": line, **fields}))

    def user_event(self, user: str, event: str) -> dict[str, Any]:
        return dict(self._call("POST", "users/state", {"user": user, "event": event}))

    def faults(self) -> list[dict[str, Any]]:
        return list(self._call("GET", "faults")["faults"])

    def add_fault(self, kind: str, **spec: Any) -> int:
        return int(self._call("POST", "faults", {"kind": kind, **spec})["id"])

    def remove_fault(self, fault_id: int) -> None:
        self._call("DELETE", f"faults/{fault_id}")

    def clear_faults(self) -> None:
        self._call("DELETE", "faults")

    def set_latency(self, **spec: Any) -> dict[str, Any]:
        return dict(self._call("PUT", "latency", spec))

    def clock(self) -> dict[str, Any]:
        return dict(self._call("GET", "clock"))

    def set_clock(
        self, advance: float | None = None, freeze: bool | None = None, speed: float | None = None
    ) -> dict[str, Any]:
        body = {
            k: v
            for k, v in (("advance", advance), ("freeze", freeze), ("speed", speed))
            if v is not None
        }
        return dict(self._call("POST", "clock", body))

    def world(self) -> dict[str, Any]:
        return dict(self._call("GET", "world"))

    def world_journal(self, limit: int = 100) -> list[dict[str, Any]]:
        return list(self._call("GET", "world/journal", limit=limit)["entries"])

    def add_override(self, override: dict[str, Any]) -> str:
        return str(self._call("POST", "world/overrides", override)["key"])

    def remove_override(self, key: str) -> None:
        self._call("DELETE", "world/overrides", key=key)
