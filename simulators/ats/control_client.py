"""A typed, synchronous client of the ATS simulator's control API (/__sim/).

Used by the pytest plugin, the benchmarks and the project's tests; works the
same against an in-process simulator or one in another process, since it
speaks HTTP. Every non-2xx answer raises ``ControlApiError`` with the
simulator's own error text.
"""

from __future__ import annotations

from typing import Any

import httpx


class ControlApiError(RuntimeError):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"control API answered {status}: {message}")
        self.status = status


class AtsControlClient:
    def __init__(self, base_url: str, timeout: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/")
        self._http = httpx.Client(base_url=self.base_url, timeout=timeout)

    def close(self) -> None:
        self._http.close()

    def _call(self, method: str, path: str, json: object = None, **params: str | int | None) -> Any:
        query = {k: v for k, v in params.items() if v is not None}
        response = self._http.request(method, f"/__sim/{path}", json=json, params=query)
        if response.status_code >= 300:
            try:
                message = response.json().get("error", response.text)
            except ValueError:
                message = response.text
            raise ControlApiError(response.status_code, message)
        return response.json()

    def state(self) -> dict[str, Any]:
        return self._call("GET", "state")  # type: ignore[no-any-return]

    def reset(self) -> None:
        self._call("POST", "reset")

    def journal(self, limit: int = 100, server: str | None = None) -> list[dict[str, Any]]:
        return self._call("GET", "journal", limit=limit, server=server)["entries"]  # type: ignore[no-any-return]

    def clear_journal(self, server: str | None = None) -> None:
        self._call("DELETE", "journal", server=server)

    def add_fault(self, kind: str, server: str | None = None, **spec: object) -> int:
        body = {"kind": kind, **spec}
        return int(self._call("POST", "faults", json=body, server=server)["id"])

    def faults(self, server: str | None = None) -> list[dict[str, Any]]:
        return self._call("GET", "faults", server=server)["faults"]  # type: ignore[no-any-return]

    def clear_faults(self, server: str | None = None) -> None:
        self._call("DELETE", "faults", server=server)

    def remove_fault(self, fault_id: int, server: str | None = None) -> None:
        self._call("DELETE", f"faults/{fault_id}", server=server)

    def set_latency(self, kind: str, server: str | None = None, **spec: object) -> None:
        self._call("PUT", "latency", json={"kind": kind, **spec}, server=server)

    def advance_clock(self, seconds: float) -> dict[str, Any]:
        return self._call("POST", "clock", json={"advance": seconds})  # type: ignore[no-any-return]

    def freeze_clock(self, frozen: bool = True) -> dict[str, Any]:
        return self._call("POST", "clock", json={"freeze": frozen})  # type: ignore[no-any-return]

    def set_config(self, window: float | None = None, profile: str | None = None) -> dict[str, Any]:
        body: dict[str, object] = {}
        if window is not None:
            body["window"] = window
        if profile is not None:
            body["profile"] = profile
        return self._call("PUT", "config", json=body)  # type: ignore[no-any-return]

    def numbers(self) -> dict[str, Any]:
        return self._call("GET", "numbers")  # type: ignore[no-any-return]

    def add_numbers(
        self,
        ranges: list[dict[str, object]],
        operators: dict[str, str] | None = None,
        replace: bool = False,
    ) -> dict[str, Any]:
        body = {"ranges": ranges, "operators": operators or {}, "replace": replace}
        return self._call("POST", "numbers", json=body)  # type: ignore[no-any-return]

    def set_listening(self, server: str, listening: bool) -> None:
        self._call("POST", "listen", json={"listening": listening}, server=server)

    def bulk_register(self, count: int, a_first: int, b_first: int) -> int:
        body = {"count": count, "a_first": a_first, "b_first": b_first}
        return int(self._call("POST", "registrations", json=body)["registrations"])
