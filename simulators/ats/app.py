"""HTTP face of the ATS simulator: one ``AtsServer`` per role, one shared ``AtsWorld``.

``AtsWorld`` owns what primary and reserve share (numbering plan, stores,
clock, window, header profile) and a background task that sweeps expired
registrations and calls in bounded chunks. ``AtsServer.handle`` is the request
path: route -> active fault? -> method check -> form decoding -> the pure
``AtsService`` -> headers -> counters and journal -> optional latency. Paths
under ``/__sim/`` go to the control API instead and never see faults (and,
with ``control_token`` set, need the token).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from dataclasses import dataclass, field

from nabat.simulators.ats.bits import SIM_MESSAGES
from nabat.simulators.ats.plan import NumberingPlan, default_plan
from nabat.simulators.ats.service import ApiResult, AtsService
from nabat.simulators.control.clock import SimClock
from nabat.simulators.control.faults import Fault, FaultSet, LatencyModel
from nabat.simulators.control.journal import Journal
from nabat.simulators.http.fault_actions import connection_fault
from nabat.simulators.http.forms import FormError, parse_form
from nabat.simulators.http.messages import (
    Action,
    HandlerResult,
    Request,
    Response,
    text_response,
)
from nabat.simulators.http.server import HttpLimits, HttpServer
from nabat.system.wire.ats import ErrorBit, HeaderProfile, encode_error_headers

CONTROL_PREFIX = "/__sim/"
CYRILLIC_CALL_PATH = "/\u0441all"

# path -> (method name, allowed HTTP methods, answers carry error headers)
ROUTES: dict[str, tuple[str, tuple[str, ...], bool]] = {
    "/RegisterCall": ("RegisterCall", ("POST",), True),
    "/CheckCall": ("CheckCall", ("POST",), True),
    "/callUpdate": ("callUpdate", ("POST",), True),
    "/call": ("call", ("POST",), True),
    CYRILLIC_CALL_PATH: ("call", ("POST",), True),
    "/help": ("help", ("GET", "POST", "HEAD"), False),
    "/numberInfo": ("numberInfo", ("POST",), True),
    "/ping": ("ping", ("GET", "POST", "HEAD"), False),
}
SWEEP_INTERVAL_SECONDS = 0.1
SWEEP_BUDGET = 50_000


@dataclass(frozen=True, slots=True)
class AtsConfig:
    host: str = "127.0.0.1"
    port: int = 8085
    reserve_port: int | None = None
    plan: NumberingPlan = field(default_factory=default_plan)
    window: float = 60.0
    profile: HeaderProfile = HeaderProfile.MODERN
    max_registrations: int = 10_000_000
    max_calls: int = 1_000_000
    journal_size: int = 1000
    journal_bytes: int = 16 * 1024 * 1024
    journal_entry_bytes: int = 4096
    max_bulk_registrations: int = 1_000_000
    control_token: str | None = None
    limits: HttpLimits = field(default_factory=HttpLimits)


class AtsWorld:
    """State shared by the primary and the reserve server."""

    def __init__(self, config: AtsConfig, clock: SimClock | None = None) -> None:
        self.config = config
        self.clock = clock or SimClock()
        self.profile = config.profile
        self.service = self._new_service()
        self.servers: dict[str, AtsServer] = {}
        self._sweeper: asyncio.Task[None] | None = None

    def _new_service(self) -> AtsService:
        config = self.config
        return AtsService(
            config.plan.copy(), config.window, config.max_registrations, config.max_calls
        )

    async def start(self) -> None:
        config = self.config
        primary = AtsServer("primary", self)
        self.servers["primary"] = primary
        await primary.http.start(config.host, config.port)
        if config.reserve_port is not None:
            reserve = AtsServer("reserve", self)
            self.servers["reserve"] = reserve
            await reserve.http.start(config.host, config.reserve_port)
        self._sweeper = asyncio.ensure_future(self._sweep_forever())

    async def close(self) -> None:
        if self._sweeper is not None:
            self._sweeper.cancel()
        for server in self.servers.values():
            await server.http.close()

    async def reset(self) -> None:
        self.clock.reset()
        self.profile = self.config.profile
        self.service = self._new_service()
        for server in self.servers.values():
            server.reset()
            await server.http.resume_listening()

    def urls(self) -> dict[str, str | None]:
        return {
            "primary": self.servers["primary"].url if "primary" in self.servers else None,
            "reserve": self.servers["reserve"].url if "reserve" in self.servers else None,
        }

    async def _sweep_forever(self) -> None:
        while True:
            await asyncio.sleep(SWEEP_INTERVAL_SECONDS)
            self.service.sweep(self.clock.now(), SWEEP_BUDGET)


class AtsServer:
    """One listening server (primary or reserve) with its own faults and journal."""

    def __init__(self, role: str, world: AtsWorld) -> None:
        from nabat.simulators.ats.control_api import AtsControl

        self.role = role
        self.world = world
        self.http = HttpServer(self.handle, world.config.limits)
        self.faults = FaultSet(ROUTES)
        self.latency = LatencyModel()
        config = world.config
        self.journal = Journal(
            config.journal_size, config.journal_bytes, config.journal_entry_bytes
        )
        self.counters: dict[tuple[str, str, int], int] = {}
        self.control = AtsControl(world, self)

    @property
    def url(self) -> str:
        return f"http://{self.http.host}:{self.http.port}"

    def reset(self) -> None:
        self.faults.clear()
        self.latency = LatencyModel()
        self.journal.clear()
        self.counters.clear()

    # --- the request path ---------------------------------------------------
    def handle(self, request: Request) -> HandlerResult:
        path = request.path
        route = ROUTES.get(path)
        if route is None:
            if path.startswith(CONTROL_PREFIX):
                return self.control.handle(request)
            response = text_response(404, "unknown method\n")
            response.headers.append(("X-Sim-Unknown-Path", "1"))
            return response
        started = time.perf_counter()
        world = self.world
        now = world.clock.now()
        if self.faults:
            fault = self.faults.match(path, now)
            if fault is not None:
                return self._apply_fault(fault, request, started, now)
        name, methods, error_headers = route
        if request.method not in methods:
            response = text_response(405, f"{name} accepts {', '.join(methods)}\n")
            response.headers.append(("Allow", ", ".join(methods)))
            self._account(request, {}, 405, 0, started, now)
            return response
        params: Mapping[str, str] = {}
        try:
            if request.method == "POST":
                params = parse_form(request.headers.get("content-type"), request.body)
            result = self._dispatch(name, params, request.client_ip, now)
        except FormError as error:
            result = ApiResult(
                400, ErrorBit.EXCEPTION, 0, f"{error}\n".encode(), "text/plain; charset=utf-8"
            )
        headers: list[tuple[str, str]] = []
        if error_headers:
            dbg = params.get("dbg", "")
            headers = encode_error_headers(
                result.error_bits,
                result.warning_bits,
                bool(dbg) and dbg != "0",
                world.profile,
                SIM_MESSAGES,
            )
        if result.content_type is not None:
            headers.append(("Content-Type", result.content_type))
        response = Response(result.status, headers, result.body)
        self._account(request, params, result.status, result.error_bits, started, now)
        if self.latency.active:
            return self._delayed(response, self.latency.sample())
        return response

    def _dispatch(
        self, name: str, params: Mapping[str, str], client_ip: str, now: float
    ) -> ApiResult:
        service = self.world.service
        if name == "CheckCall":
            return service.check_call(params, client_ip, now)
        if name == "RegisterCall":
            return service.register_call(params, client_ip, now)
        if name == "call":
            return service.call(params, client_ip, now)
        if name == "callUpdate":
            return service.call_update(params, client_ip, now)
        if name == "numberInfo":
            return service.number_info(params)
        if name == "help":
            return service.help()
        return ApiResult(200)  # ping

    def _account(
        self,
        request: Request,
        params: Mapping[str, str],
        status: int,
        bits: int,
        started: float,
        now: float,
    ) -> None:
        key = (request.method, request.path, status)
        counters = self.counters
        counters[key] = counters.get(key, 0) + 1
        self.journal.append(
            (
                now,
                request.client_ip,
                request.method,
                request.path,
                params,
                status,
                bits,
                (time.perf_counter() - started) * 1000.0,
            )
        )

    async def _delayed(self, response: Response, delay: float) -> Action:
        await asyncio.sleep(delay)
        return response

    # --- faults -------------------------------------------------------------
    def _apply_fault(
        self, fault: Fault, request: Request, started: float, now: float
    ) -> HandlerResult:
        kind = fault.kind
        if kind == "status":
            self._account(request, {}, fault.status, 0, started, now)
            return text_response(fault.status, "simulated fault\n")
        if kind == "redirect":
            self._account(request, {}, 307, 0, started, now)
            target = self._other_server() or self
            return Response(307, [("Location", target.url + request.path)], b"")
        if kind == "error_bits":
            self._account(request, {}, 400, fault.bits, started, now)
            headers = encode_error_headers(fault.bits, 0, False, self.world.profile, SIM_MESSAGES)
            return Response(400, headers)
        self._account(request, {}, 0, 0, started, now)
        return connection_fault(fault)

    def _other_server(self) -> AtsServer | None:
        for role, server in self.world.servers.items():
            if role != self.role:
                return server
        return None
