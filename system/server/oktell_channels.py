"""The Oktell channels the server drives: one ``OktellLine`` per enabled Oktell channel with a URL.

How it works: like ``gsm_channels.GsmChannels``. ``OktellChannels`` reads the
channel rows from the store and reconciles the running drivers with them.
An Oktell channel (ctype 3) that is enabled and whose settings text names a
``url`` (``url=http://127.0.0.1:4055;line=16038;password=abc;script=notify``;
keys in docs/oktell-channel.md) gets an ``OktellLine`` built by
``channelconfig.oktell_line_settings`` (named ``oktell<num>``) and started:
it probes its line at the PBX and shows the line's real state (IDLE, BUSY
while a call or an incoming call is on it, FAULT when the PBX cannot be
reached, refuses the password or has no such line). Lines whose settings
agree on the PBX (URL, password, TLS, timeouts) share one ``OktellPbx``
client, and with it the uploaded audio. Settings that do not parse leave the
channel without a driver and FAULT (a warning is logged, never the
settings: they hold the password).

The server calls ``start`` once it listens, ``sync(num)`` after each
SETCHANINFO and ``stop`` at shutdown. What others read: ``states()``,
``lines()`` (the running drivers by channel number, for the engine's voice
pool) and ``subscribe(listener)`` (called whenever that set changes).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass

import httpx
from nabat.system.channels.base import ChannelStatus
from nabat.system.channels.clock import Clock
from nabat.system.channels.oktell import OktellLine, OktellLineSettings, OktellPbx
from nabat.system.protocol import ChannelState, ChannelType
from nabat.system.server.channelconfig import oktell_line_settings
from nabat.system.speech.synthesiser import Synthesiser
from nabat.system.store import Store
from nabat.system.store.channels import StoredChannel
from nabat.system.store.errors import NotFound

log = logging.getLogger("nabat.server.oktell")


def driver_name(num: int) -> str:
    return f"oktell{num}"


@dataclass(frozen=True, slots=True)
class _Wanted:
    settings: OktellLineSettings | None = None
    problem: str | None = None


def _wanted(channel: StoredChannel) -> _Wanted:
    if channel.ctype is not ChannelType.OKTELL or not channel.enabled:
        return _Wanted()
    try:
        return _Wanted(settings=oktell_line_settings(channel.settings, driver_name(channel.num)))
    except ValueError as exc:
        return _Wanted(problem=str(exc))


class OktellChannels:
    def __init__(
        self,
        store: Store,
        *,
        clock: Clock | None = None,
        synthesiser: Synthesiser | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._store = store
        self._clock = clock
        self._synthesiser = synthesiser
        self._transport = transport
        self._lines: dict[int, OktellLine] = {}
        self._pbxes: dict[tuple[object, ...], OktellPbx] = {}
        self._faulty: dict[int, str] = {}
        self._listeners: list[Callable[[], None]] = []
        self._lock = asyncio.Lock()
        self._running = False

    # --- what others read -------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._running

    def lines(self) -> dict[int, OktellLine]:
        """The running drivers by channel number."""
        return dict(self._lines)

    def statuses(self) -> dict[int, ChannelStatus]:
        return {num: line.status() for num, line in self._lines.items()}

    def states(self) -> dict[int, ChannelState]:
        """The GETCHANNELS state of every driven channel (bad settings: FAULT)."""
        states = {num: ChannelState.FAULT for num in self._faulty}
        states.update((num, status.protocol_state) for num, status in self.statuses().items())
        return states

    def subscribe(self, listener: Callable[[], None]) -> Callable[[], None]:
        self._listeners.append(listener)

        def cancel() -> None:
            with contextlib.suppress(ValueError):
                self._listeners.remove(listener)

        return cancel

    # --- life -------------------------------------------------------------------------
    async def start(self) -> None:
        async with self._lock:
            self._running = True
            rows = await asyncio.to_thread(self._store.channels.all)
            await self._reconcile(rows, {row.num for row in rows} | set(self._lines))

    async def sync(self, num: int) -> None:
        async with self._lock:
            if not self._running:
                return
            try:
                rows = [await asyncio.to_thread(self._store.channels.get, num)]
            except NotFound:
                rows = []
            await self._reconcile(rows, {num})

    async def stop(self) -> None:
        async with self._lock:
            self._running = False
            lines, self._lines = self._lines, {}
            self._faulty.clear()
            await self._stop_all(list(lines.values()))
            await self._close_unused()
            if lines:
                self._changed()

    async def _reconcile(self, rows: list[StoredChannel], nums: set[int]) -> None:
        by_num = {row.num: row for row in rows}
        stopping: list[OktellLine] = []
        starting: list[OktellLine] = []
        for num in sorted(nums):
            row = by_num.get(num)
            want = _wanted(row) if row is not None else _Wanted()
            self._note_problem(num, want.problem)
            current = self._lines.get(num)
            if current is not None and current.settings == want.settings:
                continue
            if current is not None:
                stopping.append(self._lines.pop(num))
            if want.settings is not None:
                line = self._make(want.settings)
                self._lines[num] = line
                starting.append(line)
        await self._stop_all(stopping)
        await self._close_unused()
        for line in starting:
            log.info("channel %s: driving Oktell line %s", line.name, line.settings.line)
            await line.start()
        if stopping or starting:
            self._changed()

    def _make(self, settings: OktellLineSettings) -> OktellLine:
        key = settings.pbx_key()
        pbx = self._pbxes.get(key)
        if pbx is None:
            pbx = self._pbxes[key] = OktellPbx(settings, transport=self._transport)
        return OktellLine(settings, pbx, clock=self._clock, synthesiser=self._synthesiser)

    async def _close_unused(self) -> None:
        used = {line.settings.pbx_key() for line in self._lines.values()}
        for key in [key for key in self._pbxes if key not in used]:
            await self._pbxes.pop(key).aclose()

    def _note_problem(self, num: int, problem: str | None) -> None:
        if problem is None:
            self._faulty.pop(num, None)
        elif self._faulty.get(num) != problem:
            self._faulty[num] = problem
            log.warning("channel %d: not driven, its stored settings are not valid Oktell line "
                        "settings (fix them with SETCHANINFO)", num)  # fmt: skip

    async def _stop_all(self, lines: list[OktellLine]) -> None:
        results = await asyncio.gather(*(line.stop() for line in lines), return_exceptions=True)
        for line, result in zip(lines, results, strict=True):
            if isinstance(result, Exception):
                log.warning("channel %s: the driver did not stop cleanly: %s", line.name, result)

    def _changed(self) -> None:
        for listener in list(self._listeners):
            try:
                listener()
            except Exception:
                log.exception("an Oktell channel listener failed")
