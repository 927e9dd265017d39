"""The GSM channels the server drives: one ``GsmModem`` per enabled GSM channel with a port.

How it works: ``GsmChannels`` reads the channel rows from the store and
reconciles the running drivers with them. A GSM channel that is enabled and
whose settings text names a ``port`` (``port=/dev/ttyUSB0;pin=1234``, a
pseudo-terminal path, ``nabatgsm://modem0`` of the simulator) gets a
``GsmModem`` built by ``channelconfig.gsm_modem_settings`` (named
``gsm<num>``) and started; the driver opens the port, initialises the
modem, checks its health and reopens it with backoff on its own, so a
modem that cannot be opened is FAULT and retried, never an error of the
server. A driver whose channel was switched off, removed or given other
settings is stopped (and one for the new settings started).

The server calls ``start`` once it listens, ``sync(num)`` after each
SETCHANINFO and ``stop`` at shutdown (every driver stopped; ``sync`` after
``stop`` does nothing). One lock orders the reconciliations, and each reads
the store under it, so the settings stored last always win. Settings that
no longer parse (stored before they were checked) leave the channel
without a driver and FAULT, with a warning in the log (never the settings
themselves: they may hold a PIN).

What others read: ``states()`` (channel number -> the GETCHANNELS state of
every driven channel: the driver's ``status().protocol_state``),
``working()`` (drivers IDLE or BUSY: the in-process engine's
``available_gsm_modems`` adds them), ``modems()`` (the running drivers by
channel number, for the engine to put in a ``ChannelPool``) and
``subscribe(listener)`` (called whenever that set changes, so an engine can
rebuild its pool).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass

from nabat.system.channels.base import ChannelStatus
from nabat.system.channels.clock import Clock
from nabat.system.channels.gsm import GsmModem, GsmModemSettings
from nabat.system.channels.gsm.link import Opener, open_serial
from nabat.system.protocol import ChannelState, ChannelType
from nabat.system.server.channelconfig import gsm_modem_settings
from nabat.system.store import Store
from nabat.system.store.channels import StoredChannel
from nabat.system.store.errors import NotFound

log = logging.getLogger("nabat.server.gsm")

_WORKING = frozenset({ChannelState.IDLE, ChannelState.BUSY})


def driver_name(num: int) -> str:
    return f"gsm{num}"


@dataclass(frozen=True, slots=True)
class _Wanted:
    """What one channel row asks for: a driver with these settings, a fault, or nothing."""

    settings: GsmModemSettings | None = None
    problem: str | None = None  # stored settings that do not parse


def _wanted(channel: StoredChannel) -> _Wanted:
    if channel.ctype is not ChannelType.GSM or not channel.enabled:
        return _Wanted()
    try:
        return _Wanted(settings=gsm_modem_settings(channel.settings, driver_name(channel.num)))
    except ValueError as exc:
        return _Wanted(problem=str(exc))


class GsmChannels:
    def __init__(
        self, store: Store, *, clock: Clock | None = None, opener: Opener = open_serial
    ) -> None:
        self._store = store
        self._clock = clock
        self._opener = opener
        self._modems: dict[int, GsmModem] = {}
        self._faulty: dict[int, str] = {}  # channel number -> why its settings do not parse
        self._listeners: list[Callable[[], None]] = []
        self._lock = asyncio.Lock()
        self._running = False

    # --- what others read -------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._running

    def modems(self) -> dict[int, GsmModem]:
        """The running drivers by channel number."""
        return dict(self._modems)

    def statuses(self) -> dict[int, ChannelStatus]:
        return {num: modem.status() for num, modem in self._modems.items()}

    def states(self) -> dict[int, ChannelState]:
        """The GETCHANNELS state of every driven channel (bad settings: FAULT)."""
        states = {num: ChannelState.FAULT for num in self._faulty}
        states.update((num, status.protocol_state) for num, status in self.statuses().items())
        return states

    def working(self) -> int:
        """Drivers whose modem works (IDLE or BUSY)."""
        return sum(1 for state in self.states().values() if state in _WORKING)

    def subscribe(self, listener: Callable[[], None]) -> Callable[[], None]:
        """Call ``listener()`` whenever drivers are started or stopped; returns the cancel."""
        self._listeners.append(listener)

        def cancel() -> None:
            with contextlib.suppress(ValueError):
                self._listeners.remove(listener)

        return cancel

    # --- life -------------------------------------------------------------------------
    async def start(self) -> None:
        """Start a driver for every channel that wants one."""
        async with self._lock:
            self._running = True
            rows = await asyncio.to_thread(self._store.channels.all)
            await self._reconcile(rows, {row.num for row in rows} | set(self._modems))

    async def sync(self, num: int) -> None:
        """After channel ``num`` changed in the store: start, restart or stop its driver."""
        async with self._lock:
            if not self._running:
                return
            try:
                rows = [await asyncio.to_thread(self._store.channels.get, num)]
            except NotFound:
                rows = []
            await self._reconcile(rows, {num})

    async def stop(self) -> None:
        """Stop every driver (idempotent)."""
        async with self._lock:
            self._running = False
            modems, self._modems = self._modems, {}
            self._faulty.clear()
            await self._stop_all(list(modems.values()))
            if modems:
                self._changed()

    async def _reconcile(self, rows: list[StoredChannel], nums: set[int]) -> None:
        by_num = {row.num: row for row in rows}
        stopping: list[GsmModem] = []
        starting: list[GsmModem] = []
        for num in sorted(nums):
            row = by_num.get(num)
            want = _wanted(row) if row is not None else _Wanted()
            self._note_problem(num, want.problem)
            current = self._modems.get(num)
            if current is not None and current.settings == want.settings:
                continue
            if current is not None:
                stopping.append(self._modems.pop(num))
            if want.settings is not None:
                modem = self._make(want.settings)
                self._modems[num] = modem
                starting.append(modem)
        await self._stop_all(stopping)
        for modem in starting:
            log.info("channel %s: driving the modem on %s", modem.name, modem.settings.port)
            await modem.start()
        if stopping or starting:
            self._changed()

    def _make(self, settings: GsmModemSettings) -> GsmModem:
        if self._clock is None:
            return GsmModem(settings, opener=self._opener)
        return GsmModem(settings, clock=self._clock, opener=self._opener)

    def _note_problem(self, num: int, problem: str | None) -> None:
        if problem is None:
            self._faulty.pop(num, None)
        elif self._faulty.get(num) != problem:
            self._faulty[num] = problem
            # the reason may quote a value, and settings may hold credentials: not logged
            log.warning("channel %d: not driven, its stored settings are not valid GSM modem "
                        "settings (fix them with SETCHANINFO)", num)  # fmt: skip

    async def _stop_all(self, modems: list[GsmModem]) -> None:
        for modem in modems:
            log.info("channel %s: stopping the modem driver", modem.name)
        results = await asyncio.gather(*(modem.stop() for modem in modems), return_exceptions=True)
        for modem, result in zip(modems, results, strict=True):
            if isinstance(result, Exception):
                log.warning("channel %s: the driver did not stop cleanly: %s", modem.name, result)

    def _changed(self) -> None:
        for listener in list(self._listeners):
            try:
                listener()
            except Exception:
                log.exception("a GSM channel listener failed")
