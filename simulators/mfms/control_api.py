"""The MFMS simulator's control API under ``/__sim/`` (docs/mfms-simulator.md).

A table maps ``(method, path)`` to one small handler; each takes the strict
JSON body (simulators/control/json_api.py) and the query, returns a JSON
value or raises ``ControlError`` (answered ``{"error": ...}`` with its
status). Every field is checked before anything changes. Resources: state,
reset, messages (the delivery journal with the world's decisions, and
``POST messages/<id>/cancel``), the request journal, faults and latency
(simulators/control/faults.py: ``status`` — 429/503 carry ``Retry-After`` —
``hang``, ``reset``, ``garbage``), platform errors (the next N requests
answer error-system, the next N messages fail), connectors, config (error
profile, blocked prefixes), clock and world (rules, decisions, overrides).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from nabat.simulators.control import world_api
from nabat.simulators.control.clock import ClockError
from nabat.simulators.control.clock_api import apply_clock_body
from nabat.simulators.control.fault_api import delete_fault
from nabat.simulators.control.faults import SpecError
from nabat.simulators.control.json_api import (
    Body,
    ControlError,
    only,
    query_whole,
    text,
    whole,
)
from nabat.simulators.control.routing import dispatch
from nabat.simulators.http.messages import HandlerResult, Request
from nabat.simulators.mfms.config import (
    ERROR_PROFILES,
    MAX_CONNECTORS,
    ConfigError,
    blocked_from_json,
    connector_from_json,
)
from nabat.simulators.sms_platform.delivery import DeliveryError
from nabat.simulators.world import WorldError

if TYPE_CHECKING:
    from nabat.simulators.mfms.app import MfmsSimulator

MAX_JOURNAL_LIMIT = 100_000
MAX_PLATFORM_ERRORS = 1_000_000
FAULT_KINDS = ("status", "hang", "reset", "garbage")

Query = dict[str, str]
Handler = Callable[["MfmsControl", Body, Query], object]


class MfmsControl:
    def __init__(self, simulator: MfmsSimulator) -> None:
        self.sim = simulator

    def handle(self, request: Request) -> HandlerResult:
        return dispatch(request, self, _ROUTES, by_prefix=_BY_PREFIX,
                        client_errors=(SpecError, ClockError, ConfigError, WorldError))  # fmt: skip

    # --- state and reset --------------------------------------------------------
    def state(self, body: Body, query: Query) -> object:
        sim = self.sim
        now = sim.clock.now()
        return {
            "urls": sim.urls(),
            "clock": sim.clock.to_json(),
            **sim.service.state_json(),
            "messages": len(sim.delivery),
            "statuses": sim.delivery.counts(),
            "counters": {f"{m} {p} {s}": n for (m, p, s), n in sorted(sim.counters.items())},
            "faults": sim.faults.to_json(now),
            "latency": sim.latency.spec,
            "max_url_bytes": sim.config.max_url_bytes,
        }

    def reset(self, body: Body, query: Query) -> object:
        self.sim.reset()
        return {"reset": True}

    # --- messages ---------------------------------------------------------------
    def messages(self, body: Body, query: Query) -> object:
        limit = query_whole(query, "limit", 100, MAX_JOURNAL_LIMIT)
        account = query.get("account") or None
        entries = self.sim.delivery.messages(limit, platform="mfms", account=account)
        return {"messages": entries, "total": len(self.sim.delivery)}

    def _cancel(self, path: str) -> object:
        parts = path.split("/")  # ['', '__sim', 'messages', id, 'cancel']
        if len(parts) != 5 or parts[4] != "cancel":
            raise ControlError(
                "cancel a message with POST /__sim/messages/<providerId>/cancel", 404
            )
        provider_id = parts[3]
        try:
            view = self.sim.delivery.cancel(provider_id)
        except DeliveryError as error:
            status = 404 if self.sim.delivery.status(provider_id) is None else 409
            raise ControlError(str(error)[:300], status) from None
        return {"provider_id": provider_id, "status": view.status.value}

    # --- the request journal ----------------------------------------------------
    def journal(self, body: Body, query: Query) -> object:
        limit = query_whole(query, "limit", 100, MAX_JOURNAL_LIMIT)
        return {"entries": self.sim.journal.tail(limit, self.sim.clock.wall_of)}

    def clear_journal(self, body: Body, query: Query) -> object:
        self.sim.journal.clear()
        return {"cleared": True}

    # --- faults, latency, platform errors -----------------------------------------
    def faults(self, body: Body, query: Query) -> object:
        return {"faults": self.sim.faults.to_json(self.sim.clock.now())}

    def add_fault(self, body: Body, query: Query) -> object:
        if body.get("kind") not in FAULT_KINDS:
            raise ControlError(f"kind must be one of {', '.join(FAULT_KINDS)}")
        paths = body.get("paths")
        if paths is not None and not (
            isinstance(paths, list) and paths and all(p in ("send", "status") for p in paths)
        ):
            raise ControlError('paths must be a non-empty list of "send" and "status"')
        fault = self.sim.faults.add(body, self.sim.clock.now())
        return {"id": fault.id}

    def clear_faults(self, body: Body, query: Query) -> object:
        self.sim.faults.clear()
        return {"cleared": True}

    def _delete_fault(self, path: str) -> object:
        return delete_fault(self.sim.faults, path)

    def latency(self, body: Body, query: Query) -> object:
        return self.sim.latency.spec

    def set_latency(self, body: Body, query: Query) -> object:
        self.sim.latency.configure(body)
        return self.sim.latency.spec

    def platform_errors(self, body: Body, query: Query) -> object:
        return {
            "system": self.sim.service.system_errors,
            "failed": self.sim.service.failed_messages,
        }

    def set_platform_errors(self, body: Body, query: Query) -> object:
        only(body, ("system", "failed"))
        service = self.sim.service
        system = whole(body.get("system", service.system_errors), "system", 0, MAX_PLATFORM_ERRORS)
        failed = whole(
            body.get("failed", service.failed_messages), "failed", 0, MAX_PLATFORM_ERRORS
        )
        service.system_errors, service.failed_messages = system, failed
        return self.platform_errors(body, query)

    # --- connectors and config -----------------------------------------------------
    def connectors(self, body: Body, query: Query) -> object:
        return {"connectors": [c.to_json() for c in self.sim.service.connectors.values()]}

    def add_connector(self, body: Body, query: Query) -> object:
        connector = connector_from_json(body)
        known = self.sim.service.connectors
        if connector.key not in known and len(known) >= MAX_CONNECTORS:
            raise ControlError(f"at most {MAX_CONNECTORS} connectors")
        known[connector.key] = connector
        return connector.to_json()

    def remove_connector(self, body: Body, query: Query) -> object:
        only(body, ("key",))
        key = text(query.get("key") or body.get("key") or "", "key", 300)
        if not key:
            raise ControlError("name the connector: ?key=CLIENT/connectorX")
        if self.sim.service.connectors.pop(key, None) is None:
            raise ControlError(f"no connector {key!r}", 404)
        return {"removed": key}

    def config(self, body: Body, query: Query) -> object:
        service = self.sim.service
        return {"error_profile": service.error_profile, "blocked": list(service.blocked)}

    def set_config(self, body: Body, query: Query) -> object:
        only(body, ("error_profile", "blocked"))
        profile = body.get("error_profile", self.sim.service.error_profile)
        if profile not in ERROR_PROFILES:
            raise ControlError(f"error_profile must be one of {', '.join(ERROR_PROFILES)}")
        blocked = blocked_from_json(body.get("blocked", list(self.sim.service.blocked)))
        self.sim.service.set_error_profile(profile)
        self.sim.service.blocked = blocked
        return self.config(body, query)

    # --- clock and world ------------------------------------------------------------
    def clock(self, body: Body, query: Query) -> object:
        return self.sim.clock.to_json()

    def set_clock(self, body: Body, query: Query) -> object:
        advance = apply_clock_body(self.sim.clock, body)
        if advance is not None:
            self.sim.clock.advance(advance)
        return self.sim.clock.to_json()

    def world(self, body: Body, query: Query) -> object:
        return world_api.world_json(self.sim.runtime)

    def world_journal(self, body: Body, query: Query) -> object:
        return world_api.world_journal_json(self.sim.runtime, query, MAX_JOURNAL_LIMIT)

    def add_override(self, body: Body, query: Query) -> object:
        return world_api.add_override(self.sim.runtime, body)

    def remove_override(self, body: Body, query: Query) -> object:
        return world_api.remove_override(self.sim.runtime, body, query)


_ROUTES: Mapping[tuple[str, str], Handler] = {
    ("GET", "/__sim/state"): MfmsControl.state,
    ("POST", "/__sim/reset"): MfmsControl.reset,
    ("GET", "/__sim/messages"): MfmsControl.messages,
    ("GET", "/__sim/journal"): MfmsControl.journal,
    ("DELETE", "/__sim/journal"): MfmsControl.clear_journal,
    ("GET", "/__sim/faults"): MfmsControl.faults,
    ("POST", "/__sim/faults"): MfmsControl.add_fault,
    ("DELETE", "/__sim/faults"): MfmsControl.clear_faults,
    ("GET", "/__sim/latency"): MfmsControl.latency,
    ("PUT", "/__sim/latency"): MfmsControl.set_latency,
    ("GET", "/__sim/platform-errors"): MfmsControl.platform_errors,
    ("PUT", "/__sim/platform-errors"): MfmsControl.set_platform_errors,
    ("GET", "/__sim/connectors"): MfmsControl.connectors,
    ("POST", "/__sim/connectors"): MfmsControl.add_connector,
    ("DELETE", "/__sim/connectors"): MfmsControl.remove_connector,
    ("GET", "/__sim/config"): MfmsControl.config,
    ("PUT", "/__sim/config"): MfmsControl.set_config,
    ("GET", "/__sim/clock"): MfmsControl.clock,
    ("POST", "/__sim/clock"): MfmsControl.set_clock,
    ("GET", "/__sim/world"): MfmsControl.world,
    ("GET", "/__sim/world/journal"): MfmsControl.world_journal,
    ("POST", "/__sim/world/overrides"): MfmsControl.add_override,
    ("DELETE", "/__sim/world/overrides"): MfmsControl.remove_override,
}
_BY_PREFIX: Mapping[tuple[str, str], Callable[[MfmsControl, str], object]] = {
    ("DELETE", "/__sim/faults/"): MfmsControl._delete_fault,
    ("POST", "/__sim/messages/"): MfmsControl._cancel,
}
