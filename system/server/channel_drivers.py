"""One reconciler of the channel drivers the server runs, for every driven channel type.

How it works: ``ChannelDrivers`` reads the channel rows from the store and
keeps one running driver per channel of its ``ctype`` that is enabled and
whose settings text parses (``parse_settings(text, driver_name(num))``;
None: the settings name nothing to drive).
A driver whose channel was switched off, removed or given other settings is
stopped (and one for the new settings started, built by ``make``). Settings
that no longer parse leave the channel without a driver and FAULT, with a
warning that never quotes them (they may hold a PIN or a password).

The server calls ``start`` once it listens, ``sync(num)`` after each
SETCHANINFO and ``stop`` at shutdown (every driver stopped; ``sync`` after
``stop`` does nothing). One lock orders the reconciliations, and each reads
the store under it, so the settings stored last always win. A subclass
names its type (``ctype``, and the words of its log: ``settings_kind``,
``listener_failed``, ``stopping_note``), builds drivers (``make``), says
what it starts (``describe``) and may release what stopped drivers shared
(``release``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Generic, Protocol, TypeVar

from nabat.system.channels.base import ChannelStatus
from nabat.system.protocol import ChannelState, ChannelType
from nabat.system.store import Store
from nabat.system.store.channels import StoredChannel
from nabat.system.store.errors import NotFound


class ChannelDriver(Protocol):
    """What the reconciler needs of a driver."""

    @property
    def name(self) -> str: ...

    @property
    def settings(self) -> object: ...

    def status(self) -> ChannelStatus: ...

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


D = TypeVar("D", bound=ChannelDriver)
S = TypeVar("S")


class ChannelDrivers(Generic[D, S]):
    """The drivers of one channel type, reconciled with the store's channel rows."""

    ctype: ChannelType
    settings_kind: str  # "GSM modem": in "not valid GSM modem settings"
    listener_failed: str  # the log's words when a listener raises
    stopping_note: str | None = None  # logged for each driver before it is stopped

    def __init__(
        self,
        store: Store,
        *,
        parse_settings: Callable[[str, str], S | None],
        driver_name: Callable[[int], str],
        log: logging.Logger,
    ) -> None:
        self._store = store
        self._parse_settings = parse_settings
        self._driver_name = driver_name
        self._log = log
        self._drivers: dict[int, D] = {}
        self._faulty: dict[int, str] = {}  # channel number -> why its settings do not parse
        self._listeners: list[Callable[[], None]] = []
        self._lock = asyncio.Lock()
        self._running = False

    # --- what a subclass provides -----------------------------------------------------
    def make(self, settings: S) -> D:
        raise NotImplementedError

    def describe(self, driver: D) -> str:
        """What the log says a started driver drives."""
        raise NotImplementedError

    async def release(self) -> None:
        """After drivers were stopped: release what no running driver uses (nothing here)."""

    # --- what others read -------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._running

    def statuses(self) -> dict[int, ChannelStatus]:
        return {num: driver.status() for num, driver in self._drivers.items()}

    def states(self) -> dict[int, ChannelState]:
        """The GETCHANNELS state of every driven channel (bad settings: FAULT)."""
        states = {num: ChannelState.FAULT for num in self._faulty}
        states.update((num, status.protocol_state) for num, status in self.statuses().items())
        return states

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
            await self._reconcile(rows, {row.num for row in rows} | set(self._drivers))

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
            drivers, self._drivers = self._drivers, {}
            self._faulty.clear()
            await self._stop_all(list(drivers.values()))
            if drivers:
                self._changed()

    def _wanted(self, channel: StoredChannel | None) -> tuple[S | None, str | None]:
        """What one row asks for: a driver with these settings, a fault (why), or nothing."""
        if channel is None or channel.ctype is not self.ctype or not channel.enabled:
            return None, None
        try:
            return self._parse_settings(channel.settings, self._driver_name(channel.num)), None
        except ValueError as exc:
            return None, str(exc)

    async def _reconcile(self, rows: list[StoredChannel], nums: set[int]) -> None:
        by_num = {row.num: row for row in rows}
        stopping: list[D] = []
        starting: list[D] = []
        for num in sorted(nums):
            settings, problem = self._wanted(by_num.get(num))
            self._note_problem(num, problem)
            current = self._drivers.get(num)
            if current is not None and current.settings == settings:
                continue
            if current is not None:
                stopping.append(self._drivers.pop(num))
            if settings is not None:
                driver = self.make(settings)
                self._drivers[num] = driver
                starting.append(driver)
        await self._stop_all(stopping)
        for driver in starting:
            self._log.info("channel %s: driving %s", driver.name, self.describe(driver))
            await driver.start()
        if stopping or starting:
            self._changed()

    def _note_problem(self, num: int, problem: str | None) -> None:
        if problem is None:
            self._faulty.pop(num, None)
        elif self._faulty.get(num) != problem:
            self._faulty[num] = problem
            # the reason may quote a value, and settings may hold credentials: not logged
            self._log.warning(
                "channel %d: not driven, its stored settings are not valid %s settings "
                "(fix them with SETCHANINFO)",
                num,
                self.settings_kind,
            )

    async def _stop_all(self, drivers: list[D]) -> None:
        for driver in drivers if self.stopping_note else ():
            self._log.info("channel %s: %s", driver.name, self.stopping_note)
        results = await asyncio.gather(*(d.stop() for d in drivers), return_exceptions=True)
        for driver, result in zip(drivers, results, strict=True):
            if isinstance(result, Exception):
                self._log.warning(
                    "channel %s: the driver did not stop cleanly: %s", driver.name, result
                )
        await self.release()

    def _changed(self) -> None:
        for listener in list(self._listeners):
            try:
                listener()
            except Exception:
                self._log.exception(self.listener_failed)
