"""The web console of ``nabat up``: an aiohttp app on loopback behind a random token.

How it works: ``start_console(stack, host, port)`` runs the app on its own
event loop in a daemon thread and returns a ``ConsoleHandle`` (``url`` with
the token, ``stop()``); it sets ``stack.console_url``. Every request must
carry the token (``X-Nabat-Token`` header, or ``?token=`` for the page and
its two files, which the browser loads by URL): without it, 403. The page
(static/index.html, console.js, console.css: no build step) keeps the token
and sends it in the header.

- ``GET /api/events``: server-sent events, one ``state`` event per
  ``interval`` (0.5 s) and at once after an action. One collector builds the
  snapshot (state.py) while any stream is open and every stream sends the
  newest one: a stream whose peer leaves more than ``stream_buffer_bytes``
  unread for an interval, or whose write waits ``write_timeout``, is dropped (counted in the
  snapshot's ``console.dropped_streams``, and logged); at most
  ``max_streams`` streams (503 beyond).
- ``GET /api/state``: the newest snapshot; ``GET /api/journal``: a journal
  with filters (journals.py); ``POST /api/action``: a fault toggle or a
  scripted event (actions.py): bad input is a 400 naming the field.
- Limits: bodies of ``max_body_bytes`` (413 beyond), request lines and
  headers of ``max_line_bytes``, and the connection guard (guard.py) for
  slow, flooding and never-reading clients.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import ipaddress
import json
import logging
import secrets
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib import resources
from typing import Any

from aiohttp import web
from nabat.simulators.console.actions import ActionError, parse_action, run_action
from nabat.simulators.console.guard import ConnectionGuard, ConsoleLimits, GuardedProtocol
from nabat.simulators.console.journals import JournalQuery, fetch_journal
from nabat.simulators.console.stack_view import ConsoleStack
from nabat.simulators.console.state import AdminSession, collect_simulators
from nabat.simulators.control.client import ControlApiError
from nabat.simulators.control.running import LoopThread

LOG = logging.getLogger(__name__)
DEFAULT_PORT = 8800
TOKEN_HEADER = "X-Nabat-Token"
INTERVAL = 0.5
MAX_SNAPSHOT_BYTES = 512 * 1024
STATIC = {
    "/": ("index.html", "text/html"),
    "/console.js": ("console.js", "text/javascript"),
    "/console.css": ("console.css", "text/css"),
}
SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'self'; style-src 'self'; script-src 'self'",
}


def _static(name: str) -> str:
    return resources.files("nabat.simulators.console").joinpath("static", name).read_text("utf-8")


def _error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


class Console:
    """The app's state: the stack, the token, the newest snapshot and its streams."""

    def __init__(self, stack: ConsoleStack, limits: ConsoleLimits, interval: float) -> None:
        self.stack = stack
        self.limits = limits
        self.interval = interval
        self.token = secrets.token_urlsafe(24)
        self.guard = ConnectionGuard(limits)
        self.admin = AdminSession(stack)
        self.executor = ThreadPoolExecutor(max_workers=4, thread_name_prefix="nabat-console")
        self.snapshot = b"{}"
        self.seq = 0
        self.streams = 0
        self.dropped_streams = 0  # live views dropped for not reading (slow or gone)
        self._changed = asyncio.Event()
        self._wake = asyncio.Event()
        self._collect_lock = asyncio.Lock()

    # --- snapshots -----------------------------------------------------------------
    async def blocking(self, function: Callable[..., Any], *args: object) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self.executor, function, *args)

    async def collect(self) -> None:
        async with self._collect_lock:
            simulators, server = await asyncio.gather(
                self.blocking(collect_simulators, self.stack), self.admin.read()
            )
            self.seq += 1
            numbers: dict[str, list[int]] = {}
            with contextlib.suppress(Exception):
                numbers = self.stack.channel_numbers()
            snapshot = {"seq": self.seq, "time": time.time(), "simulators": simulators,
                        "server": server, "channel_numbers": numbers,
                        "console": {"streams": self.streams,
                                    "dropped_streams": self.dropped_streams}}  # fmt: skip
            encoded = json.dumps(snapshot, default=str).encode()
            if len(encoded) > MAX_SNAPSHOT_BYTES:
                encoded = json.dumps({"seq": self.seq, "error": "snapshot too large"}).encode()
            self.snapshot = encoded
            self._changed.set()
            self._changed = asyncio.Event()

    async def collector(self) -> None:
        while True:
            if self.streams > 0:
                with contextlib.suppress(Exception):
                    await self.collect()
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.interval)

    def refresh(self) -> None:
        """Collect now (after an action), not at the next tick."""
        self._wake.set()

    async def changed(self, timeout: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._changed.wait(), timeout)

    async def sweeper(self) -> None:
        while True:
            await asyncio.sleep(0.5)
            self.guard.sweep(self.guard.clock())

    # --- the app -------------------------------------------------------------------
    def authorised(self, request: web.Request) -> bool:
        given = request.headers.get(TOKEN_HEADER) or request.query.get("token") or ""
        return hmac.compare_digest(given.encode(), self.token.encode())

    def make_app(self) -> web.Application:
        app = web.Application(client_max_size=self.limits.max_body_bytes,
                              middlewares=[self.middleware])  # fmt: skip
        app.router.add_get("/", self.page)
        app.router.add_get("/console.js", self.page)
        app.router.add_get("/console.css", self.page)
        app.router.add_get("/api/state", self.state)
        app.router.add_get("/api/events", self.events)
        app.router.add_get("/api/journal", self.journal)
        app.router.add_post("/api/action", self.action)
        return app

    @web.middleware
    async def middleware(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        transport = request.transport
        self.guard.begin(transport)
        try:
            if not self.authorised(request):
                response: web.StreamResponse = _error(403, "a valid console token is required")
            else:
                response = await handler(request)
            if not response.prepared:
                response.headers.update(SECURITY_HEADERS)
            return response
        finally:
            self.guard.end(transport)

    async def page(self, request: web.Request) -> web.Response:
        name, content_type = STATIC[request.path]
        text = _static(name).replace("__TOKEN__", self.token)
        return web.Response(text=text, content_type=content_type, charset="utf-8")

    async def state(self, request: web.Request) -> web.Response:
        if self.seq == 0:
            await self.collect()
        return web.Response(body=self.snapshot, content_type="application/json")

    async def events(self, request: web.Request) -> web.StreamResponse:
        if self.streams >= self.limits.max_streams:
            return _error(503, f"at most {self.limits.max_streams} live views at once")
        self.guard.streaming(request.transport)
        response = web.StreamResponse(
            headers={"Content-Type": "text/event-stream", **SECURITY_HEADERS}
        )
        await response.prepare(request)
        self.streams += 1
        self.refresh()
        try:
            await self._stream(request, response)
        finally:
            self.streams -= 1
        return response

    async def _stream(self, request: web.Request, response: web.StreamResponse) -> None:
        seen = 0  # seq 0: nothing collected yet
        while True:
            if self.seq == seen:
                await self.changed(self.interval * 4)
            transport = request.transport
            if transport is None or transport.is_closing():
                return
            if self.seq == seen:
                data = b": idle\n\n"
            else:
                seen = self.seq
                data = b"event: state\ndata: " + self.snapshot + b"\n\n"
            try:
                dropped_for = await self._write(transport, response, data)
            except ConnectionError:
                transport.abort()
                return
            if dropped_for is not None:
                self._drop(transport, dropped_for)
                return

    async def _write(
        self, transport: asyncio.Transport, response: web.StreamResponse, data: bytes
    ) -> str | None:
        """Write one event; why the peer must be dropped, or None once it is sent.

        A write waits while the transport is paused (its peer not reading); it is
        watched every ``interval``: past one interval with more than
        ``stream_buffer_bytes`` unsent, or past ``write_timeout`` in all, the peer goes.
        """
        loop = asyncio.get_running_loop()
        began = loop.time()
        writing = asyncio.ensure_future(response.write(data))
        try:
            while True:
                done, _ = await asyncio.wait({writing}, timeout=self.interval)
                if done:
                    writing.result()  # a ConnectionError: the peer left
                    return None
                waited = loop.time() - began
                unsent = transport.get_write_buffer_size()
                if unsent > self.limits.stream_buffer_bytes:
                    return f"{unsent} bytes unread after {waited:.1f} s"
                if waited >= self.limits.write_timeout:
                    return f"a write waited {self.limits.write_timeout:g} s"
        finally:
            writing.cancel()  # done: no effect; else the transport is aborted next

    def _drop(self, transport: asyncio.Transport, reason: str) -> None:
        transport.abort()
        self.dropped_streams += 1
        LOG.info("console: live view of %s dropped: %s",
                 transport.get_extra_info("peername"), reason)  # fmt: skip

    async def journal(self, request: web.Request) -> web.Response:
        try:
            query = JournalQuery.parse(request.query)
            entries = await self.blocking(fetch_journal, self.stack, query)
        except ActionError as error:
            return _error(400, str(error))
        except ControlApiError as error:
            return _error(502, f"the simulator refused: {error}")
        return web.json_response({"entries": entries}, dumps=lambda v: json.dumps(v, default=str))

    async def action(self, request: web.Request) -> web.Response:
        try:
            body = json.loads(await request.read())
        except (ValueError, UnicodeDecodeError) as error:
            return _error(400, f"the body must be JSON: {error}")
        try:
            action, fields = parse_action(body)
            result = await self.blocking(run_action, self.stack, action, fields)
        except ActionError as error:
            return _error(400, str(error))
        except ControlApiError as error:
            status = 400 if error.status == 400 else 502
            return _error(status, f"the simulator refused: {error}")
        self.refresh()
        return web.json_response({"ok": True, "result": result},
                                 dumps=lambda v: json.dumps(v, default=str))  # fmt: skip


@dataclass
class ConsoleHandle:
    url: str  # http://127.0.0.1:PORT/?token=...
    host: str
    port: int
    token: str
    _stop: Callable[[], None]

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def stop(self) -> None:
        """Stop the console (idempotent)."""
        self._stop()


def start_console(
    stack: ConsoleStack,
    host: str = "127.0.0.1",
    port: int = DEFAULT_PORT,
    *,
    limits: ConsoleLimits | None = None,
    interval: float = INTERVAL,
) -> ConsoleHandle:
    """Serve the console for ``stack`` on ``host:port`` (loopback only; 0: a free port)."""
    if not ipaddress.ip_address(host).is_loopback:
        raise ValueError(f"the console listens on loopback only, not {host}")
    thread = LoopThread("nabat-console")
    thread.start()
    holder: dict[str, Any] = {}

    async def start() -> int:
        console = Console(stack, limits or ConsoleLimits(), interval)
        runner = web.AppRunner(console.make_app(), handle_signals=False, access_log=None,
                               max_line_size=console.limits.max_line_bytes,
                               max_field_size=console.limits.max_line_bytes)  # fmt: skip
        await runner.setup()
        loop = asyncio.get_running_loop()
        made = runner.server
        assert made is not None
        server = await loop.create_server(
            lambda: GuardedProtocol(made(), console.guard), host, port, reuse_address=True
        )
        tasks = [loop.create_task(console.collector()), loop.create_task(console.sweeper())]
        holder.update(console=console, runner=runner, server=server, tasks=tasks)
        return int(server.sockets[0].getsockname()[1])

    async def stop() -> None:
        for task in holder["tasks"]:
            task.cancel()
        holder["server"].close()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(holder["runner"].cleanup(), 5)
        await holder["console"].admin.close()
        holder["console"].executor.shutdown(wait=False, cancel_futures=True)

    try:
        bound = thread.run(start(), timeout=30)
    except BaseException:
        thread.stop()
        raise
    stopped = False

    def stop_all() -> None:
        nonlocal stopped
        if stopped:
            return
        stopped = True
        with contextlib.suppress(Exception):
            thread.run(stop(), timeout=10)
        thread.stop()

    token = holder["console"].token
    url = f"http://{host}:{bound}/?token={token}"
    stack.console_url = url
    return ConsoleHandle(url, host, bound, token, stop_all)
