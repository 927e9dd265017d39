"""The in-process serial link: a modem reached as ``nabatgsm://<name>`` through
pyserial's ``serial_for_url``, without a pseudo-terminal.

An ``InProcessPort`` sits between one modem (on its asyncio loop) and at most
one pyserial ``Serial`` object (in any thread). Bytes the DTE writes are handed
to the modem with ``loop.call_soon_threadsafe``; bytes the modem writes go to
a buffer guarded by a condition variable that ``read`` waits on. Ports are
found by name in a process-wide registry (``register``/``unregister``).

``vanish()`` makes the port disappear as an unplugged USB modem does: the open
``Serial`` gets ``SerialException`` on its next read or write, and opening the
name fails until ``reappear()``. Output written while nobody has the port
open is dropped, as a serial line with nobody listening drops it.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable

MAX_BUFFER = 1 << 20

_registry: dict[str, InProcessPort] = {}
_registry_lock = threading.Lock()


class PortGone(OSError):
    """The port vanished (unplugged) or was never there."""


class InProcessPort:
    def __init__(
        self,
        name: str,
        loop: asyncio.AbstractEventLoop,
        on_data: Callable[[bytes], None],
    ) -> None:
        self.name = name
        self._loop = loop
        self._on_data = on_data
        self._cond = threading.Condition()
        self._buffer = bytearray()
        self._present = True
        self._generation = 0
        self._opened_generation: int | None = None
        self.dropped = 0

    @property
    def url(self) -> str:
        return f"nabatgsm://{self.name}"

    @property
    def present(self) -> bool:
        return self._present

    # --- the modem's side -----------------------------------------------------
    def write(self, data: bytes) -> None:
        with self._cond:
            if not self._present or self._opened_generation != self._generation:
                self.dropped += len(data)
                return
            room = MAX_BUFFER - len(self._buffer)
            if len(data) > room:
                self.dropped += len(data) - room
                data = data[:room]
            self._buffer += data
            self._cond.notify_all()

    def vanish(self) -> None:
        with self._cond:
            self._present = False
            self._generation += 1
            self._buffer.clear()
            self._opened_generation = None
            self._cond.notify_all()

    def reappear(self) -> None:
        with self._cond:
            self._present = True
            self._cond.notify_all()

    # --- the DTE's side (any thread) -------------------------------------------
    def open(self) -> int:
        with self._cond:
            if not self._present:
                raise PortGone(f"{self.url}: no such device (unplugged)")
            self._buffer.clear()
            self._opened_generation = self._generation
            return self._generation

    def close(self, generation: int) -> None:
        with self._cond:
            if self._opened_generation == generation:
                self._opened_generation = None
                self._buffer.clear()

    def _check(self, generation: int) -> None:
        if not self._present or generation != self._generation:
            raise PortGone(f"{self.url}: device disappeared")

    def send(self, generation: int, data: bytes) -> None:
        with self._cond:
            self._check(generation)
        if data:
            try:
                self._loop.call_soon_threadsafe(self._on_data, bytes(data))
            except RuntimeError:
                raise PortGone(f"{self.url}: the simulator has stopped") from None

    def receive(self, generation: int, size: int, timeout: float | None) -> bytes:
        """Up to ``size`` bytes; waits up to ``timeout`` s (None: forever) for ``size``."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            while True:
                self._check(generation)
                if len(self._buffer) >= size:
                    break
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    break
                self._cond.wait(left)
            data = bytes(self._buffer[:size])
            del self._buffer[:size]
            return data

    def waiting(self, generation: int) -> int:
        with self._cond:
            self._check(generation)
            return len(self._buffer)

    def flush_input(self, generation: int) -> None:
        with self._cond:
            self._check(generation)
            self._buffer.clear()


def register(port: InProcessPort) -> None:
    with _registry_lock:
        if port.name in _registry:
            raise ValueError(f"an in-process modem port named {port.name!r} already exists")
        _registry[port.name] = port


def unregister(port: InProcessPort) -> None:
    with _registry_lock:
        if _registry.get(port.name) is port:
            del _registry[port.name]
    port.vanish()


def lookup(name: str) -> InProcessPort:
    with _registry_lock:
        port = _registry.get(name)
    if port is None:
        raise PortGone(f"nabatgsm://{name}: no such simulated modem in this process")
    return port
