"""A typed, synchronous client of the FTP platform simulator's control API (/__sim/).

One method per route of control_api.py, over one pooled ``httpx.Client``, so
it works alike against an in-process simulator or one in another process.
Every failure raises ``ControlApiError`` (simulators/control/client.py): a non-2xx answer
carries the status and the simulator's error text; a transport failure has
``status`` None.
"""

from __future__ import annotations

from typing import Any

from nabat.simulators.control.client import ControlApiError, ControlClient

__all__ = ["ControlApiError", "FtpControlClient"]


class FtpControlClient(ControlClient):
    def __init__(self, base_url: str, timeout: float = 30.0, token: str | None = None) -> None:
        super().__init__(base_url, timeout, token)

    def state(self) -> dict[str, Any]:
        return dict(self._call("GET", "state"))

    def reset(self) -> None:
        self._call("POST", "reset")

    def journal(self, limit: int = 100, login: str | None = None) -> dict[str, Any]:
        return dict(self._call("GET", "journal", limit=limit, login=login))

    def archives(self, limit: int = 100, login: str | None = None) -> list[dict[str, Any]]:
        return list(self.journal(limit, login)["archives"])

    def messages(self, limit: int = 100, login: str | None = None) -> list[dict[str, Any]]:
        return list(self._call("GET", "messages", limit=limit, login=login))

    def status(self, provider_id: str) -> dict[str, Any]:
        return dict(self._call("GET", "status", id=provider_id))

    def accounts(self) -> list[dict[str, Any]]:
        return list(self._call("GET", "accounts"))

    def add_account(self, login: str, password: str, **fields: object) -> dict[str, Any]:
        return dict(
            self._call("POST", "accounts", {"login": login, "password": password, **fields})
        )

    def poll(self) -> list[dict[str, Any]]:
        return list(self._call("POST", "poll"))

    def clock(self) -> dict[str, Any]:
        return dict(self._call("GET", "clock"))

    def advance_clock(self, seconds: float) -> dict[str, Any]:
        return dict(self._call("POST", "clock", {"advance": seconds}))

    def freeze_clock(self, frozen: bool = True) -> dict[str, Any]:
        return dict(self._call("POST", "clock", {"freeze": frozen}))

    def set_speed(self, factor: float) -> dict[str, Any]:
        return dict(self._call("POST", "clock", {"speed": factor}))

    def faults(self) -> dict[str, Any]:
        return dict(self._call("GET", "faults"))

    def set_faults(self, **faults: object) -> dict[str, Any]:
        return dict(self._call("PUT", "faults", faults))

    def clear_faults(self) -> dict[str, Any]:
        return dict(self._call("DELETE", "faults"))
