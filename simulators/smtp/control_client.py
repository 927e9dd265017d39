"""A typed, synchronous client of the SMTP sink's control API (/__sim/).

One method per route of control_api.py over one pooled ``httpx.Client``;
every failure raises ``ControlApiError`` (simulators/control/client.py)
with the HTTP status (None for a transport failure) and the sink's text.
"""

from __future__ import annotations

from typing import Any

from nabat.simulators.control.client import ControlApiError, ControlClient

__all__ = ["ControlApiError", "SmtpControlClient"]


class SmtpControlClient(ControlClient):
    def __init__(self, base_url: str, timeout: float = 10.0) -> None:
        super().__init__(base_url, timeout)

    def state(self) -> dict[str, Any]:
        return dict(self._call("GET", "state"))

    def reset(self) -> None:
        self._call("POST", "reset")

    def messages(self, limit: int = 100, rcpt: str | None = None) -> list[dict[str, Any]]:
        return list(self._call("GET", "messages", limit=limit, rcpt=rcpt)["messages"])

    def message(self, message_id: int) -> dict[str, Any]:
        return dict(self._call("GET", f"messages/{message_id}"))

    def bounces(self, limit: int = 100) -> list[dict[str, Any]]:
        return list(self._call("GET", "bounces", limit=limit)["bounces"])

    def journal(self, limit: int = 100) -> list[dict[str, Any]]:
        return list(self._call("GET", "journal", limit=limit)["entries"])

    def clear_journal(self) -> None:
        self._call("DELETE", "journal")

    def faults(self) -> list[dict[str, Any]]:
        return list(self._call("GET", "faults")["faults"])

    def add_fault(self, kind: str, stages: list[str] | None = None, **spec: Any) -> int:
        body: dict[str, Any] = {"kind": kind, **spec}
        if stages is not None:
            body["stages"] = stages
        return int(self._call("POST", "faults", body)["id"])

    def remove_fault(self, fault_id: int) -> None:
        self._call("DELETE", f"faults/{fault_id}")

    def clear_faults(self) -> None:
        self._call("DELETE", "faults")

    def set_latency(self, kind: str, **spec: Any) -> dict[str, Any]:
        return dict(self._call("PUT", "latency", {"kind": kind, **spec}))

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

    def add_override(self, **spec: Any) -> dict[str, Any]:
        return dict(self._call("POST", "world/overrides", spec))

    def remove_override(self, key: str) -> None:
        self._call("DELETE", "world/overrides", key=key)
