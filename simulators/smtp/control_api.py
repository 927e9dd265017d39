"""The SMTP sink's control API under ``/__sim/`` on its own HTTP port (docs/smtp-sink.md).

A table maps ``(method, path)`` to one small handler over the shared strict
JSON layer (simulators/control/json_api.py). Resources: state, reset,
messages (``?limit``, ``?rcpt``; ``messages/<id>`` one message), bounces,
the journal of notable replies, faults per SMTP stage (``status`` with a
4xx/5xx code, ``reset``, ``hang``) and latency (every reply), the clock
(advancing it runs the bounces that fall due, each at its own instant) and
the world (rules, decisions, overrides).
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
    query_whole,
)
from nabat.simulators.control.routing import dispatch
from nabat.simulators.control.scheduler import MAX_CONTROL_CALLBACKS
from nabat.simulators.http.messages import HandlerResult, Request
from nabat.simulators.smtp.protocol import STAGES
from nabat.simulators.world import WorldError

if TYPE_CHECKING:
    from nabat.simulators.smtp.app import SmtpSink

MAX_LIMIT = 100_000
FAULT_KINDS = ("status", "reset", "hang")

Query = dict[str, str]
Handler = Callable[["SmtpControl", Body, Query], object]


class SmtpControl:
    def __init__(self, sink: SmtpSink) -> None:
        self.sink = sink

    def handle(self, request: Request) -> HandlerResult:
        return dispatch(request, self, _ROUTES, by_prefix=_BY_PREFIX,
                        client_errors=(SpecError, ClockError, WorldError))  # fmt: skip

    # --- state and reset ------------------------------------------------------------
    def state(self, body: Body, query: Query) -> object:
        sink = self.sink
        config = sink.config
        return {
            **sink.ready_info(),
            "clock": sink.clock.to_json(),
            "messages": len(sink.store),
            "messages_dropped": sink.store.dropped,
            "bounces": len(sink.store.bounces),
            "bounces_pending": sink.scheduler.pending(),
            "connections": sink.total_connections,
            "faults": sink.faults.to_json(sink.clock.now()),
            "latency": sink.latency.spec,
            "limits": {
                "max_message_bytes": config.max_message_bytes,
                "max_recipients": config.max_recipients,
                "max_line_bytes": config.max_line_bytes,
                "max_connections": config.max_connections,
                "max_connections_per_address": config.max_connections_per_address,
                "idle_timeout": config.idle_timeout,
                "data_timeout": config.data_timeout,
                "max_auth_failures": config.max_auth_failures,
            },
            "tls": config.tls,
            "require_starttls": config.require_starttls,
            "auth_require_tls": config.auth_require_tls,
            "auth_required": config.auth_required,
            "smtputf8": config.smtputf8,
        }

    def reset(self, body: Body, query: Query) -> object:
        self.sink.reset()
        return {"reset": True}

    # --- messages, bounces, journal ---------------------------------------------------
    def messages(self, body: Body, query: Query) -> object:
        limit = query_whole(query, "limit", 100, MAX_LIMIT)
        rcpt = query.get("rcpt") or None
        store, wall_of = self.sink.store, self.sink.clock.wall_of
        return {
            "messages": [m.to_json(wall_of) for m in store.tail(limit, rcpt)],
            "total": len(store),
        }

    def _message(self, path: str) -> object:
        ident = path.rsplit("/", 1)[1]
        if not (ident.isascii() and ident.isdigit()) or len(ident) > 12:
            raise ControlError("a message id is an integer")
        message = self.sink.store.get(int(ident))
        if message is None:
            raise ControlError(f"no message {ident}", 404)
        return message.to_json(self.sink.clock.wall_of)

    def bounces(self, body: Body, query: Query) -> object:
        limit = query_whole(query, "limit", 100, MAX_LIMIT)
        bounces = list(self.sink.store.bounces)
        return {"bounces": bounces[-limit:] if limit else []}

    def journal(self, body: Body, query: Query) -> object:
        limit = query_whole(query, "limit", 100, MAX_LIMIT)
        return {"entries": self.sink.journal.tail(limit, self.sink.clock.wall_of)}

    def clear_journal(self, body: Body, query: Query) -> object:
        self.sink.journal.clear()
        return {"cleared": True}

    # --- faults and latency -------------------------------------------------------------
    def faults(self, body: Body, query: Query) -> object:
        return {"faults": self.sink.faults.to_json(self.sink.clock.now())}

    def add_fault(self, body: Body, query: Query) -> object:
        kind = body.get("kind")
        if kind not in FAULT_KINDS:
            raise ControlError(f"kind must be one of {', '.join(FAULT_KINDS)}")
        spec = dict(body)
        stages = spec.pop("stages", None)
        if "paths" in spec:
            raise ControlError("name the SMTP stages with stages, not paths")
        if stages is not None:
            if not (isinstance(stages, list) and stages and all(s in STAGES for s in stages)):
                raise ControlError(f"stages must be a non-empty list of {', '.join(STAGES)}")
            spec["paths"] = stages
        if kind == "status":
            code = spec.get("status")
            if isinstance(code, bool) or not isinstance(code, int) or not 400 <= code <= 599:
                raise ControlError("status must be an SMTP reply code 400 to 599")
        fault = self.sink.faults.add(spec, self.sink.clock.now())
        return {"id": fault.id}

    def clear_faults(self, body: Body, query: Query) -> object:
        self.sink.faults.clear()
        return {"cleared": True}

    def _delete_fault(self, path: str) -> object:
        return delete_fault(self.sink.faults, path)

    def latency(self, body: Body, query: Query) -> object:
        return self.sink.latency.spec

    def set_latency(self, body: Body, query: Query) -> object:
        self.sink.latency.configure(body)
        return self.sink.latency.spec

    # --- clock and world ------------------------------------------------------------------
    def clock(self, body: Body, query: Query) -> object:
        return self.sink.clock.to_json()

    def set_clock(self, body: Body, query: Query) -> object:
        advance = apply_clock_body(self.sink.clock, body)
        result: dict[str, object] = {}
        if advance is not None:
            ran = self.sink.scheduler.advance(advance, MAX_CONTROL_CALLBACKS)
            result = {"callbacks": ran, "truncated": ran >= MAX_CONTROL_CALLBACKS}
        return {**self.sink.clock.to_json(), **result}

    def world(self, body: Body, query: Query) -> object:
        return world_api.world_json(self.sink.runtime)

    def world_journal(self, body: Body, query: Query) -> object:
        return world_api.world_journal_json(self.sink.runtime, query, MAX_LIMIT)

    def add_override(self, body: Body, query: Query) -> object:
        return world_api.add_override(self.sink.runtime, body)

    def remove_override(self, body: Body, query: Query) -> object:
        return world_api.remove_override(
            self.sink.runtime, body, query, example="address%20a@example.org"
        )


_ROUTES: Mapping[tuple[str, str], Handler] = {
    ("GET", "/__sim/state"): SmtpControl.state,
    ("POST", "/__sim/reset"): SmtpControl.reset,
    ("GET", "/__sim/messages"): SmtpControl.messages,
    ("GET", "/__sim/bounces"): SmtpControl.bounces,
    ("GET", "/__sim/journal"): SmtpControl.journal,
    ("DELETE", "/__sim/journal"): SmtpControl.clear_journal,
    ("GET", "/__sim/faults"): SmtpControl.faults,
    ("POST", "/__sim/faults"): SmtpControl.add_fault,
    ("DELETE", "/__sim/faults"): SmtpControl.clear_faults,
    ("GET", "/__sim/latency"): SmtpControl.latency,
    ("PUT", "/__sim/latency"): SmtpControl.set_latency,
    ("GET", "/__sim/clock"): SmtpControl.clock,
    ("POST", "/__sim/clock"): SmtpControl.set_clock,
    ("GET", "/__sim/world"): SmtpControl.world,
    ("GET", "/__sim/world/journal"): SmtpControl.world_journal,
    ("POST", "/__sim/world/overrides"): SmtpControl.add_override,
    ("DELETE", "/__sim/world/overrides"): SmtpControl.remove_override,
}
_BY_PREFIX: Mapping[tuple[str, str], Callable[[SmtpControl, str], object]] = {
    ("DELETE", "/__sim/faults/"): SmtpControl._delete_fault,
    ("GET", "/__sim/messages/"): SmtpControl._message,
}
