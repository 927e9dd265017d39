"""The GSM modem simulator's control API under ``/__sim/`` (docs/gsm-modem-simulator.md).

How it works: ``GsmControl.handle`` is the HTTP handler of the control
listener (simulators/http/server.py). It checks the token, decodes the JSON
body (simulators/control/json_api.py) and dispatches on ``(method, route)`` through
``_ROUTES``; per-modem routes are ``/__sim/modems/<i>[/<part>]``, the index
taken from the path. Every handler is synchronous and runs on the bank's
event loop, so it reads and changes the modems with nothing else running
meanwhile. Answers are JSON; every refusal is ``{"error": ...}`` with 400
(bad input), 401 (token), 404 (no such route, modem or override) or 405.

Routes: ``GET /__sim/`` (this list), ``GET state``, ``POST reset``,
``GET modems``, ``GET modems/<i>``, ``GET|POST|DELETE modems/<i>/faults``
(control_faults.py), ``GET|DELETE modems/<i>/journal`` (``?since=&kinds=
&limit=``), ``POST modems/<i>/reboot``, ``GET world``, ``GET world/journal``,
``POST|DELETE world/overrides``, ``POST world/events``, ``GET|POST clock``,
``GET|PUT timing``.

Answers are compact JSON; ``?pretty`` indents them (for reading with curl).
Advancing the clock runs what falls due in order, each callback at its own
instant (as ``Scheduler.advance``), but at most ``MAX_CALLBACKS`` of them per
request: past that the clock jumps to the end and the answer says
``truncated``. With a ``token`` every request must carry
``Authorization: Bearer TOKEN`` or ``X-Sim-Token: TOKEN`` (401 otherwise).
"""

from __future__ import annotations

import dataclasses
import functools
import hmac
from collections.abc import Callable, Mapping
from urllib.parse import parse_qs

from nabat.simulators.control import world_api
from nabat.simulators.control.clock import ClockError
from nabat.simulators.control.clock_api import apply_clock_body
from nabat.simulators.control.json_api import (
    MAX_SECONDS,
    Body,
    ControlError,
    decode_body,
    error_response,
    json_response,
    only,
    query_whole,
    seconds,
    whole,
)
from nabat.simulators.control.scheduler import MAX_CONTROL_CALLBACKS
from nabat.simulators.gsm_modem.bank import SYSTEM, ModemBank
from nabat.simulators.gsm_modem.bank_reset import StartState, reset_bank
from nabat.simulators.gsm_modem.control_faults import FAULTS, apply_fault, clear_faults
from nabat.simulators.gsm_modem.control_views import JOURNAL_KINDS, journal_view, modem_view
from nabat.simulators.gsm_modem.engine import Modem
from nabat.simulators.gsm_modem.timing import Timing
from nabat.simulators.http.messages import HandlerResult, Request
from nabat.simulators.world import WorldError, parse_event
from nabat.simulators.world.events import Target

PREFIX = "/__sim"
MAX_CALLBACKS = MAX_CONTROL_CALLBACKS
MAX_JOURNAL_LIMIT = 10_000
DEFAULT_JOURNAL_LIMIT = 1000
MAX_EVENTS = 10_000
TIMING_FIELDS = tuple(field.name for field in dataclasses.fields(Timing))

Query = dict[str, str]
Handler = Callable[["GsmControl", Body, Query], object]
ModemHandler = Callable[["GsmControl", Modem, Body, Query], object]


class GsmControl:
    def __init__(
        self, bank: ModemBank, start: StartState | None = None, token: str | None = None
    ) -> None:
        self.bank = bank
        self.start = start or StartState.of(bank)
        self.token = token or None

    # --- HTTP ---------------------------------------------------------------------
    def handle(self, request: Request) -> HandlerResult:
        try:
            self._authorize(request)
            path = request.path.rstrip("/") or "/"
            if path != PREFIX and not path.startswith(PREFIX + "/"):
                raise ControlError(
                    f"unknown path {path[:200]}: the control API is under /__sim/", 404
                )
            body = decode_body(request.body)
            query = {
                key: values[-1]
                for key, values in parse_qs(request.query, keep_blank_values=True).items()
            }
            answer = self._dispatch(request.method, path, body, query)
            return json_response(200, answer, pretty="pretty" in query)
        except ControlError as error:
            return error_response(error)
        except ClockError as error:
            return json_response(400, {"error": str(error)})

    def _authorize(self, request: Request) -> None:
        if not self.token:
            return
        offered = request.headers.get("x-sim-token")
        if offered is None:
            scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
            offered = credentials.strip() if scheme.lower() == "bearer" else ""
        if not hmac.compare_digest(offered.encode("utf-8"), self.token.encode("utf-8")):
            raise ControlError(
                "the control API needs its token: Authorization: Bearer TOKEN or X-Sim-Token",
                401,
            )

    def _dispatch(self, method: str, path: str, body: Body, query: Query) -> object:
        route = path[len(PREFIX) :] or "/"
        parts = route.strip("/").split("/")
        if len(parts) >= 2 and parts[0] == "modems":
            modem = self._modem(parts[1])
            part = "/".join(parts[2:])
            modem_handler = _MODEM_ROUTES.get((method, part))
            if modem_handler is None:
                if any(p == part for _, p in _MODEM_ROUTES):
                    raise ControlError(f"{method} is not allowed on {path[:200]}", 405)
                raise ControlError(f"unknown control path {path[:200]}", 404)
            return modem_handler(self, modem, body, query)
        handler = _ROUTES.get((method, route))
        if handler is None:
            if any(r == route for _, r in _ROUTES):
                raise ControlError(f"{method} is not allowed on {path[:200]}", 405)
            raise ControlError(f"unknown control path {path[:200]}", 404)
        return handler(self, body, query)

    def _modem(self, text_index: str) -> Modem:
        count = len(self.bank.modems)
        if not (text_index.isascii() and text_index.isdigit()) or len(text_index) > 6:
            raise ControlError(f"modem index must be a whole number from 0 to {count - 1}", 404)
        index = int(text_index)
        if index >= count:
            raise ControlError(f"no modem {index}: this simulator has {count}", 404)
        return self.bank.modems[index]

    # --- views ----------------------------------------------------------------------
    def view(self, modem: Modem) -> dict[str, object]:
        bank, index = self.bank, modem.index
        pty = bank.ptys[index] if index < len(bank.ptys) else None
        path = pty.path if pty is not None and pty.present else None
        link = str(pty.link) if pty is not None and pty.link is not None else None
        url = bank.ports[index].url if index < len(bank.ports) else None
        return modem_view(modem, path, link, url)

    def routes(self, body: Body, query: Query) -> object:
        """The API's own help: every route and every fault kind with its fields."""
        return _help()

    def state(self, body: Body, query: Query) -> object:
        bank = self.bank
        return {
            "modems": [self.view(modem) for modem in bank.modems],
            "clock": bank.clock.to_json(),
            "timing": timing_json(bank.timing),
            "world": bank.runtime.state_json(),
            "antifraud": bank.antifraud is not None,
        }

    def modems(self, body: Body, query: Query) -> object:
        return {"modems": [self.view(modem) for modem in self.bank.modems]}

    def reset(self, body: Body, query: Query) -> object:
        reset_bank(self.bank, self.start)
        return {"reset": True}

    # --- one modem --------------------------------------------------------------------
    def modem(self, modem: Modem, body: Body, query: Query) -> object:
        return self.view(modem)

    def faults(self, modem: Modem, body: Body, query: Query) -> object:
        return {"modem": modem.index, "faults": modem.faults_json()}

    def add_fault(self, modem: Modem, body: Body, query: Query) -> object:
        kind = apply_fault(modem, body)
        return {"modem": modem.index, "applied": kind, "faults": modem.faults_json()}

    def clear_faults(self, modem: Modem, body: Body, query: Query) -> object:
        clear_faults(modem)
        return {"modem": modem.index, "cleared": True, "faults": modem.faults_json()}

    def journal(self, modem: Modem, body: Body, query: Query) -> object:
        since = query_whole(query, "since", 0, 2**53)
        limit = query_whole(query, "limit", DEFAULT_JOURNAL_LIMIT, MAX_JOURNAL_LIMIT)
        kinds: frozenset[str] | None = None
        raw = query.get("kinds", "")
        if raw:
            kinds = frozenset(part.strip() for part in raw.split(",") if part.strip())
            if not kinds or not kinds <= JOURNAL_KINDS:
                raise ControlError(
                    f"kinds must be a comma list of {', '.join(sorted(JOURNAL_KINDS))}"
                )
        runtime = self.bank.runtime
        origin = runtime.clock.now() - runtime.elapsed()
        return journal_view(modem, since, kinds, limit, origin)

    def clear_journal(self, modem: Modem, body: Body, query: Query) -> object:
        modem.journal.clear()
        return {"modem": modem.index, "cleared": True, "last_seq": modem.journal.last_seq}

    def reboot(self, modem: Modem, body: Body, query: Query) -> object:
        modem.reboot()
        return {"modem": modem.index, "rebooted": True}

    # --- the world ----------------------------------------------------------------------
    def world(self, body: Body, query: Query) -> object:
        runtime = self.bank.runtime
        pending = [event.to_json() for event in runtime.pending()]
        return {**world_api.world_json(runtime), "pending": pending}

    def world_journal(self, body: Body, query: Query) -> object:
        return world_api.world_journal_json(self.bank.runtime, query, MAX_JOURNAL_LIMIT)

    def add_override(self, body: Body, query: Query) -> object:
        return world_api.add_override(self.bank.runtime, body)

    def remove_override(self, body: Body, query: Query) -> object:
        return world_api.remove_override(self.bank.runtime, body, query)

    def add_event(self, body: Body, query: Query) -> object:
        runtime = self.bank.runtime
        spec = dict(body)
        if "modem" in spec:
            if "to" in spec:
                raise ControlError("give modem or to, not both")
            index = whole(spec.pop("modem"), "modem", 0, len(self.bank.modems) - 1)
            spec["to"] = f"{SYSTEM}:{index}"
        if "in" in spec:
            if "at" in spec:
                raise ControlError("give at or in, not both")
            spec["at"] = runtime.elapsed() + seconds(spec.pop("in"), "in")
        try:
            event = parse_event(spec)
        except WorldError as error:
            raise ControlError(str(error)) from None
        self._check_target(event.target)
        if len(runtime.world.events) >= MAX_EVENTS:
            raise ControlError(f"the world's timeline holds at most {MAX_EVENTS} events")
        index = runtime.add_event(event)
        self.bank.refresh_timeline()
        return {"index": index, "event": event.to_json(), "elapsed": round(runtime.elapsed(), 3)}

    def _check_target(self, target: Target) -> None:
        if target.system != SYSTEM:
            return
        count = len(self.bank.modems)
        if not target.port.isdigit() or int(target.port) >= count:
            raise ControlError(f"no modem {target.port[:20]!r}: this simulator has {count}")

    # --- clock and timing -----------------------------------------------------------------
    def clock(self, body: Body, query: Query) -> object:
        return self._clock_json()

    def _clock_json(self) -> dict[str, object]:
        return {**self.bank.clock.to_json(), "elapsed": round(self.bank.runtime.elapsed(), 6)}

    def set_clock(self, body: Body, query: Query) -> object:
        advance = apply_clock_body(self.bank.clock, body)
        result: dict[str, object] = {}
        if advance is not None:
            ran, truncated = self._advance(advance)
            result = {"callbacks": ran, "truncated": truncated}
        return {**self._clock_json(), **result}

    def _advance(self, amount: float) -> tuple[int, bool]:
        ran = self.bank.scheduler.advance(amount, MAX_CALLBACKS)
        return ran, ran >= MAX_CALLBACKS

    def timing(self, body: Body, query: Query) -> object:
        return timing_json(self.bank.timing)

    def set_timing(self, body: Body, query: Query) -> object:
        only(body, ("preset", *TIMING_FIELDS))
        preset = body.get("preset")
        if preset is None:
            base = self.bank.timing
        elif preset == "instant":
            base = Timing.instant()
        elif preset == "realistic":
            base = Timing()
        else:
            raise ControlError("preset must be instant or realistic")
        changes = {
            name: seconds(body[name], name, MAX_SECONDS) for name in TIMING_FIELDS if name in body
        }
        try:
            timing = base.replace(**changes)
        except ValueError as error:
            raise ControlError(str(error)) from None
        self.bank.timing = timing
        for modem in self.bank.modems:
            modem.timing = timing
        return timing_json(timing)


@functools.cache
def _help() -> dict[str, object]:
    shown = [f"{method} {PREFIX}{route}" for method, route in _ROUTES]
    shown += [f"{method} {PREFIX}/modems/<i>{'/' + part if part else ''}"
              for method, part in _MODEM_ROUTES]  # fmt: skip
    return {
        "routes": shown,
        "faults": {kind: list(fault.fields) for kind, fault in FAULTS.items()},
        "journal_kinds": sorted(JOURNAL_KINDS),
        "timing": list(TIMING_FIELDS),
        "docs": "docs/gsm-modem-simulator.md",
    }


def timing_json(timing: Timing) -> dict[str, float]:
    """``Timing.to_json`` without ``dataclasses.asdict``'s deep copy (the state is polled)."""
    return {name: getattr(timing, name) for name in TIMING_FIELDS}


_ROUTES: Mapping[tuple[str, str], Handler] = {
    ("GET", "/"): GsmControl.routes,
    ("GET", "/state"): GsmControl.state,
    ("POST", "/reset"): GsmControl.reset,
    ("GET", "/modems"): GsmControl.modems,
    ("GET", "/world"): GsmControl.world,
    ("GET", "/world/journal"): GsmControl.world_journal,
    ("POST", "/world/overrides"): GsmControl.add_override,
    ("DELETE", "/world/overrides"): GsmControl.remove_override,
    ("POST", "/world/events"): GsmControl.add_event,
    ("GET", "/clock"): GsmControl.clock,
    ("POST", "/clock"): GsmControl.set_clock,
    ("GET", "/timing"): GsmControl.timing,
    ("PUT", "/timing"): GsmControl.set_timing,
}

_MODEM_ROUTES: Mapping[tuple[str, str], ModemHandler] = {
    ("GET", ""): GsmControl.modem,
    ("GET", "faults"): GsmControl.faults,
    ("POST", "faults"): GsmControl.add_fault,
    ("DELETE", "faults"): GsmControl.clear_faults,
    ("GET", "journal"): GsmControl.journal,
    ("DELETE", "journal"): GsmControl.clear_journal,
    ("POST", "reboot"): GsmControl.reboot,
}
