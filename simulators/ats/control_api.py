"""The ATS simulator's control API under ``/__sim/`` (documented in
docs/ats-simulator.md).

A table maps ``(HTTP method, path)`` to one small handler each. Handlers take
the decoded JSON body (an object, or empty) and the query parameters and
return a JSON-serialisable value, or an awaitable of one (reset, listen, bulk
registration), or raise ``ControlError`` (400) — every error is a JSON
``{"error": ...}`` naming what was wrong. ``?server=`` picks the primary or
reserve server for per-server resources.

Hostile input: the body is strict JSON (``NaN``/``Infinity`` literals and
numbers that overflow to infinity are refused, as are nesting and integers
past Python's limits), every field is checked for type, finiteness and range
before anything changes, and answers are encoded with ``allow_nan=False`` so
they are always standard JSON. With ``control_token`` configured, every
request must carry ``Authorization: Bearer TOKEN`` or ``X-Sim-Token: TOKEN``
(401 otherwise). A bulk registration is capped per request and done in chunks
that yield to the event loop, so the API paths stay answered meanwhile.
"""

from __future__ import annotations

import asyncio
import hmac
import inspect
import math
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING

from nabat.simulators.ats.plan import PlanError, range_from_row
from nabat.simulators.ats.stores import hash_key_of_number
from nabat.simulators.control.clock import ClockError
from nabat.simulators.control.fault_api import delete_fault
from nabat.simulators.control.faults import SpecError
from nabat.simulators.control.json_api import Body, ControlError, decode_body, json_response
from nabat.simulators.control.routing import control_path, find_route, query_of
from nabat.simulators.http.messages import Action, HandlerResult, Request, Response
from nabat.system.wire.ats import HeaderProfile

if TYPE_CHECKING:
    from nabat.simulators.ats.app import AtsServer, AtsWorld

BULK_CHUNK = 2000  # registrations between two yields to the loop (~10-30 ms)
MAX_WINDOW_SECONDS = 30 * 86400.0
MAX_RANGES_PER_REQUEST = 10_000
MAX_PLAN_RANGES = 100_000
MAX_OPERATOR_TEXT = 64
MAX_JOURNAL_LIMIT = 1_000_000


def _whole_number(body: Mapping[str, object], name: str, maximum: int) -> int:
    value = body.get(name)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= maximum:
        raise ControlError(f"{name} must be a whole number from 0 to {maximum}")
    return value


def _seconds(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ControlError(f"{name} must be a number of seconds")
    if not math.isfinite(value):
        raise ControlError(f"{name} must be a finite number of seconds")
    return float(value)


def _pretty_json(
    status: int, payload: object, headers: list[tuple[str, str]] | None = None
) -> Response:
    return json_response(status, payload, headers, pretty=True)


Query = dict[str, str]
ControlHandler = Callable[["AtsControl", "AtsServer", Body, Query], object]


class AtsControl:
    def __init__(self, world: AtsWorld, server: AtsServer) -> None:
        self.world = world
        self.server = server

    def handle(self, request: Request) -> HandlerResult:
        try:
            self._authorize(request)
            body = self._body(request)
            query = query_of(request)
            target = self._target(query, body)
            path = control_path(request)
            if path.startswith("/__sim/faults/") and request.method == "DELETE":
                return _pretty_json(200, self._delete_fault(target, path))
            handler = find_route(_ROUTES, request.method, path)
            result = handler(self, target, body, query)
            if inspect.isawaitable(result):
                return self._later(result)
            return _pretty_json(200, result)
        except ControlError as error:
            return self._error(error)
        except (SpecError, PlanError, ClockError) as error:
            return _pretty_json(400, {"error": str(error)})

    async def _later(self, pending: Awaitable[object]) -> Action:
        try:
            return _pretty_json(200, await pending)
        except ControlError as error:
            return self._error(error)

    @staticmethod
    def _error(error: ControlError) -> Response:
        headers = [("WWW-Authenticate", 'Bearer realm="nabat-sim"')] if error.status == 401 else []
        return _pretty_json(error.status, {"error": str(error)}, headers)

    def _authorize(self, request: Request) -> None:
        token = self.world.config.control_token
        if not token:
            return
        offered = request.headers.get("x-sim-token")
        if offered is None:
            scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
            offered = credentials.strip() if scheme.lower() == "bearer" else ""
        if not hmac.compare_digest(offered.encode("utf-8"), token.encode("utf-8")):
            raise ControlError(
                "the control API needs its token: Authorization: Bearer TOKEN or X-Sim-Token",
                401,
            )

    @staticmethod
    def _body(request: Request) -> Body:
        return decode_body(request.body)

    def _target(self, query: Query, body: Body) -> AtsServer:
        role = query.get("server") or body.get("server") or self.server.role
        server = self.world.servers.get(role) if isinstance(role, str) else None
        if server is None:
            shown = repr(role)[:40] if isinstance(role, str) else "non-text"
            raise ControlError(f"no {shown} server here (have: {', '.join(self.world.servers)})")
        return server

    # --- async operations (listeners, reset, bulk) ---------------------------
    async def reset(self, target: AtsServer, body: Body, query: Query) -> object:
        await self.world.reset()
        return {"reset": True}

    async def listen(self, target: AtsServer, body: Body, query: Query) -> object:
        listening = body.get("listening")
        if not isinstance(listening, bool):
            raise ControlError("listening must be true or false")
        if listening:
            await target.http.resume_listening()
        else:
            if target is self.server:
                raise ControlError(
                    "a server cannot stop its own listener: ask the other server's "
                    "control API (?server=...) so that you can reopen it"
                )
            await target.http.stop_listening()
        return {"server": target.role, "listening": listening}

    # --- handlers -------------------------------------------------------------
    def state(self, target: AtsServer, body: Body, query: Query) -> object:
        world = self.world
        now = world.clock.now()
        service = world.service
        return {
            "server": target.role,
            "servers": {
                role: {"url": s.url, "listening": s.http.listening}
                for role, s in world.servers.items()
            },
            "window": service.registrations.window,
            "profile": world.profile.value,
            "clock": world.clock.to_json(),
            "registrations": len(service.registrations),
            "calls": len(service.calls),
            "evicted": {
                "registrations": service.registrations.index.evicted,
                "calls": service.calls.index.evicted,
            },
            "counters": {
                role: {f"{m} {p} {st}": n for (m, p, st), n in sorted(s.counters.items())}
                for role, s in world.servers.items()
            },
            "faults": {role: s.faults.to_json(now) for role, s in world.servers.items()},
            "latency": {role: s.latency.spec for role, s in world.servers.items()},
        }

    def journal(self, target: AtsServer, body: Body, query: Query) -> object:
        limit_text = query.get("limit", "100")
        if not (limit_text.isascii() and limit_text.isdigit()) or len(limit_text) > 7:
            raise ControlError(f"limit must be a whole number from 0 to {MAX_JOURNAL_LIMIT}")
        entries = target.journal.tail(int(limit_text), self.world.clock.wall_of)
        return {"server": target.role, "entries": entries}

    def clear_journal(self, target: AtsServer, body: Body, query: Query) -> object:
        target.journal.clear()
        return {"cleared": True}

    def faults(self, target: AtsServer, body: Body, query: Query) -> object:
        return {"server": target.role, "faults": target.faults.to_json(self.world.clock.now())}

    def add_fault(self, target: AtsServer, body: Body, query: Query) -> object:
        fault = target.faults.add(body, self.world.clock.now())
        return {"id": fault.id, "server": target.role}

    def clear_faults(self, target: AtsServer, body: Body, query: Query) -> object:
        target.faults.clear()
        return {"cleared": True, "server": target.role}

    def _delete_fault(self, target: AtsServer, path: str) -> object:
        return delete_fault(target.faults, path, f" on the {target.role} server")

    def latency(self, target: AtsServer, body: Body, query: Query) -> object:
        return {"server": target.role, **target.latency.spec}

    def set_latency(self, target: AtsServer, body: Body, query: Query) -> object:
        target.latency.configure(body)
        return {"server": target.role, **target.latency.spec}

    def numbers(self, target: AtsServer, body: Body, query: Query) -> object:
        return self.world.service.plan.to_json()

    def add_numbers(self, target: AtsServer, body: Body, query: Query) -> object:
        rows = body.get("ranges", [])
        operators = body.get("operators", {})
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise ControlError("ranges must be a list of objects")
        if len(rows) > MAX_RANGES_PER_REQUEST:
            raise ControlError(f"at most {MAX_RANGES_PER_REQUEST} ranges per request")
        if not isinstance(operators, dict) or not all(
            isinstance(ident, str) and 0 < len(ident) <= MAX_OPERATOR_TEXT
            for ident in operators.values()
        ):
            raise ControlError(
                f"operators must be an object {{ip: id_src}} of texts up to "
                f"{MAX_OPERATOR_TEXT} characters"
            )
        if any(len(ip) > MAX_OPERATOR_TEXT for ip in operators):
            raise ControlError(f"operator addresses must be at most {MAX_OPERATOR_TEXT} characters")
        replace = body.get("replace", False)
        if not isinstance(replace, bool):
            raise ControlError("replace must be true or false")
        ranges = []
        for index, row in enumerate(rows):
            try:
                ranges.append(range_from_row(row))
            except PlanError as error:
                raise ControlError(f"ranges[{index}]: {error}") from None
        plan = self.world.service.plan
        updated = plan.copy()
        if replace:
            updated.clear()
        updated.add(ranges, dict(operators))
        if len(updated.ranges) > MAX_PLAN_RANGES:
            raise ControlError(f"the plan may hold at most {MAX_PLAN_RANGES} ranges")
        plan.replace_with(updated)
        return plan.to_json()

    def clear_numbers(self, target: AtsServer, body: Body, query: Query) -> object:
        self.world.service.plan.clear()
        return self.world.service.plan.to_json()

    def clock(self, target: AtsServer, body: Body, query: Query) -> object:
        return self.world.clock.to_json()

    def set_clock(self, target: AtsServer, body: Body, query: Query) -> object:
        unknown = set(body) - {"advance", "freeze", "server"}
        if unknown:
            raise ControlError(f"unknown fields: {', '.join(sorted(unknown))}")
        if "freeze" in body:
            if not isinstance(body["freeze"], bool):
                raise ControlError("freeze must be true or false")
            self.world.clock.freeze(body["freeze"])
        if "advance" in body:
            self.world.clock.advance(_seconds(body["advance"], "advance"))
        return self.world.clock.to_json()

    def config(self, target: AtsServer, body: Body, query: Query) -> object:
        return {
            "window": self.world.service.registrations.window,
            "profile": self.world.profile.value,
        }

    def set_config(self, target: AtsServer, body: Body, query: Query) -> object:
        unknown = set(body) - {"window", "profile", "server"}
        if unknown:
            raise ControlError(f"unknown fields: {', '.join(sorted(unknown))}")
        window: float | None = None
        profile: HeaderProfile | None = None
        if "window" in body:
            window = _seconds(body["window"], "window")
            if not 0 < window <= MAX_WINDOW_SECONDS:
                raise ControlError(
                    f"window must be more than 0 and at most {MAX_WINDOW_SECONDS:.0f} seconds"
                )
        if "profile" in body:
            try:
                profile = HeaderProfile(body["profile"])
            except (TypeError, ValueError):
                raise ControlError("profile must be modern, legacy or mixed") from None
        if window is not None:  # validated both before changing either
            self.world.service.registrations.window = window
        if profile is not None:
            self.world.profile = profile
        return self.config(target, body, query)

    def bulk_register(self, target: AtsServer, body: Body, query: Query) -> object:
        unknown = set(body) - {"count", "a_first", "b_first", "server"}
        if unknown:
            raise ControlError(f"unknown fields: {', '.join(sorted(unknown)[:10])}")
        limit = self.world.config.max_bulk_registrations
        count = _whole_number(body, "count", limit)
        a_first = _whole_number(body, "a_first", 10**15 - 1)
        b_first = _whole_number(body, "b_first", 10**15 - 1)
        if len(str(a_first + count)) > 15 or len(str(b_first + count)) > 15:
            raise ControlError("numbers must stay within 15 digits")
        return self._bulk_register(count, a_first, b_first)

    async def _bulk_register(self, count: int, a_first: int, b_first: int) -> object:
        """Register in chunks of ``BULK_CHUNK``, yielding to the loop between them."""
        registrations = self.world.service.registrations
        clock = self.world.clock
        for start in range(0, count, BULK_CHUNK):
            now = clock.now()
            for offset in range(start, min(start + BULK_CHUNK, count)):
                registrations.register(
                    a_first + offset, hash_key_of_number(str(b_first + offset)), now
                )
            await asyncio.sleep(0)
        return {"registered": count, "registrations": len(registrations)}


_ROUTES: Mapping[tuple[str, str], ControlHandler] = {
    ("GET", "/__sim/state"): AtsControl.state,
    ("POST", "/__sim/reset"): AtsControl.reset,
    ("GET", "/__sim/journal"): AtsControl.journal,
    ("DELETE", "/__sim/journal"): AtsControl.clear_journal,
    ("GET", "/__sim/faults"): AtsControl.faults,
    ("POST", "/__sim/faults"): AtsControl.add_fault,
    ("DELETE", "/__sim/faults"): AtsControl.clear_faults,
    ("GET", "/__sim/latency"): AtsControl.latency,
    ("PUT", "/__sim/latency"): AtsControl.set_latency,
    ("GET", "/__sim/numbers"): AtsControl.numbers,
    ("POST", "/__sim/numbers"): AtsControl.add_numbers,
    ("DELETE", "/__sim/numbers"): AtsControl.clear_numbers,
    ("GET", "/__sim/clock"): AtsControl.clock,
    ("POST", "/__sim/clock"): AtsControl.set_clock,
    ("GET", "/__sim/config"): AtsControl.config,
    ("PUT", "/__sim/config"): AtsControl.set_config,
    ("POST", "/__sim/listen"): AtsControl.listen,
    ("POST", "/__sim/registrations"): AtsControl.bulk_register,
}
