"""HTTP face of the Oktell PBX simulator: the server HTTP interface on port 4055.

``OktellSimulator`` owns the clock, the world runtime, the PBX state
(pbx.py), an ``HttpServer`` (simulators/http/server.py) and the control API.
``handle`` is the request path:

1. ``/__sim/...`` -> the control API (never faulted, never password-checked);
2. an active fault (simulators/control/faults.py; paths are command names);
3. the password (``--password``, Oktell's QueryWebServerPassword): without
   ``password=PW`` among the query or form parameters, or HTTP Basic
   credentials whose password is PW (any user name), the answer is
   ``403 Forbidden`` — before anything else, unknown commands included;
4. the method: GET, POST (and HEAD); others 405;
5. parameters: the query, then a form body (urlencoded or multipart text
   fields; form wins), names lower-cased; a malformed one is 400;
6. the command: the first path segment, case-insensitive (Oktell's command
   names are matched so); unknown -> ``404 Not Found`` with a short text;
7. the handler (command_table.COMMANDS); ``OktellError`` -> its status with
   the text as text/plain; anything unexpected -> 500, logged.

Every request lands in the request journal (without the password).
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import hmac
import inspect
import logging
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import unquote

from nabat.simulators.control.clock import SimClock
from nabat.simulators.control.faults import Fault, FaultSet, LatencyModel
from nabat.simulators.control.journal import Journal
from nabat.simulators.control.scheduler import Scheduler
from nabat.simulators.http.fault_actions import connection_fault
from nabat.simulators.http.forms import FormError, parse_multipart, parse_urlencoded
from nabat.simulators.http.messages import (
    Action,
    HandlerResult,
    Request,
    text_response,
)
from nabat.simulators.http.server import HttpServer
from nabat.simulators.oktell import handlers as _handlers  # noqa: F401  (registers commands)
from nabat.simulators.oktell.command_table import COMMANDS, Handler, OktellError, OktellRequest
from nabat.simulators.oktell.config import OktellConfig
from nabat.simulators.oktell.pbx import OktellPbx
from nabat.simulators.world import World, WorldRuntime, default_world
from nabat.simulators.world.antifraud import AntiFraudLink
from nabat.system.runtime.tasks import cancel_and_wait

with contextlib.suppress(ImportError):  # the licence, files and upload commands
    from nabat.simulators.oktell import licence as _licence  # noqa: F401
with contextlib.suppress(ImportError):
    from nabat.simulators.oktell import files as _files  # noqa: F401
with contextlib.suppress(ImportError):
    from nabat.simulators.oktell import uploads as _uploads  # noqa: F401

CONTROL_PREFIX = "/__sim/"
ALLOWED_METHODS = "GET, POST"
SECRET_PARAMS = frozenset({"password"})
_log = logging.getLogger(__name__)


def _licence_from(spec: Mapping[str, object]) -> object:
    try:
        from nabat.simulators.oktell.licence import LicenceInfo
    except ImportError:
        return None
    return LicenceInfo.from_config(dict(spec)) if spec else LicenceInfo.default()


class OktellSimulator:
    def __init__(
        self,
        config: OktellConfig | None = None,
        clock: SimClock | None = None,
        world: World | None = None,
        ats_url: str | None = None,
    ) -> None:
        from nabat.simulators.oktell.control_api import OktellControl

        self.config = config or OktellConfig()
        self.clock = clock or SimClock()
        self.runtime = WorldRuntime(world if world is not None else default_world(), self.clock)
        self.antifraud = AntiFraudLink(self.runtime.world.plan, ats_url, runtime=self.runtime)
        self._files_folder: tempfile.TemporaryDirectory[str] | None = None
        if self.config.files_dir is None:
            self._files_folder = tempfile.TemporaryDirectory(prefix="nabat-oktell-")
            self.files_dir = Path(self._files_folder.name)
        else:
            self.files_dir = self.config.files_dir
        self.pbx = self._new_pbx()
        self.http = HttpServer(self.handle, self.config.http_limits())
        self.faults = FaultSet(COMMANDS)
        self.latency = LatencyModel()
        cfg = self.config
        self.journal = Journal(cfg.journal_size, cfg.journal_bytes, cfg.journal_entry_bytes)
        self.control = OktellControl(self)
        self._scheduler_task: asyncio.Task[None] | None = None

    def _new_pbx(self, scheduler: Scheduler | None = None) -> OktellPbx:
        config = self.config
        return OktellPbx(
            scheduler=scheduler,
            clock=self.clock,
            files_dir=self.files_dir,
            licence=_licence_from(config.licence_spec),
            limits=config.limits,
            runtime=self.runtime,
            directory=config.directory(),
            scripts=config.script_registry(),
            antifraud=self.antifraud,
            record_calls=config.record_calls,
        )

    # --- life cycle -----------------------------------------------------------
    async def start(self) -> None:
        await self.http.start(self.config.host, self.config.port)
        self._scheduler_task = asyncio.get_running_loop().create_task(self.pbx.scheduler.run())
        self.pbx.calls.watch_events()

    async def close(self) -> None:
        await self.http.close()
        await self.pbx.close()
        if self._scheduler_task is not None:
            await cancel_and_wait(self._scheduler_task)
            self._scheduler_task = None
        await self.antifraud.close()
        if self._files_folder is not None:
            self._files_folder.cleanup()
            self._files_folder = None

    def reset(self) -> None:
        """Back to the configuration: directory, calls, faults, journals, clock."""
        self.pbx.reset()
        self.clock.reset()
        self.runtime.reset()
        self.pbx.scheduler.clear()
        self.pbx = self._new_pbx(self.pbx.scheduler)
        self.pbx.calls.watch_events()
        self.faults.clear()
        self.latency = LatencyModel()
        self.journal.clear()

    def url(self) -> str:
        host = self.http.host
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{self.http.port}"

    # --- the request path -----------------------------------------------------
    def handle(self, request: Request) -> HandlerResult:
        if request.path.startswith(CONTROL_PREFIX):
            return self.control.handle(request)
        started = time.perf_counter()
        now = self.clock.now()
        name = unquote(request.path.lstrip("/").split("/", 1)[0]).lower()
        if self.faults:
            fault = self.faults.match(name, now)
            if fault is not None:
                self._account(request, {}, 0, started, now)
                return self._apply_fault(fault)
        try:
            params, content_type = _parameters(request)
        except FormError as error:
            params, content_type = None, ""
            problem = str(error)
        password = self.config.password
        if password is not None and not _authorised(request, params or {}, password):
            self._account(request, params or {}, 403, started, now)
            return text_response(403, "Forbidden\n")
        if request.method not in ("GET", "POST", "HEAD"):
            response = text_response(405, f"the Oktell web server accepts {ALLOWED_METHODS}\n")
            response.headers.append(("Allow", ALLOWED_METHODS))
            self._account(request, params or {}, 405, started, now)
            return response
        if params is None:
            self._account(request, {}, 400, started, now)
            return text_response(400, f"bad parameters: {problem}\n")
        handler = COMMANDS.get(name)
        if handler is None:
            self._account(request, params, 404, started, now)
            return text_response(404, f"Unknown command: {name[:100]}\n")
        rest = request.path.lstrip("/").split("/", 1)
        oktell_request = OktellRequest(
            command=name,
            rest=unquote(rest[1]) if len(rest) > 1 else "",
            params=params,
            method="GET" if request.method == "HEAD" else request.method,
            content_type=content_type,
            headers=request.headers,
            body=request.body,
        )
        return self._run(handler, oktell_request, request, started, now)

    async def _run(
        self,
        handler: Handler,
        oktell_request: OktellRequest,
        request: Request,
        started: float,
        now: float,
    ) -> Action:
        try:
            produced = handler(oktell_request, self.pbx)
            response = await produced if inspect.isawaitable(produced) else produced
        except OktellError as error:
            response = text_response(error.status, f"{error.text}\n")
        except Exception:
            _log.exception("oktell command %s failed", oktell_request.command)
            response = text_response(500, "internal error\n")
        self._account(request, oktell_request.params, response.status, started, now)
        if self.latency.active:
            await asyncio.sleep(self.latency.sample())
        return response

    def _account(
        self, request: Request, params: Mapping[str, str], status: int, started: float, now: float
    ) -> None:
        shown = {k: ("***" if k in SECRET_PARAMS else v) for k, v in params.items()}
        self.journal.append(
            (
                now,
                request.client_ip,
                request.method,
                request.path[:500],
                shown,
                status,
                0,
                (time.perf_counter() - started) * 1000.0,
            )
        )

    def _apply_fault(self, fault: Fault) -> HandlerResult:
        kind = fault.kind
        if kind == "status":
            return text_response(fault.status, f"simulated fault {fault.status}\n")
        return connection_fault(fault)


def _parameters(request: Request) -> tuple[dict[str, str], str]:
    """Query and form parameters (form wins), names lower-cased; the media type."""
    params = {k.lower(): v for k, v in parse_urlencoded(request.query.encode("latin-1")).items()}
    raw_type = request.headers.get("content-type", "")
    media = raw_type.split(";", 1)[0].strip().lower()
    if request.method == "POST" and request.body:
        if media in ("", "application/x-www-form-urlencoded"):
            form = parse_urlencoded(request.body)
        elif media == "multipart/form-data":
            try:
                form = parse_multipart(raw_type, request.body)
            except FormError:
                form = {}  # binary file parts: upload reads the body itself
        else:
            form = {}
        params.update((k.lower(), v) for k, v in form.items())
    return params, media


def _authorised(request: Request, params: Mapping[str, str], password: str) -> bool:
    given_param = params.get("password")
    if given_param is not None and hmac.compare_digest(given_param.encode(), password.encode()):
        return True
    header = request.headers.get("authorization", "")
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic" or len(encoded) > 1024:
        return False
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return False
    _, separator, given = decoded.partition(":")
    return bool(separator) and hmac.compare_digest(given.encode(), password.encode())
