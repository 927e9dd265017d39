"""The platform's FTP server: pyftpdlib, plain FTP and explicit FTPS on one port.

How it works: ``FtpServerThread`` runs a pyftpdlib ``FTPServer`` on its own
``IOLoop`` in a daemon thread. The control handler is ``TLS_FTPHandler`` with
TLS optional (``tls_control_required`` and ``tls_data_required`` off), so a
client may stay plain or send AUTH TLS and PROT P (ruling 2). Passive mode
only answers with the address the client reached (no masquerade), on ports
the OS picks or ``passive_ports``. Each login is jailed in ``root/<login>``.

Limits: ``max_cons`` connections, ``max_cons_per_ip`` from one address, idle
control connections closed after ``idle_timeout``, stalled data connections
after ``data_timeout``, a failed login answered after a one-second pause,
and one upload at most ``max_upload_bytes`` (552, the transfer cut).

Faults (``FtpFaults``, set from the control API, read here on the FTP
thread): refuse logins (530), drop the data connection after N bytes (426),
slow transfers (``read_limit`` bytes/s through ``ThrottledDTPHandler``), a
full disk (STOR answered 452). After AUTH TLS, ``PROT C`` is refused (534)
and a data connection before ``PROT P`` too (521): a protected session never
moves data in clear. The upload tracker (uploads.py) hears every
STOR start, end and rename.
"""

from __future__ import annotations

import logging
import threading
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

_DATA_CONNECTION_COMMANDS = frozenset({"PASV", "EPSV", "PORT", "EPRT"})
PERMISSIONS = "elradfmw"  # list, read, write, delete, rename, mkdir: a client's own folder


@dataclass(frozen=True, slots=True)
class FtpLimits:
    max_cons: int = 64
    max_cons_per_ip: int = 16
    idle_timeout: float = 120.0
    data_timeout: float = 60.0
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
    tls_control_required = False
    tls_data_required = False
    permit_foreign_addresses = False
    masquerade_address = None
    auth_failed_timeout = 1
    banner = "Nabat FTP SMS platform simulator ready (AUTH TLS available)."

    def __init__(self, conn: Any, server: Any, ioloop: Any = None) -> None:
        super().__init__(conn, server, ioloop)
        self._uploads: set[str] = set()

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
