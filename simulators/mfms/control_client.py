"""A typed, synchronous client of the MFMS simulator's control API (/__sim/).

One method per route of control_api.py over one pooled ``httpx.Client``, so
it works alike against an in-process simulator or one in another process.
Every failure raises ``ControlApiError`` (simulators/control/client.py):
a non-2xx answer carries the HTTP status and the simulator's error text; a
transport failure has ``status`` None.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from nabat.simulators.control.client import ControlApiError, ControlClient

__all__ = ["ControlApiError", "MfmsControlClient"]


class MfmsControlClient(ControlClient):
    def __init__(self, base_url: str, timeout: float = 10.0, verify: Any = True) -> None:
        super().__init__(base_url, timeout, verify=verify)

    def state(self) -> dict[str, Any]:
        return dict(self._call("GET", "state"))

    def reset(self) -> None:
        self._call("POST", "reset")

    def messages(self, limit: int = 100, account: str | None = None) -> list[dict[str, Any]]:
        return list(self._call("GET", "messages", limit=limit, account=account)["messages"])

    def cancel(self, provider_id: str) -> str:
        return str(self._call("POST", f"messages/{provider_id}/cancel")["status"])

    def journal(self, limit: int = 100) -> list[dict[str, Any]]:
        return list(self._call("GET", "journal", limit=limit)["entries"])

    def clear_journal(self) -> None:
        self._call("DELETE", "journal")

    def faults(self) -> list[dict[str, Any]]:
        return list(self._call("GET", "faults")["faults"])

    def add_fault(self, kind: str, **spec: Any) -> int:
        return int(self._call("POST", "faults", {"kind": kind, **spec})["id"])

    def remove_fault(self, fault_id: int) -> None:
        self._call("DELETE", f"faults/{fault_id}")

    def clear_faults(self) -> None:
        self._call("DELETE", "faults")

    def set_latency(self, kind: str, **spec: Any) -> dict[str, Any]:
        return dict(self._call("PUT", "latency", {"kind": kind, **spec}))

    def platform_errors(
        self, system: int | None = None, failed: int | None = None
    ) -> dict[str, int]:
        body = {k: v for k, v in (("system", system), ("failed", failed)) if v is not None}
        return dict(self._call("PUT", "platform-errors", body))

    def connectors(self) -> list[dict[str, Any]]:
        return list(self._call("GET", "connectors")["connectors"])

    def add_connector(self, **spec: Any) -> dict[str, Any]:
        return dict(self._call("POST", "connectors", spec))

    def remove_connector(self, key: str) -> None:
        self._call("DELETE", "connectors", key=key)

    def config(self) -> dict[str, Any]:
        return dict(self._call("GET", "config"))

    def set_config(self, **fields: Any) -> dict[str, Any]:
        return dict(self._call("PUT", "config", fields))

    def clock(self) -> dict[str, Any]:
        return dict(self._call("GET", "clock"))

    def set_clock(
        self, advance: float | None = None, freeze: bool | None = None, speed: float | None = None
    ) -> dict[str, Any]:
        body: Mapping[str, object] = {
            k: v
            for k, v in (("advance", advance), ("freeze", freeze), ("speed", speed))
            if v is not None
        }
        return dict(self._call("POST", "clock", dict(body)))

    def world(self) -> dict[str, Any]:
        return dict(self._call("GET", "world"))

    def world_journal(self, limit: int = 100) -> list[dict[str, Any]]:
        return list(self._call("GET", "world/journal", limit=limit)["entries"])

    def add_override(self, **spec: Any) -> dict[str, Any]:
        return dict(self._call("POST", "world/overrides", spec))

    def remove_override(self, key: str) -> None:
        self._call("DELETE", "world/overrides", key=key)
