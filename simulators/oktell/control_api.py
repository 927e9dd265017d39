"""The Oktell simulator's control API under ``/__sim/`` (docs/oktell-simulator.md).

A table maps ``(method, path)`` to one small handler taking the strict JSON
body (simulators/control/json_api.py) and the query; it returns a JSON value
or raises ``ControlError``. Resources: state, reset, the request journal,
calls (the call journal with the world's decisions; ``POST calls`` scripts an
incoming call through the world's timeline), events (user-state changes and
refusals, script runs), directory, users (add, service-state events), lines
(add, block/unblock), faults and latency (simulators/control/faults.py; paths
are command names), clock, world (rules, decision journal, overrides).
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
    flag,
    only,
    query_whole,
    seconds,
    text,
)
from nabat.simulators.control.routing import dispatch
from nabat.simulators.control.scheduler import MAX_CONTROL_CALLBACKS
from nabat.simulators.http.messages import HandlerResult, Request
from nabat.simulators.oktell.directory import (
    EXTERNAL,
    INTERNAL,
    Ambiguous,
    DirectoryError,
    Line,
    LookupFailed,
    User,
    new_id,
)
from nabat.simulators.oktell.states import (
    IllegalTransition,
    LineEvent,
    UserEvent,
    line_step,
    user_step,
)
from nabat.simulators.world import WorldError
from nabat.simulators.world.events import EventError, call

if TYPE_CHECKING:
    from nabat.simulators.oktell.app import OktellSimulator

MAX_CALLBACKS = MAX_CONTROL_CALLBACKS
MAX_JOURNAL_LIMIT = 100_000
MAX_EVENTS = 100_000
FAULT_KINDS = ("status", "hang", "reset", "garbage")
USER_EVENTS = ("disconnect", "connect", "phone_lost", "phone_back", "reserve", "release")
LINE_EVENTS = ("block", "unblock")

Query = dict[str, str]
Handler = Callable[["OktellControl", Body, Query], object]


class OktellControl:
    def __init__(self, simulator: OktellSimulator) -> None:
        self.sim = simulator

    def handle(self, request: Request) -> HandlerResult:
        return dispatch(
            request, self, _ROUTES, by_prefix=_BY_PREFIX,
            client_errors=(SpecError, ClockError, WorldError, EventError, DirectoryError),
        )  # fmt: skip

    # --- state and reset ----------------------------------------------------------
    def state(self, body: Body, query: Query) -> object:
        sim = self.sim
        pbx = sim.pbx
        return {
            "url": sim.url(),
            "password": sim.config.password is not None,
            "clock": sim.clock.to_json(),
            "lines": {line.number: line.state.label for line in pbx.directory.lines.values()},
            "users": {user.login: user.state.label for user in pbx.directory.users.values()},
            "active_calls": len(pbx.calls.calls),
            "scripts": pbx.scripts.names(),
            "faults": sim.faults.to_json(sim.clock.now()),
            "latency": sim.latency.spec,
            "world": sim.runtime.state_json(),
        }

    def reset(self, body: Body, query: Query) -> object:
        self.sim.reset()
        return {"reset": True}

    # --- journals -------------------------------------------------------------------
    def journal(self, body: Body, query: Query) -> object:
        limit = query_whole(query, "limit", 100, MAX_JOURNAL_LIMIT)
        return {"entries": self.sim.journal.tail(limit, self.sim.clock.wall_of)}

    def clear_journal(self, body: Body, query: Query) -> object:
        self.sim.journal.clear()
        return {"cleared": True}

    def calls(self, body: Body, query: Query) -> object:
        limit = query_whole(query, "limit", 100, MAX_JOURNAL_LIMIT)
        return {"calls": self.sim.pbx.calls.journal_json(limit, self.sim.clock.wall_of)}

    def incoming_call(self, body: Body, query: Query) -> object:
        """Script an incoming call: ``{"from", "line", "keys", "after", ...}``."""
        only(
            body,
            (
                "from",
                "line",
                "keys",
                "after",
                "spoofed",
                "first_key",
                "key_gap",
                "ring_for",
                "talk_for",
            ),
        )
        source = text(body.get("from", ""), "from", 32)
        line = text(body.get("line", ""), "line", 32)
        if not source or not line:
            raise ControlError(
                'an incoming call needs "from" (a number) and "line" (a line number)'
            )
        if self.sim.pbx.directory.line_by_number(line) is None:
            raise ControlError(f"no line {line}", 404)
        runtime = self.sim.runtime
        if len(runtime.world.events) >= MAX_EVENTS:
            raise ControlError(f"the world holds at most {MAX_EVENTS} events")
        after = seconds(body.get("after", 0.0), "after")
        event = call(
            runtime.elapsed() + after,
            source,
            f"oktell:{line}",
            text(body.get("keys", ""), "keys", 64),
            spoofed=flag(body.get("spoofed", False), "spoofed"),
            first_key=seconds(body.get("first_key", 2.0), "first_key"),
            key_gap=seconds(body.get("key_gap", 0.5), "key_gap"),
            ring_for=seconds(body.get("ring_for", 60.0), "ring_for"),
            talk_for=seconds(body.get("talk_for", 30.0), "talk_for"),
        )
        index = runtime.add_event(event)
        self.sim.pbx.calls.watch_events()
        return {"event": index, **event.to_json()}

    def events(self, body: Body, query: Query) -> object:
        limit = query_whole(query, "limit", 100, MAX_JOURNAL_LIMIT)
        return {"events": list(self.sim.pbx.events)[-limit:] if limit else []}

    # --- directory --------------------------------------------------------------------
    def directory(self, body: Body, query: Query) -> object:
        return self.sim.pbx.directory.to_json()

    def add_line(self, body: Body, query: Query) -> object:
        only(body, ("number", "name", "kind", "id"))
        number_text = text(body.get("number", ""), "number", 32)
        if not number_text:
            raise ControlError("a line needs a number")
        kind = text(body.get("kind", INTERNAL), "kind", 16)
        if kind not in (INTERNAL, EXTERNAL):
            raise ControlError("kind must be internal or external")
        line = Line(
            text(body.get("id", new_id()), "id", 64).lower(),
            number_text,
            text(body.get("name", f"Линия {number_text}"), "name", 200),
            kind,
        )
        return self.sim.pbx.directory.add_line(line).to_json()

    def add_user(self, body: Body, query: Query) -> object:
        only(body, ("login", "name", "number", "line", "id", "department"))
        directory = self.sim.pbx.directory
        login = text(body.get("login", ""), "login", 100)
        line = directory.line_by_number(text(body.get("line", ""), "line", 32))
        if not login or line is None:
            raise ControlError('a user needs a "login" and the number of a free internal "line"')
        user = User(
            text(body.get("id", new_id()), "id", 64).lower(),
            login,
            text(body.get("name", login), "name", 200),
            text(body.get("number", line.number), "number", 32),
            line.id,
            text(body.get("department", ""), "department", 200),
        )
        return directory.add_user(user).to_json()

    def user_state(self, body: Body, query: Query) -> object:
        """``{"user": value, "event": "disconnect"|...}``: a service-state change."""
        only(body, ("user", "event"))
        event_name = text(body.get("event", ""), "event", 32)
        if event_name not in USER_EVENTS:
            raise ControlError(f"event must be one of {', '.join(USER_EVENTS)}")
        user = self._user(text(body.get("user", ""), "user", 200))
        try:
            user.state = user_step(user.state, UserEvent(event_name))
        except IllegalTransition as error:
            raise ControlError(str(error), 409) from None
        self.sim.pbx.note("control", user=user.login, event=event_name, state=user.state.label)
        return user.to_json()

    def line_state(self, body: Body, query: Query) -> object:
        """``{"line": number, "event": "block"|"unblock"}``."""
        only(body, ("line", "event"))
        event_name = text(body.get("event", ""), "event", 32)
        if event_name not in LINE_EVENTS:
            raise ControlError(f"event must be one of {', '.join(LINE_EVENTS)}")
        number_text = text(body.get("line", ""), "line", 32)
        line = self.sim.pbx.directory.line_by_number(number_text)
        if line is None:
            raise ControlError(f"no line {number_text}", 404)
        try:
            line.state = line_step(line.state, LineEvent(event_name))
        except IllegalTransition as error:
            raise ControlError(str(error), 409) from None
        return line.to_json()

    def _user(self, value: str) -> User:
        directory = self.sim.pbx.directory
        try:
            line = directory.resolve(value)
        except LookupFailed as error:
            raise ControlError(str(error), 404) from None
        except Ambiguous as error:
            raise ControlError(str(error), 409) from None
        user = directory.user_on(line.id)
        if user is None:
            raise ControlError(f"no user on line {line.number}", 404)
        return user

    # --- faults and latency -------------------------------------------------------------
    def faults(self, body: Body, query: Query) -> object:
        return {"faults": self.sim.faults.to_json(self.sim.clock.now())}

    def add_fault(self, body: Body, query: Query) -> object:
        if body.get("kind") not in FAULT_KINDS:
            raise ControlError(f"kind must be one of {', '.join(FAULT_KINDS)}")
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

    # --- clock and world ------------------------------------------------------------------
    def clock(self, body: Body, query: Query) -> object:
        return self.sim.clock.to_json()

    def set_clock(self, body: Body, query: Query) -> object:
        advance = apply_clock_body(self.sim.clock, body)
        result: dict[str, object] = {}
        if advance is not None:
            # Step through every due instant, so each call's timers fire at their own time.
            ran = self.sim.pbx.scheduler.advance(advance, MAX_CALLBACKS)
            result = {"callbacks": ran, "truncated": ran >= MAX_CALLBACKS}
        return {**self.sim.clock.to_json(), **result}

    def world(self, body: Body, query: Query) -> object:
        return world_api.world_json(self.sim.runtime)

    def world_journal(self, body: Body, query: Query) -> object:
        return world_api.world_journal_json(self.sim.runtime, query, MAX_JOURNAL_LIMIT)

    def add_override(self, body: Body, query: Query) -> object:
        return world_api.add_override(self.sim.runtime, body)

    def remove_override(self, body: Body, query: Query) -> object:
        return world_api.remove_override(self.sim.runtime, body, query)


_ROUTES: Mapping[tuple[str, str], Handler] = {
    ("GET", "/__sim/state"): OktellControl.state,
    ("POST", "/__sim/reset"): OktellControl.reset,
    ("GET", "/__sim/journal"): OktellControl.journal,
    ("DELETE", "/__sim/journal"): OktellControl.clear_journal,
    ("GET", "/__sim/calls"): OktellControl.calls,
    ("POST", "/__sim/calls"): OktellControl.incoming_call,
    ("GET", "/__sim/events"): OktellControl.events,
    ("GET", "/__sim/directory"): OktellControl.directory,
    ("POST", "/__sim/lines"): OktellControl.add_line,
    ("POST", "/__sim/lines/state"): OktellControl.line_state,
    ("POST", "/__sim/users"): OktellControl.add_user,
    ("POST", "/__sim/users/state"): OktellControl.user_state,
    ("GET", "/__sim/faults"): OktellControl.faults,
    ("POST", "/__sim/faults"): OktellControl.add_fault,
    ("DELETE", "/__sim/faults"): OktellControl.clear_faults,
    ("GET", "/__sim/latency"): OktellControl.latency,
    ("PUT", "/__sim/latency"): OktellControl.set_latency,
    ("GET", "/__sim/clock"): OktellControl.clock,
    ("POST", "/__sim/clock"): OktellControl.set_clock,
    ("GET", "/__sim/world"): OktellControl.world,
    ("GET", "/__sim/world/journal"): OktellControl.world_journal,
    ("POST", "/__sim/world/overrides"): OktellControl.add_override,
    ("DELETE", "/__sim/world/overrides"): OktellControl.remove_override,
}
_BY_PREFIX: Mapping[tuple[str, str], Callable[[OktellControl, str], object]] = {
    ("DELETE", "/__sim/faults/"): OktellControl._delete_fault,
}
