"""The ATS simulator's control API under ``/__sim/`` (documented in
docs/ats-simulator.md).

A table maps ``(HTTP method, path)`` to one small handler each. Handlers take
the decoded JSON body (an object, or empty) and the query parameters and
return a JSON-serialisable value or raise ``ControlError`` (400) — every
error is a JSON ``{"error": ...}`` naming what was wrong. ``?server=`` picks
the primary or reserve server for per-server resources.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from nabat.simulators.ats.plan import PlanError, range_from_row
from nabat.simulators.control.clock import ClockError
from nabat.simulators.control.faults import SpecError
from nabat.simulators.http.messages import Action, HandlerResult, Request, Response
from nabat.system.wire.ats import HeaderProfile

if TYPE_CHECKING:
    from nabat.simulators.ats.app import AtsServer, AtsWorld

MAX_BULK_REGISTRATIONS = 10_000_000


class ControlError(ValueError):
    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def _json_response(status: int, payload: object) -> Response:
    body = json.dumps(payload, ensure_ascii=False, indent=1).encode("utf-8")
    return Response(status, [("Content-Type", "application/json")], body)


Body = dict[str, Any]
Query = dict[str, str]
SyncHandler = Callable[["AtsControl", "AtsServer", Body, Query], object]


class AtsControl:
    def __init__(self, world: AtsWorld, server: AtsServer) -> None:
        self.world = world
        self.server = server

    def handle(self, request: Request) -> HandlerResult:
        try:
            body = self._body(request)
            query = {k: v[-1] for k, v in parse_qs(request.query).items()}
            target = self._target(query, body)
            path = request.path.rstrip("/") or "/"
            if path.startswith("/__sim/faults/") and request.method == "DELETE":
                return _json_response(200, self._delete_fault(target, path))
            handler = _ROUTES.get((request.method, path))
            if handler is None:
                if any(p == path for _, p in _ROUTES):
                    raise ControlError(f"{request.method} is not allowed on {path}", 405)
                raise ControlError(f"unknown control path {path}", 404)
            if isinstance(handler, str):
                return self._async(handler, target, body)
            return _json_response(200, handler(self, target, body, query))
        except ControlError as error:
            return _json_response(error.status, {"error": str(error)})
        except (SpecError, PlanError, ClockError) as error:
            return _json_response(400, {"error": str(error)})

    @staticmethod
    def _body(request: Request) -> Body:
        if not request.body.strip():
            return {}
        try:
            decoded = json.loads(request.body)
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise ControlError(f"body is not valid JSON: {error}") from None
        if not isinstance(decoded, dict):
            raise ControlError("body must be a JSON object")
        return decoded

    def _target(self, query: Query, body: Body) -> AtsServer:
        role = query.get("server") or body.get("server") or self.server.role
        server = self.world.servers.get(str(role))
        if server is None:
            raise ControlError(f"no {role!r} server here (have: {', '.join(self.world.servers)})")
        return server

    # --- async operations (listeners, reset) --------------------------------
    def _async(self, name: str, target: AtsServer, body: Body) -> Awaitable[Action]:
        async def run() -> Action:
            try:
                if name == "reset":
                    await self.world.reset()
                    return _json_response(200, {"reset": True})
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
                return _json_response(200, {"server": target.role, "listening": listening})
            except ControlError as error:
                return _json_response(error.status, {"error": str(error)})

        return run()

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
        if not limit_text.isdigit():
            raise ControlError("limit must be a non-negative integer")
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
        ident = path.rsplit("/", 1)[1]
        if not ident.isdigit():
            raise ControlError("fault id must be an integer")
        if not target.faults.remove(int(ident)):
            raise ControlError(f"no fault {ident} on the {target.role} server", 404)
        return {"removed": int(ident)}

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
        if not isinstance(operators, dict):
            raise ControlError("operators must be an object {ip: id_src}")
        ranges = []
        for index, row in enumerate(rows):
            try:
                ranges.append(range_from_row(row))
            except PlanError as error:
                raise ControlError(f"ranges[{index}]: {error}") from None
        plan = self.world.service.plan
        updated = plan.copy()
        if body.get("replace"):
            updated.clear()
        updated.add(ranges, {str(ip): str(ident) for ip, ident in operators.items()})
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
            advance = body["advance"]
            if isinstance(advance, bool) or not isinstance(advance, int | float):
                raise ControlError("advance must be a number of seconds")
            self.world.clock.advance(float(advance))
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
        if "window" in body:
            window = body["window"]
            if isinstance(window, bool) or not isinstance(window, int | float) or window <= 0:
                raise ControlError("window must be a positive number of seconds")
            self.world.service.registrations.window = float(window)
        if "profile" in body:
            try:
                self.world.profile = HeaderProfile(body["profile"])
            except ValueError:
                raise ControlError("profile must be modern, legacy or mixed") from None
        return self.config(target, body, query)

    def bulk_register(self, target: AtsServer, body: Body, query: Query) -> object:
        from nabat.simulators.ats.stores import hash_key_of_number

        values = {}
        for name in ("count", "a_first", "b_first"):
            value = body.get(name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ControlError(f"{name} must be a non-negative integer")
            values[name] = value
        count = values["count"]
        if count > MAX_BULK_REGISTRATIONS:
            raise ControlError(f"count must be at most {MAX_BULK_REGISTRATIONS}")
        if len(str(values["a_first"] + count)) > 15 or len(str(values["b_first"] + count)) > 15:
            raise ControlError("numbers must stay within 15 digits")
        registrations = self.world.service.registrations
        now = self.world.clock.now()
        a_first, b_first = values["a_first"], values["b_first"]
        for offset in range(count):
            registrations.register(a_first + offset, hash_key_of_number(str(b_first + offset)), now)
        return {"registered": count, "registrations": len(registrations)}


_ROUTES: Mapping[tuple[str, str], SyncHandler | str] = {
    ("GET", "/__sim/state"): AtsControl.state,
    ("POST", "/__sim/reset"): "reset",
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
    ("POST", "/__sim/listen"): "listen",
    ("POST", "/__sim/registrations"): AtsControl.bulk_register,
}
