"""HTTP and HTTPS face of the MFMS HPG simulator.

``MfmsSimulator`` owns the simulated clock, the world runtime, the shared
delivery model (simulators/sms_platform/delivery.py), the platform logic
(``MfmsService``) and two ``HttpServer`` listeners on the same handler: HTTP
on ``port`` and HTTPS on ``tls_port`` (certificate from files or minted with
trustme, simulators/mfms/tls.py). ``handle`` is the request path: ``/__sim/``
-> the control API (never faulted); ``/<client>/<connector>/send|status`` ->
active fault? -> method (GET as the spec says, POST with a form body as an
extension; others 405) -> query (and body) decoding -> the service -> counters
and the request journal (a summary: never the password) -> optional latency.
Any other path is 404. The URL limit (``max_url_bytes``) is the server's: a
longer request target is answered 414 before the rest is read.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path

from nabat.simulators.control.clock import SimClock
from nabat.simulators.control.faults import Fault, FaultSet, LatencyModel
from nabat.simulators.control.journal import Journal
from nabat.simulators.http.fault_actions import connection_fault
from nabat.simulators.http.messages import (
    Action,
    HandlerResult,
    Request,
    Response,
    text_response,
)
from nabat.simulators.http.server import HttpServer
from nabat.simulators.mfms.config import MfmsConfig
from nabat.simulators.mfms.query import QueryError, decode_pairs
from nabat.simulators.mfms.service import CONTENT_TYPE, HpgAnswer, MfmsService
from nabat.simulators.mfms.tls import server_context
from nabat.simulators.sms_platform.delivery import SmsDelivery
from nabat.simulators.world import World, WorldRuntime, default_world
from nabat.system.wire.hpg import ResponseCode

CONTROL_PREFIX = "/__sim/"
OPERATIONS = ("send", "status")
ALLOWED_METHODS = "GET, POST"
THROTTLE_STATUSES = frozenset({429, 503})
RETRY_AFTER_SECONDS = "1"


class MfmsSimulator:
    def __init__(
        self, config: MfmsConfig, clock: SimClock | None = None, world: World | None = None
    ) -> None:
        from nabat.simulators.mfms.control_api import MfmsControl

        self.config = config
        self.clock = clock or SimClock()
        self.runtime = WorldRuntime(world if world is not None else default_world(), self.clock)
        self.delivery = SmsDelivery(
            self.runtime, max_messages=config.max_messages, queue_seconds=config.queue_seconds
        )
        self.service = self._new_service()
        limits = config.http_limits()
        self.http = HttpServer(self.handle, limits)
        self.https: HttpServer | None = None
        if config.tls_port is not None:
            self.https = HttpServer(self.handle, limits)
        self.faults = FaultSet(OPERATIONS)
        self.latency = LatencyModel()
        self.journal = Journal(
            config.journal_size, config.journal_bytes, config.journal_entry_bytes
        )
        self.counters: dict[tuple[str, str, int], int] = {}
        self.ca_file: Path | None = None
        self._ca_folder: tempfile.TemporaryDirectory[str] | None = None
        self.control = MfmsControl(self)

    def _new_service(self) -> MfmsService:
        config = self.config
        return MfmsService(
            self.delivery,
            config.connectors,
            blocked=config.blocked,
            error_profile=config.error_profile,
        )

    # --- life cycle -----------------------------------------------------------
    async def start(self) -> None:
        config = self.config
        await self.http.start(config.host, config.port)
        if self.https is not None and config.tls_port is not None:
            folder = config.ca_dir
            if folder is None and config.cert_file is None:
                self._ca_folder = tempfile.TemporaryDirectory(prefix="nabat-mfms-")
                folder = Path(self._ca_folder.name)
            context, self.ca_file = server_context(
                config.cert_file, config.key_file, folder or Path(".")
            )
            await self.https.start(config.host, config.tls_port, tls=context)

    async def close(self) -> None:
        await self.http.close()
        if self.https is not None:
            await self.https.close()
        if self._ca_folder is not None:
            self._ca_folder.cleanup()
            self._ca_folder = None

    def reset(self) -> None:
        """Forget messages, faults, counters and the journal; connectors and the
        error profile return to the configuration; providerIds keep counting."""
        self.clock.reset()
        self.delivery.reset()
        self.runtime.reset()
        self.service = self._new_service()
        self.faults.clear()
        self.latency = LatencyModel()
        self.journal.clear()
        self.counters.clear()

    def urls(self) -> dict[str, str | None]:
        host = self.http.host
        shown = f"[{host}]" if ":" in host else host
        return {
            "http": f"http://{shown}:{self.http.port}",
            "https": f"https://{shown}:{self.https.port}" if self.https is not None else None,
            "ca_file": str(self.ca_file) if self.ca_file is not None else None,
        }

    # --- the request path -----------------------------------------------------
    def handle(self, request: Request) -> HandlerResult:
        path = request.path
        if path.startswith(CONTROL_PREFIX):
            return self.control.handle(request)
        parts = path.split("/")
        if len(parts) != 4 or parts[0] or parts[3] not in OPERATIONS:
            return text_response(404, "no such path: use /<client>/<connector>/send or /status\n")
        started = time.perf_counter()
        now = self.clock.now()
        operation = parts[3]
        if self.faults:
            fault = self.faults.match(operation, now)
            if fault is not None:
                return self._apply_fault(fault, request, started, now)
        method = request.method
        if method != "GET" and method != "POST":
            response = text_response(405, f"{operation} accepts {ALLOWED_METHODS}\n")
            response.headers.append(("Allow", ALLOWED_METHODS))
            self._account(request, 405, "", 0, started, now)
            return response
        answer = self._answer(request, f"{parts[1]}/{parts[2]}", operation)
        response = Response(answer.status, [("Content-Type", CONTENT_TYPE)], answer.text.encode())
        self._account(request, answer.status, answer.code.value, answer.accepted, started, now)
        if self.latency.active:
            return self._delayed(response, self.latency.sample())
        return response

    def _answer(self, request: Request, key: str, operation: str) -> HpgAnswer:
        try:
            pairs = decode_pairs(request.query)
            if request.method == "POST" and request.body:
                media = request.headers.get("content-type", "application/x-www-form-urlencoded")
                if media.split(";", 1)[0].strip().lower() != "application/x-www-form-urlencoded":
                    return self.service.request_error(ResponseCode.ERROR_SYNTAX)
                pairs += decode_pairs(request.body.decode("latin-1"))
        except QueryError:
            return self.service.request_error(ResponseCode.ERROR_SYNTAX)
        if operation == "send":
            return self.service.send(key, pairs)
        return self.service.status(key, pairs)

    def _account(
        self, request: Request, status: int, code: str, accepted: int, started: float, now: float
    ) -> None:
        key = (request.method, request.path.rsplit("/", 1)[-1], status)
        self.counters[key] = self.counters.get(key, 0) + 1
        self.journal.append(
            (
                now,
                request.client_ip,
                request.method,
                request.path,
                {"code": code, "accepted": str(accepted)},
                status,
                0,
                (time.perf_counter() - started) * 1000.0,
            )
        )

    async def _delayed(self, response: Response, delay: float) -> Action:
        await asyncio.sleep(delay)
        return response

    def _apply_fault(
        self, fault: Fault, request: Request, started: float, now: float
    ) -> HandlerResult:
        kind = fault.kind
        if kind == "status":
            self._account(request, fault.status, "", 0, started, now)
            response = text_response(fault.status, f"simulated fault {fault.status}\n")
            if fault.status in THROTTLE_STATUSES:
                response.headers.append(("Retry-After", RETRY_AFTER_SECONDS))
            return response
        self._account(request, 0, "", 0, started, now)
        return connection_fault(fault)
