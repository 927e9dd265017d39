"""The platform's FTP server: pyftpdlib, plain FTP and explicit FTPS on one port.

How it works: ``FtpServerThread`` runs a pyftpdlib ``FTPServer`` on its own
``IOLoop`` in a daemon thread. The control handler is ``TLS_FTPHandler`` with
TLS optional (``tls_control_required`` and ``tls_data_required`` off), so a
client may stay plain or send AUTH TLS and PROT P (ruling 2). Passive mode
only answers with the address the client reached (no masquerade), on ports
the OS picks or ``passive_ports``. Each login is jailed in ``root/<login>``.

Limits: ``max_cons`` connections, ``max_cons_per_ip`` from one address, idle
control connections closed after ``idle_timeout`` (pyftpdlib restarts that
timer on a complete command only, so a command trickled byte by byte or a
stalled AUTH TLS handshake is cut by it too; a command line longer than
2 KiB is answered ``500`` and dropped, never buffered), stalled data
connections after ``data_timeout``, a failed login answered after a
one-second pause, and one upload at most ``max_upload_bytes`` (552, the
transfer cut). pyftpdlib queues every reply without bound and its
``close_when_done`` waits for the queue forever, so a client that pipelines
commands and never reads its replies would hold memory and its connection
for good: ``PlatformHandler`` gives the control connection a small kernel
send buffer (``REPLY_SEND_BUFFER``: replies are short, and the kernel would
otherwise take megabytes of them), counts the reply bytes not yet sent and
cuts the connection when they exceed ``max_reply_backlog`` or when none of
them could be sent for ``write_timeout``. A cut, and an idle timeout while
the client has not taken the replies already sent, reset the connection
(RST): a plain close would leave the kernel holding the unread bytes, and
the connection, for minutes.

Faults (``FtpFaults``, set from the control API, read here on the FTP
thread): refuse logins (530), drop the data connection after N bytes (426),
slow transfers (``read_limit`` bytes/s through ``ThrottledDTPHandler``), a
full disk (STOR answered 452). After AUTH TLS, ``PROT C`` is refused (534)
and a data connection before ``PROT P`` too (521): a protected session never
moves data in clear. The upload tracker (uploads.py) hears every
STOR start, end and rename.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import socket
import struct
import termios
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nabat.simulators.ftp_platform.accounts import Account
from nabat.simulators.ftp_platform.uploads import UploadTracker
from pyftpdlib.authorizers import AuthenticationFailed, DummyAuthorizer
from pyftpdlib.handlers import ThrottledDTPHandler
from pyftpdlib.handlers.ftps.control import TLS_FTPHandler
from pyftpdlib.handlers.ftps.data import TLS_DTPHandler
from pyftpdlib.ioloop import IOLoop
from pyftpdlib.servers import FTPServer

# pyftpdlib logs every command at INFO to stderr unless its logger has a handler:
# the simulator's own output says what matters; warnings still reach the root logger.
_pyftpdlib_log = logging.getLogger("pyftpdlib")
if not _pyftpdlib_log.handlers:
    _pyftpdlib_log.addHandler(logging.NullHandler())
    _pyftpdlib_log.setLevel(logging.WARNING)

REPLY_SEND_BUFFER = 16 * 1024  # SO_SNDBUF of a control connection (the kernel doubles it)
_DATA_CONNECTION_COMMANDS = frozenset({"PASV", "EPSV", "PORT", "EPRT"})
PERMISSIONS = "elradfmw"  # list, read, write, delete, rename, mkdir: a client's own folder


@dataclass(frozen=True, slots=True)
class FtpLimits:
    max_cons: int = 64
    max_cons_per_ip: int = 16
    idle_timeout: float = 120.0
    data_timeout: float = 60.0
    write_timeout: float = 30.0  # replies pending and none sent for this long: cut
    max_reply_backlog: int = 64 * 1024  # reply bytes a client may leave unread
    max_upload_bytes: int = 256 << 20


@dataclass(slots=True)
class FtpFaults:
    """Faults read by the FTP thread; plain attributes, replaced whole from the control API."""

    refuse_logins: bool = False
    drop_after_bytes: int | None = None
    read_limit: int = 0  # bytes per second of an upload; 0: unthrottled
    disk_full: bool = False

    def to_json(self) -> dict[str, object]:
        return {
            "refuse_logins": self.refuse_logins,
            "drop_after_bytes": self.drop_after_bytes,
            "slow_bytes_per_second": self.read_limit or None,
            "disk_full": self.disk_full,
        }

    def clear(self) -> None:
        self.refuse_logins = False
        self.drop_after_bytes = None
        self.read_limit = 0
        self.disk_full = False


class PlatformAuthorizer(DummyAuthorizer):  # type: ignore[misc]
    faults: FtpFaults

    def validate_authentication(self, username: str, password: str, handler: Any) -> None:
        if self.faults.refuse_logins:
            raise AuthenticationFailed("Logins are refused at the moment (simulated fault).")
        super().validate_authentication(username, password, handler)


class PlatformDtp(TLS_DTPHandler, ThrottledDTPHandler):  # type: ignore[misc]
    """Data channel: TLS when PROT P, throttled when slow, cut by the drop fault or size cap."""

    faults: FtpFaults
    limits: FtpLimits

    def __init__(self, sock: Any, cmd_channel: Any) -> None:
        self.read_limit = self.faults.read_limit
        self.timeout = self.limits.data_timeout
        super().__init__(sock, cmd_channel)

    def recv(self, buffer_size: int) -> bytes:
        # Checked here, below pyftpdlib's handle_read (which the TLS layer wraps):
        # an empty answer after close() ends its read without writing.
        chunk: bytes = super().recv(buffer_size)
        if not self.receive or not chunk:
            return chunk
        received = self.tot_bytes_received + len(chunk)
        drop = self.faults.drop_after_bytes
        if drop is not None and received >= drop:
            self._resp = (
                "426 Connection closed; transfer aborted (simulated fault).",
                logging.info,
            )
            self.close()
            return b""
        if received > self.limits.max_upload_bytes:
            self._resp = (
                f"552 Exceeded storage allocation: at most {self.limits.max_upload_bytes} bytes "
                "per file.",
                logging.info,
            )
            self.close()
            return b""
        return chunk


class PlatformHandler(TLS_FTPHandler):  # type: ignore[misc]
    faults: FtpFaults
    tracker: UploadTracker
    limits: FtpLimits
    tls_control_required = False
    tls_data_required = False
    permit_foreign_addresses = False
    masquerade_address = None
    auth_failed_timeout = 1
    banner = "Nabat FTP SMS platform simulator ready (AUTH TLS available)."

    def __init__(self, conn: Any, server: Any, ioloop: Any = None) -> None:
        self._uploads: set[str] = set()
        self._reply_backlog = 0  # reply bytes queued and not yet sent
        self._last_sent = time.monotonic()  # when replies last moved (or started to wait)
        self._write_watch: Any = None
        with contextlib.suppress(OSError):
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, REPLY_SEND_BUFFER)
        super().__init__(conn, server, ioloop)

    # --- a client that does not read its replies (see the module comment)

    def push(self, data: str) -> None:
        if self._closed:
            return  # pipelined commands after a cut: nobody to answer
        if not self._reply_backlog:
            self._last_sent = time.monotonic()
        self._reply_backlog += len(data.encode(self.encoding, "replace"))
        if self._reply_backlog > self.limits.max_reply_backlog:
            self._cut(f"more than {self.limits.max_reply_backlog} bytes of replies unread")
            return
        super().push(data)
        if self._reply_backlog and self._write_watch is None and not self._closed:
            self._write_watch = self.ioloop.call_later(
                self.limits.write_timeout, self._check_writes, _errback=self.handle_error
            )

    def send(self, data: bytes) -> int:
        sent: int = super().send(data)
        if sent > 0:
            self._reply_backlog = max(0, self._reply_backlog - sent)
            self._last_sent = time.monotonic()
        return sent

    def _check_writes(self) -> None:
        self._write_watch = None
        if self._closed or not self._reply_backlog:
            return
        stalled = time.monotonic() - self._last_sent
        if stalled >= self.limits.write_timeout:
            self._cut(f"replies unread for {self.limits.write_timeout:g} s")
        else:
            self._write_watch = self.ioloop.call_later(
                self.limits.write_timeout - stalled, self._check_writes, _errback=self.handle_error
            )

    def _cut(self, why: str) -> None:
        logging.getLogger(__name__).info("FTP client %s cut: %s", self.remote_ip, why)
        self.ac_in_buffer = b""  # commands already read are dropped with the connection
        self._reset_on_close()
        self.close()

    def _unacknowledged(self) -> int:
        """Bytes sent to the kernel that the client has not acknowledged (Linux; else 0)."""
        try:
            answer = fcntl.ioctl(self._fileno, termios.TIOCOUTQ, b"\0" * 4)
        except (OSError, TypeError, AttributeError):
            return 0
        queued: int = struct.unpack("i", answer)[0]
        return queued

    def _reset_on_close(self) -> None:
        """Make the coming close a reset: the kernel drops what the client never read."""
        with contextlib.suppress(OSError, TypeError):
            raw = socket.socket(fileno=self._fileno)
            try:
                raw.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            finally:
                raw.detach()

    def handle_timeout(self) -> None:
        # Idle for idle_timeout with replies still unacknowledged: the client does not read.
        if self._reply_backlog or self._unacknowledged():
            self._cut(f"idle for {self.timeout:g} s with replies unread")
            return
        super().handle_timeout()

    def close(self) -> None:
        if self._write_watch is not None:
            self._write_watch.cancel()
            self._write_watch = None
        super().close()

    def process_command(self, cmd: str, *args: Any, **kwargs: Any) -> None:
        # Ruling 2: once the control connection is TLS, data connections must be too.
        # A plain session (no AUTH TLS) keeps clear data channels on the same port.
        if self._ssl_established:
            if cmd == "PROT" and args and str(args[0]).strip().upper() == "C":
                self.respond("534 Clear data channels are refused after AUTH TLS: use PROT P.")
                return
            if cmd in _DATA_CONNECTION_COMMANDS and not self._prot:
                self.respond("521 Data connections must be protected after AUTH TLS: PROT P.")
                return
        super().process_command(cmd, *args, **kwargs)

    def ftp_STOR(self, file: str, mode: str = "w") -> str | None:
        if self.faults.disk_full:
            self.respond("452 Insufficient storage space (simulated fault: the disk is full).")
            return None
        path: str | None = super().ftp_STOR(file, mode)
        if path is not None:
            self.tracker.begin(path)
            self._uploads.add(path)
        return path

    def ftp_RNTO(self, path: str) -> tuple[str, str] | None:
        moved: tuple[str, str] | None = super().ftp_RNTO(path)
        if moved is not None:
            self.tracker.renamed(*moved)
        return moved

    def on_file_received(self, file: str) -> None:
        self._uploads.discard(file)
        self.tracker.end(file, complete=True)

    def on_incomplete_file_received(self, file: str) -> None:
        self._uploads.discard(file)
        self.tracker.end(file, complete=False)

    def on_disconnect(self) -> None:
        # A STOR whose data connection never came: the file is not complete.
        for path in list(self._uploads):
            self.tracker.end(path, complete=False)
        self._uploads.clear()


class FtpServerThread:
    """pyftpdlib on its own IOLoop in a daemon thread; ``start()`` returns once it listens."""

    def __init__(
        self,
        root: Path,
        host: str,
        port: int,
        certfile: Path,
        faults: FtpFaults,
        tracker: UploadTracker,
        limits: FtpLimits | None = None,
        passive_ports: range | None = None,
    ) -> None:
        self.root = root
        self.limits = limits or FtpLimits()
        self.authorizer = PlatformAuthorizer()
        self.authorizer.faults = faults
        dtp = type("Dtp", (PlatformDtp,), {"faults": faults, "limits": self.limits})
        self.handler: type[PlatformHandler] = type(
            "Handler",
            (PlatformHandler,),
            {
                "faults": faults,
                "tracker": tracker,
                "limits": self.limits,
                "authorizer": self.authorizer,
                "dtp_handler": dtp,
                "certfile": str(certfile),
                "ssl_context": None,
                "timeout": self.limits.idle_timeout,
                "passive_ports": list(passive_ports) if passive_ports else None,
            },
        )
        self.ioloop = IOLoop()
        self.server = FTPServer((host, port), self.handler, ioloop=self.ioloop)
        self.server.max_cons = self.limits.max_cons
        self.server.max_cons_per_ip = self.limits.max_cons_per_ip
        self.host, self.port = self.server.address[0], self.server.address[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="ftp-platform", daemon=True)

    def add_account(self, account: Account) -> None:
        home = self.root / account.login
        home.mkdir(parents=True, exist_ok=True)
        if self.authorizer.has_user(account.login):
            self.authorizer.remove_user(account.login)
        self.authorizer.add_user(account.login, account.password, str(home), perm=PERMISSIONS)

    def start(self) -> FtpServerThread:
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.is_set():
            self.ioloop.loop(timeout=0.05, blocking=False)
        self.server.close_all()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=10)
