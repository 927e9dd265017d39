"""An asyncio DTE on a serial device path (a modem simulator's pseudo-terminal).

How it works: ``PtyLine.open()`` opens the path non-blocking, puts it in raw
mode (no echo, no line editing, no CR/LF translation: exactly the bytes a
modem sends) and reads it with the running loop's ``add_reader`` into a
buffer. ``exchange(data, ends)`` writes ``data`` and waits until one of
``ends`` appears in what came back, returning everything up to and
including it (what follows stays for the next exchange). ``sent`` and
``received`` count bytes both ways, for throughput figures. No pyserial:
one process drives dozens of lines without a thread each.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import tty

READ_CHUNK = 65536


class LineTimeout(TimeoutError):
    """The modem did not send the expected end in time."""


class PtyLine:
    def __init__(self, path: str) -> None:
        self.path = path
        self.sent = 0
        self.received = 0
        self._fd: int | None = None
        self._buffer = bytearray()
        self._arrived = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None

    def open(self) -> PtyLine:
        self._loop = asyncio.get_running_loop()
        fd = os.open(self.path, os.O_RDWR | os.O_NOCTTY | os.O_NONBLOCK)
        try:
            tty.setraw(fd)
        except OSError:
            os.close(fd)
            raise
        self._fd = fd
        self._loop.add_reader(fd, self._readable)
        return self

    def _readable(self) -> None:
        fd = self._fd
        if fd is None:
            return
        try:
            data = os.read(fd, READ_CHUNK)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:  # the device went away
            self.close()
            self._arrived.set()
            return
        self.received += len(data)
        self._buffer += data
        self._arrived.set()

    async def write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            if self._fd is None:
                raise ConnectionError(f"{self.path} is closed")
            try:
                written = os.write(self._fd, view)
            except BlockingIOError:
                written = 0
            self.sent += written
            view = view[written:]
            if view:
                await asyncio.sleep(0.001)

    def _take(self, ends: tuple[bytes, ...]) -> bytes | None:
        found = [(index, end) for end in ends if (index := self._buffer.find(end)) >= 0]
        if not found:
            return None
        index, end = min(found)
        size = index + len(end)
        taken = bytes(self._buffer[:size])
        del self._buffer[:size]
        return taken

    async def read_until(self, ends: tuple[bytes, ...], timeout: float) -> bytes:
        async def wait() -> bytes:
            while True:
                taken = self._take(ends)
                if taken is not None:
                    return taken
                if self._fd is None:
                    raise ConnectionError(f"{self.path} went away")
                self._arrived.clear()
                await self._arrived.wait()

        try:
            return await asyncio.wait_for(wait(), timeout)
        except TimeoutError:
            shown = bytes(self._buffer[-80:])
            raise LineTimeout(
                f"{self.path}: no {ends!r} within {timeout:g} s; got {shown!r}"
            ) from None

    async def exchange(self, data: bytes, ends: tuple[bytes, ...], timeout: float = 10.0) -> bytes:
        await self.write(data)
        return await self.read_until(ends, timeout)

    def close(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        if self._loop is not None:
            self._loop.remove_reader(fd)
        with contextlib.suppress(OSError):
            os.close(fd)
