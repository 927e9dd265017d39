"""A modem on a real pseudo-terminal: the slave's path is the device users open.

``open()`` calls ``os.openpty()``, puts the slave in raw mode (no echo, no
line editing, no CR/LF translation: the modem's own echo is ATE's business)
and drives the master with the running asyncio loop (``add_reader``, and
``add_writer`` while output is pending). The port keeps its own descriptor of
the slave open for its whole life, so a DTE that closes and reopens the path
never makes the master see end-of-file, and the line settings survive between
opens. Any program opens the path: pyserial with or without ``rtscts`` /
``dsrdtr`` (termios flags are accepted by a pty; reading the modem-status lines
with TIOCMGET is not supported by Linux ptys, so ``serial.cts`` raises there),
minicom, picocom, screen.

Output nobody reads piles up in the kernel (a few KiB) and then in a bounded
buffer here; past ``max_pending`` bytes the oldest pending output is dropped,
as a line with nobody listening loses it.

``vanish()`` closes both ends (a DTE holding the old path reads EIO, as from an
unplugged USB modem) and ``reappear()`` makes a new pseudo-terminal; its path
may differ, so ``link`` (a symbolic link such as ``DIR/modem0``) is pointed at
the current path each time.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import os
import tty
from collections.abc import Callable
from pathlib import Path

READ_CHUNK = 4096
DEFAULT_MAX_PENDING = 64 * 1024


class PtyPort:
    def __init__(
        self,
        on_data: Callable[[bytes], None],
        link: Path | None = None,
        max_pending: int = DEFAULT_MAX_PENDING,
    ) -> None:
        self._on_data = on_data
        self.link = link
        self.max_pending = max_pending
        self._loop: asyncio.AbstractEventLoop | None = None
        self._master: int | None = None
        self._slave: int | None = None
        self._path: str | None = None
        self._pending = bytearray()
        self._writing = False
        self.dropped = 0

    @property
    def path(self) -> str:
        if self._path is None:
            raise RuntimeError("the pseudo-terminal is not open")
        return self._path

    @property
    def present(self) -> bool:
        return self._master is not None

    def open(self) -> str:
        """Create the pseudo-terminal (call on the loop's thread); returns its path."""
        if self._master is not None:
            return self.path
        self._loop = asyncio.get_running_loop()
        master, slave = os.openpty()
        try:
            tty.setraw(slave)
            os.set_blocking(master, False)
            path = os.ttyname(slave)
        except OSError:
            os.close(master)
            os.close(slave)
            raise
        self._master, self._slave, self._path = master, slave, path
        self._loop.add_reader(master, self._readable)
        self._update_link()
        return path

    def _update_link(self) -> None:
        if self.link is None or self._path is None:
            return
        temporary = self.link.with_name(self.link.name + ".new")
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
        temporary.symlink_to(self._path)
        temporary.replace(self.link)

    def _readable(self) -> None:
        master = self._master
        if master is None:
            return
        try:
            data = os.read(master, READ_CHUNK)
        except BlockingIOError:
            return
        except OSError as error:
            if error.errno == errno.EIO:  # no slave open: cannot happen while we hold one
                return
            raise
        if data:
            self._on_data(data)

    def write(self, data: bytes) -> None:
        if self._master is None:
            self.dropped += len(data)
            return
        if self._pending:
            self._queue(data)
            return
        try:
            written = os.write(self._master, data)
        except BlockingIOError:
            written = 0
        except OSError:
            self.dropped += len(data)
            return
        if written < len(data):
            self._queue(data[written:])

    def _queue(self, data: bytes) -> None:
        self._pending += data
        excess = len(self._pending) - self.max_pending
        if excess > 0:
            del self._pending[:excess]
            self.dropped += excess
        if not self._writing and self._loop is not None and self._master is not None:
            self._loop.add_writer(self._master, self._flush)
            self._writing = True

    def _flush(self) -> None:
        master = self._master
        if master is None:
            return
        try:
            written = os.write(master, self._pending)
        except BlockingIOError:
            return
        except OSError:
            self.dropped += len(self._pending)
            written = len(self._pending)
        del self._pending[:written]
        if not self._pending and self._loop is not None:
            self._loop.remove_writer(master)
            self._writing = False

    def _close_fds(self) -> None:
        master, slave = self._master, self._slave
        self._master = self._slave = None
        self._pending.clear()
        if master is not None and self._loop is not None:
            self._loop.remove_reader(master)
            if self._writing:
                self._loop.remove_writer(master)
        self._writing = False
        for fd in (master, slave):
            if fd is not None:
                with contextlib.suppress(OSError):
                    os.close(fd)

    def vanish(self) -> None:
        """Unplug: the device goes away (the link, if any, is removed)."""
        self._close_fds()
        self._path = None
        if self.link is not None:
            with contextlib.suppress(FileNotFoundError):
                self.link.unlink()

    def reappear(self) -> str:
        """Plug back in: a new pseudo-terminal (call on the loop's thread)."""
        return self.open()

    def close(self) -> None:
        self.vanish()
