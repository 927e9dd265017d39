"""The serial line to the modem: opening it, and every byte through it timed.

:func:`open_serial` opens a device path or any pyserial URL
(``serial_for_url``: ``/dev/ttyUSB2``, ``rfc2217://...``, ``nabatgsm://modem0``)
with an exclusive lock, and turns pyserial's failures into one line naming
the cause (:func:`open_cause`): no such device, permission denied, busy
(another program holds it). :class:`Port` wraps the open line: ``write`` and
``read_some`` record a :class:`~nabat.conformance.gsm_modem.evidence.Chunk`
per write and per read into the current ``tape`` (the case's byte journal),
timed from the tape's start. Tests hand the binding another opener (a serial
object that rewrites the modem's answers) through the same
:data:`Opener` signature.
"""

from __future__ import annotations

import errno
import time
from collections.abc import Callable
from typing import Any, Protocol

from nabat.conformance.gsm_modem.evidence import Chunk

POLL = 0.02  # seconds one read waits for the first byte


class SerialLike(Protocol):
    """The part of pyserial's ``Serial`` the suite uses."""

    timeout: float | None

    @property
    def in_waiting(self) -> int: ...

    def read(self, size: int = 1) -> bytes: ...

    def write(self, data: bytes) -> int | None: ...

    def reset_input_buffer(self) -> None: ...

    def close(self) -> None: ...


Opener = Callable[[str, int], SerialLike]


def open_serial(device: str, baud: int) -> SerialLike:
    """Open ``device`` (a path or a pyserial URL) exclusively; raises pyserial's errors."""
    import serial

    port: Any = serial.serial_for_url(device, baudrate=baud, timeout=POLL, write_timeout=5,
                                      exclusive=True)
    return port  # type: ignore[no-any-return]


def open_cause(device: str, exc: BaseException) -> str:
    """One line saying why ``device`` could not be opened."""
    code = exc.errno if isinstance(exc, OSError) else None
    if code is None and exc.args and isinstance(exc.args[0], int):
        code = exc.args[0]
    text = str(exc)
    if code == errno.ENOENT or "No such file" in text or "no such" in text.lower():
        return f"{device}: no such device (is the modem plugged in, is the path right?)"
    if code in (errno.EACCES, errno.EPERM) or "Permission denied" in text:
        return (f"{device}: permission denied (add your user to the group that owns the "
                "device, usually dialout)")
    if code in (errno.EBUSY, errno.EAGAIN) or "lock" in text.lower() or "busy" in text.lower():
        return (f"{device}: busy: another program holds the port (ModemManager, minicom, a "
                "running driver?)")
    return f"cannot open {device}: {text}"


class Port:
    """An open serial line whose every byte lands on the current tape."""

    def __init__(self, line: SerialLike, clock: Callable[[], float] = time.monotonic) -> None:
        self.line = line
        self.clock = clock
        self.tape: list[Chunk] = []
        self.tape_started = clock()

    def new_tape(self) -> None:
        """Start a fresh byte journal (one per case)."""
        self.tape = []
        self.tape_started = self.clock()

    def _note(self, direction: str, data: bytes) -> None:
        self.tape.append(Chunk(direction, self.clock() - self.tape_started, data))

    def write(self, data: bytes) -> None:
        self._note("tx", data)
        self.line.write(data)

    def read_some(self) -> bytes:
        """What the modem has sent, waiting up to ``POLL`` s for the first byte."""
        waiting = self.line.in_waiting
        data = bytes(self.line.read(max(1, waiting)))
        if data:
            self._note("rx", data)
        return data

    def read_waiting(self) -> bytes:
        """Whatever the modem has already sent, without waiting."""
        waiting = self.line.in_waiting
        if not waiting:
            return b""
        data = bytes(self.line.read(waiting))
        if data:
            self._note("rx", data)
        return data

    def close(self) -> None:
        self.line.close()
