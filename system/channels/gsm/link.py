"""The serial link to one modem: pyserial, a reader thread, bytes handed to the event loop.

How it works: ``open_serial(settings)`` opens the port with
``serial.serial_for_url``, so a device path, a pseudo-terminal and any
pyserial URL (``nabatgsm://modem0`` of the simulator, ``socket://...``,
``rfc2217://...``) work alike. It blocks, so the driver calls it in an
executor. ``SerialLink`` then owns the open port: a daemon thread reads
(``read(1)`` with the short ``read_poll`` timeout, then whatever
``in_waiting`` says; on a POSIX device or pty directly ``select`` and
``os.read`` on its descriptor, two system calls per chunk, and writes with
``os.write``) and hands each chunk to the loop with
``call_soon_threadsafe(on_data, chunk)``; a read error ends the thread after
``call_soon_threadsafe(on_lost, PortLost)``. ``write`` runs on the loop's
thread (AT commands are short; ``write_timeout`` bounds a stuck line) and
raises ``PortLost``. ``close`` asks the thread to stop; the thread closes the
port itself after its current read returns (within ``read_poll``), so a file
descriptor is never closed under a read in progress. ``close`` is idempotent
and never raises; ``join`` waits for the thread (call it in an executor).

The port is anything with pyserial's ``read``/``write``/``in_waiting``/
``close`` (``SerialPort``), so unit tests hand in a scripted fake.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import select
import threading
from collections.abc import Callable
from typing import Protocol

from nabat.system.channels.gsm.errors import PortLost, PortUnavailable
from nabat.system.channels.gsm.settings import GsmModemSettings

log = logging.getLogger("nabat.channels.gsm.link")
READ_CHUNK = 4096


class SerialPort(Protocol):
    """The part of pyserial's ``Serial`` the link uses."""

    def read(self, size: int = 1) -> bytes: ...

    def write(self, data: bytes) -> int | None: ...

    @property
    def in_waiting(self) -> int: ...

    def close(self) -> None: ...


Opener = Callable[[GsmModemSettings], SerialPort]


def open_serial(settings: GsmModemSettings) -> SerialPort:
    """Open ``settings.port`` with pyserial (blocking); ``PortUnavailable`` if it cannot be."""
    import serial

    try:
        port: SerialPort = serial.serial_for_url(
            settings.port,
            baudrate=settings.baudrate,
            rtscts=settings.rtscts,
            timeout=settings.read_poll,
            write_timeout=settings.write_timeout,
        )
    except (serial.SerialException, OSError, ValueError) as error:
        raise PortUnavailable(f"{settings.port}: {error}") from error
    return port


class SerialLink:
    def __init__(
        self,
        port: SerialPort,
        loop: asyncio.AbstractEventLoop,
        on_data: Callable[[bytes], None],
        on_lost: Callable[[Exception], None],
        name: str = "gsm",
        poll: float = 0.05,
        write_timeout: float = 5.0,
    ) -> None:
        self._port = port
        self._loop = loop
        self._on_data = on_data
        self._on_lost = on_lost
        self._poll = poll
        self._write_timeout = write_timeout
        self._descriptor = _descriptor(port)
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._read_loop, name=f"{name} reader", daemon=True)
        self.bytes_in = 0
        self.bytes_out = 0

    def start(self) -> None:
        self._thread.start()

    @property
    def alive(self) -> bool:
        return self._thread.is_alive() and not self._stopping.is_set()

    def write(self, data: bytes) -> None:
        if self._stopping.is_set():
            raise PortLost("the link is closed")
        try:
            if self._descriptor is not None:
                self._write_descriptor(self._descriptor, data)
            else:
                self._port.write(data)
        except Exception as error:  # pyserial raises SerialException, OSError, timeouts
            raise PortLost(f"write failed: {error}") from error
        self.bytes_out += len(data)

    def _write_descriptor(self, descriptor: int, data: bytes) -> None:
        """``os.write`` until all is written; the descriptor is non-blocking (pyserial)."""
        view = memoryview(data)
        while view:
            try:
                written = os.write(descriptor, view)
            except BlockingIOError:
                _, ready, _ = select.select([], [descriptor], [], self._write_timeout)
                if not ready:
                    raise TimeoutError("the line takes no more data") from None
                continue
            view = view[written:]

    def close(self) -> None:
        self._stopping.set()
        if not self._thread.is_alive():
            self._close_port()

    def join(self, timeout: float) -> None:
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _close_port(self) -> None:
        with contextlib.suppress(Exception):
            self._port.close()

    def _hand_over(self, callback: Callable[..., None], *args: object) -> bool:
        try:
            self._loop.call_soon_threadsafe(callback, *args)
        except RuntimeError:  # the loop is closed: nobody is listening any more
            self._stopping.set()
            return False
        return True

    def _read_loop(self) -> None:
        try:
            self._read_until_stopped()
        finally:
            self._close_port()

    def _read_until_stopped(self) -> None:
        if self._descriptor is not None:
            self._read_descriptor(self._descriptor)
            return
        port = self._port
        while not self._stopping.is_set():
            try:
                data = port.read(1)
                if data:
                    waiting = port.in_waiting
                    if waiting:
                        data += port.read(waiting)
            except Exception as error:
                if not self._stopping.is_set():
                    self._stopping.set()
                    self._hand_over(self._on_lost, PortLost(f"read failed: {error}"))
                return
            if data:
                self.bytes_in += len(data)
                if not self._hand_over(self._on_data, data):
                    return

    def _read_descriptor(self, descriptor: int) -> None:
        """A POSIX device: select and read the descriptor directly (two calls per chunk)."""
        while not self._stopping.is_set():
            try:
                ready, _, _ = select.select([descriptor], [], [], self._poll)
                data = os.read(descriptor, READ_CHUNK) if ready else b""
                if ready and not data:
                    raise PortLost("the device reports data but returns none (unplugged?)")
            except Exception as error:
                if not self._stopping.is_set():
                    self._stopping.set()
                    self._hand_over(self._on_lost, PortLost(f"read failed: {error}"))
                return
            if data:
                self.bytes_in += len(data)
                if not self._hand_over(self._on_data, data):
                    return


def _descriptor(port: SerialPort) -> int | None:
    """The file descriptor of a POSIX pyserial port (device or pty); None for URL handlers."""
    if os.name != "posix" or type(port).__module__ != "serial.serialposix":
        return None
    try:
        fileno = int(port.fileno())  # type: ignore[attr-defined]
    except Exception:
        return None
    return fileno if fileno >= 0 else None
