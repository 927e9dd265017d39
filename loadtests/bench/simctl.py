"""The few ATS simulator calls the benchmark makes outside the measured load.

How it works: a blocking ``http.client`` connection per call (nothing here is
timed): form POSTs to the API (RegisterCall, CheckCall) and JSON to the
control API (``/__sim/state``, ``/__sim/registrations``). Answers come back
as ``HttpAnswer`` so the benchmark can show status, error bits and body when
something is not what it expects.
"""

from __future__ import annotations

import http.client
import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit


class SimulatorError(RuntimeError):
    """The simulator answered something the benchmark cannot go on with."""


@dataclass
class HttpAnswer:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    def describe(self) -> str:
        bits = self.headers.get("x-error-bits")
        text = self.body[:300].decode("utf-8", errors="replace")
        extra = f", X-Error-Bits {bits}" if bits else ""
        return f"HTTP {self.status}{extra}, body {text!r}"

    def json(self) -> Any:
        return json.loads(self.body)


class SimulatorClient:
    def __init__(self, base_url: str, timeout_s: float = 600.0) -> None:
        parts = urlsplit(base_url)
        if parts.hostname is None or parts.port is None:
            raise ValueError(f"not a base URL with a port: {base_url}")
        self._host = parts.hostname
        self._port = parts.port
        self._timeout = timeout_s

    def request(
        self, method: str, path: str, body: bytes | None = None, content_type: str | None = None
    ) -> HttpAnswer:
        connection = http.client.HTTPConnection(self._host, self._port, timeout=self._timeout)
        try:
            headers = {"Content-Type": content_type} if content_type else {}
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            return HttpAnswer(
                status=response.status,
                headers={name.lower(): value for name, value in response.getheaders()},
                body=response.read(),
            )
        finally:
            connection.close()

    def post_form(self, path: str, params: dict[str, str]) -> HttpAnswer:
        return self.request(
            "POST", path, urlencode(params).encode("ascii"), "application/x-www-form-urlencoded"
        )

    def control(self, method: str, path: str, payload: Any = None) -> Any:
        body = None if payload is None else json.dumps(payload).encode("utf-8")
        answer = self.request(method, path, body, "application/json" if body else None)
        if answer.status != 200:
            raise SimulatorError(f"{method} {path} answered {answer.describe()}")
        return answer.json()

    def state(self) -> dict[str, Any]:
        data = self.control("GET", "/__sim/state")
        if not isinstance(data, dict):
            raise SimulatorError(f"/__sim/state is not a JSON object: {data!r}")
        return data

    def add_registrations(self, count: int, a_first: int, b_first: int) -> Any:
        return self.control(
            "POST",
            "/__sim/registrations",
            {"count": count, "a_first": a_first, "b_first": b_first},
        )


def registrations_in(state: dict[str, Any]) -> int | None:
    """The live registration count (``"registrations"``) from ``/__sim/state``."""
    value = state.get("registrations")
    return value if isinstance(value, int) else None


def status_counters(state: dict[str, Any], method: str, path: str) -> dict[int, int]:
    """Per-status counts from the ``"METHOD /path STATUS": n`` counters of the
    server that answered (``state["counters"][state["server"]]``; a flat
    ``counters`` object is accepted too)."""
    counters = state.get("counters")
    if not isinstance(counters, dict):
        return {}
    role = state.get("server", "primary")
    if isinstance(counters.get(role), dict):
        counters = counters[role]
    prefix = f"{method} {path} "
    result: dict[int, int] = {}
    for key, value in counters.items():
        if isinstance(key, str) and key.startswith(prefix) and isinstance(value, int):
            code = key[len(prefix):]
            if code.isdigit():
                result[int(code)] = result.get(int(code), 0) + value
    return result


def counter_delta(before: dict[int, int], after: dict[int, int]) -> dict[int, int]:
    """What was counted between two snapshots, per status (zeros dropped)."""
    delta = {code: after.get(code, 0) - before.get(code, 0) for code in after.keys() | before}
    return {code: n for code, n in sorted(delta.items()) if n}
