"""A typed, synchronous client of the ATS simulator's control API (/__sim/).

The one control-API client of the ATS simulator: the pytest plugin, the
benchmarks and the project's tests all use it. It speaks HTTP (one pooled
``httpx.Client``), so it works the same against an in-process simulator or
one in another process. One method per route of ``control_api.py``; the
per-server resources take ``server="primary" | "reserve"`` (default: the
server whose URL the client was given). Every failure raises
``ControlApiError``: a non-2xx answer carries the HTTP status and the
simulator's own error text; a transport failure (refused, timed out) has
``status`` ``None``. With a ``token`` (the simulator's ``--control-token``)
every request carries ``Authorization: Bearer TOKEN``. Two readers of
``state()`` answers live here too (``registrations``, ``status_counts``) so
callers need not know its layout.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from nabat.simulators.control.client import ControlApiError, ControlClient

__all__ = ["AtsControlClient", "ControlApiError", "status_counts"]

BULK_REQUEST_LIMIT = 1_000_000


def status_counts(state: Mapping[str, Any], method: str, path: str) -> dict[int, int]:
    """Per-status counts of ``METHOD path`` answered by the server that gave
    ``state`` (its ``counters[server]`` entries ``"METHOD /path STATUS": n``)."""
    counters = state.get("counters", {}).get(state.get("server", "primary"), {})
    prefix = f"{method} {path} "
    counts: dict[int, int] = {}
    for key, value in counters.items():
        code = key[len(prefix) :] if key.startswith(prefix) else ""
        if code.isdigit() and isinstance(value, int):
            counts[int(code)] = counts.get(int(code), 0) + value
    return counts


class AtsControlClient(ControlClient):
    """See the module comment. ``timeout``: seconds per call (bulk
    registration of a million needs a long one); ``token``: the control
    API's token, when the simulator was started with one."""

    def __init__(self, base_url: str, timeout: float = 10.0, token: str | None = None) -> None:
        super().__init__(base_url, timeout, token)

    # --- state and reset ----------------------------------------------------

    def state(self, server: str | None = None) -> dict[str, Any]:
        """Everything at once: window, profile, clock, counts, counters, faults..."""
        return self._call("GET", "state", server=server)  # type: ignore[no-any-return]

    def registrations(self) -> int:
        """How many registrations are live (shared by both servers)."""
        return int(self.state()["registrations"])

    def status_counts(self, method: str, path: str, server: str | None = None) -> dict[int, int]:
        """Per-status counts of ``METHOD path`` answered so far by ``server``."""
        return status_counts(self.state(server), method, path)

    def reset(self) -> None:
        """Back to the start-up state (registrations, faults, clock, config...)."""
        self._call("POST", "reset")

    # --- journal ------------------------------------------------------------

    def journal(self, limit: int = 100, server: str | None = None) -> list[dict[str, Any]]:
        return self._call("GET", "journal", limit=limit, server=server)["entries"]  # type: ignore[no-any-return]

    def clear_journal(self, server: str | None = None) -> None:
        self._call("DELETE", "journal", server=server)

    # --- faults and latency -------------------------------------------------

    def add_fault(self, kind: str, server: str | None = None, **spec: object) -> int:
        """Add a fault (``kind`` and its spec, docs/ats-simulator.md); its id."""
        body = {"kind": kind, **spec}
        return int(self._call("POST", "faults", json=body, server=server)["id"])

    def faults(self, server: str | None = None) -> list[dict[str, Any]]:
        return self._call("GET", "faults", server=server)["faults"]  # type: ignore[no-any-return]

    def clear_faults(self, server: str | None = None) -> None:
        self._call("DELETE", "faults", server=server)

    def remove_fault(self, fault_id: int, server: str | None = None) -> None:
        self._call("DELETE", f"faults/{fault_id}", server=server)

    def latency(self, server: str | None = None) -> dict[str, Any]:
        return self._call("GET", "latency", server=server)  # type: ignore[no-any-return]

    def set_latency(self, kind: str, server: str | None = None, **spec: object) -> None:
        self._call("PUT", "latency", json={"kind": kind, **spec}, server=server)

    # --- clock and configuration --------------------------------------------

    def clock(self) -> dict[str, Any]:
        return self._call("GET", "clock")  # type: ignore[no-any-return]

    def advance_clock(self, seconds: float) -> dict[str, Any]:
        return self._call("POST", "clock", json={"advance": seconds})  # type: ignore[no-any-return]

    def freeze_clock(self, frozen: bool = True) -> dict[str, Any]:
        return self._call("POST", "clock", json={"freeze": frozen})  # type: ignore[no-any-return]

    def config(self) -> dict[str, Any]:
        """The registration window (seconds) and the header profile."""
        return self._call("GET", "config")  # type: ignore[no-any-return]

    def set_config(self, window: float | None = None, profile: str | None = None) -> dict[str, Any]:
        body: dict[str, object] = {}
        if window is not None:
            body["window"] = window
        if profile is not None:
            body["profile"] = profile
        return self._call("PUT", "config", json=body)  # type: ignore[no-any-return]

    # --- numbering plan -----------------------------------------------------

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

    def clear_numbers(self) -> dict[str, Any]:
        return self._call("DELETE", "numbers")  # type: ignore[no-any-return]

    # --- listeners and registrations ----------------------------------------

    def set_listening(self, server: str, listening: bool) -> None:
        """Close or reopen ``server``'s listener (ask through the other server)."""
        self._call("POST", "listen", json={"listening": listening}, server=server)

    def bulk_register(self, count: int, a_first: int, b_first: int) -> int:
        """Register ``count`` pairs ``a_first+i -> b_first+i``; the live count after.

        Sent in requests of at most ``BULK_REQUEST_LIMIT`` pairs (the
        simulator's default per-request cap)."""
        live = 0
        done = 0
        while True:
            part = min(BULK_REQUEST_LIMIT, count - done)
            body = {"count": part, "a_first": a_first + done, "b_first": b_first + done}
            live = int(self._call("POST", "registrations", json=body)["registrations"])
            done += part
            if done >= count:
                return live
