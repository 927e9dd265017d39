"""A recording FTP/FTPS client over Python's ftplib, and the evidence it leaves.

:class:`RecordingFtp` and :class:`RecordingFtpTls` are ftplib's FTP and
FTP_TLS with every control-channel line they send or read appended to a log
(``PASS`` redacted). :class:`FtpClient` wraps one session for a case: each
operation (``send``, ``store``, ``names``, ``listing``, ``fetch``) returns the
server's reply instead of raising on 4xx/5xx, and records the lines it
exchanged as one :class:`FtpExchange` (the framework's ``Exchange``) into the
case's evidence. Transport failures (OSError, TLS errors, a broken reply)
propagate: the runner reports them as errors of the target.
"""

from __future__ import annotations

import contextlib
import ftplib
import socket
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Recorder = Callable[["FtpExchange"], None]
FTP_ERRORS: tuple[type[BaseException], ...] = (ftplib.Error, EOFError)


@dataclass(frozen=True)
class FtpExchange:
    label: str
    outcome: str
    lines: tuple[tuple[str, str], ...]  # (">" sent | "<" received | "#" data), text
    elapsed_ms: float
    kind: str = "ftp"

    def title(self) -> str:
        return f"{self.label} -> {self.outcome} ({self.elapsed_ms:.1f} ms)"

    def render_text(self) -> str:
        return "\n".join([f"# {self.title()}", *(f"{d} {t}" for d, t in self.lines)])

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "label": self.label,
            "outcome": self.outcome,
            "elapsed_ms": round(self.elapsed_ms, 3),
            "lines": [{"dir": d, "text": t} for d, t in self.lines],
        }

    def reproduce(self) -> str | None:
        return None


class _Logging:
    """Mixin: the control lines of the session, in order."""

    log: list[tuple[str, str]]

    def putline(self, line: str) -> None:
        shown = "PASS ****" if line.upper().startswith("PASS ") else line
        self.log.append((">", shown))
        super().putline(line)  # type: ignore[misc]

    def getline(self) -> str:
        line: str = super().getline()  # type: ignore[misc]
        self.log.append(("<", line))
        return line


class RecordingFtp(_Logging, ftplib.FTP):
    def __init__(self, timeout: float) -> None:
        self.log = []
        super().__init__(timeout=timeout)


class RecordingFtpTls(_Logging, ftplib.FTP_TLS):
    def __init__(self, timeout: float, context: ssl.SSLContext) -> None:
        self.log = []
        super().__init__(context=context, timeout=timeout)


def _close_notify(conn: socket.socket) -> None:
    """End a TLS data connection with close_notify (the server then knows the upload is
    whole); a peer that already closed it is no error."""
    if isinstance(conn, ssl.SSLSocket):
        with contextlib.suppress(ssl.SSLError, OSError):
            conn.unwrap()


def code_of(reply: str) -> str:
    return reply[:3]


@dataclass
class FtpClient:
    """One logged-in session; ``recorder`` receives one exchange per operation."""

    ftp: RecordingFtp | RecordingFtpTls
    recorder: Recorder | None = None
    closed: bool = False

    @property
    def tls(self) -> bool:
        return isinstance(self.ftp, RecordingFtpTls)

    def _run(self, label: str, action: Callable[[], Any]) -> tuple[str, Any]:
        start = len(self.ftp.log)
        begun = time.perf_counter()
        value: Any = None
        try:
            value = action()
            reply = self.ftp.lastresp if hasattr(self.ftp, "lastresp") else ""
            outcome = self._last_reply(start) or str(reply)
        except (ftplib.error_perm, ftplib.error_temp, ftplib.error_reply) as exc:
            outcome = str(exc).strip()
        elapsed = (time.perf_counter() - begun) * 1000.0
        lines = tuple(self.ftp.log[start:])
        if self.recorder is not None:
            self.recorder(
                FtpExchange(label, outcome.splitlines()[0] if outcome else "", lines, elapsed)
            )
        return outcome, value

    def _last_reply(self, start: int) -> str:
        for direction, text in reversed(self.ftp.log[start:]):
            if direction == "<" and text[:3].isdigit() and text[3:4] != "-":
                return text
        return ""

    def send(self, command: str) -> str:
        """One command; its final reply (never raises on a 4xx/5xx reply)."""
        reply, _ = self._run(command, lambda: self.ftp.sendcmd(command))
        return str(reply)

    def store(self, name: str, data: bytes) -> str:
        """STOR ``name`` in binary; the final reply (226 when it arrived)."""

        def put() -> None:
            self.ftp.voidcmd("TYPE I")
            with self.ftp.transfercmd(f"STOR {name}") as conn:
                conn.sendall(data)
                _close_notify(conn)
            self.ftp.voidresp()

        reply, _ = self._run(f"STOR {name} ({len(data)} bytes)", put)
        return str(reply)

    def begin_store(self, name: str) -> tuple[str, socket.socket | None]:
        """Start STOR ``name``; returns the reply and the open data connection."""

        def start() -> socket.socket:
            self.ftp.voidcmd("TYPE I")
            return self.ftp.transfercmd(f"STOR {name}")

        reply, conn = self._run(f"STOR {name} (begun)", start)
        return str(reply), conn

    def finish_store(self, conn: socket.socket, rest: bytes) -> str:
        def finish() -> None:
            with conn:
                conn.sendall(rest)
                _close_notify(conn)
            self.ftp.voidresp()

        reply, _ = self._run(f"STOR (the last {len(rest)} bytes)", finish)
        return str(reply)

    def names(self, path: str = "") -> tuple[str, list[str]]:
        """NLST: the reply and the names (a 550 empty folder is an empty list)."""
        found: list[str] = []
        command = f"NLST {path}".strip()
        reply, _ = self._run(command, lambda: self._lines(command, found))
        return str(reply), [name.rsplit("/", 1)[-1] for name in found]

    def listing(self, path: str = "") -> tuple[str, list[str]]:
        found: list[str] = []
        command = f"LIST {path}".strip()
        reply, _ = self._run(command, lambda: self._lines(command, found))
        return str(reply), found

    def fetch(self, name: str) -> tuple[str, bytes]:
        parts: list[bytes] = []

        def get() -> None:
            self.ftp.voidcmd("TYPE I")
            with self.ftp.transfercmd(f"RETR {name}") as conn:
                while chunk := conn.recv(65536):
                    parts.append(chunk)
                _close_notify(conn)
            self.ftp.voidresp()

        reply, _ = self._run(f"RETR {name}", get)
        return str(reply), b"".join(parts)

    def _lines(self, command: str, into: list[str]) -> None:
        """A listing in ASCII (as ftplib's retrlines, but a TLS data connection the
        server closes without data is no error: TLS 1.3 may still be 'in init')."""
        self.ftp.voidcmd("TYPE A")
        with self.ftp.transfercmd(command) as conn:
            data = b""
            try:
                while chunk := conn.recv(65536):
                    data += chunk
            except ssl.SSLError:
                if data:
                    raise
            _close_notify(conn)
        into.extend(line for line in data.decode(self.ftp.encoding).splitlines() if line)
        self.ftp.voidresp()

    def delete(self, name: str) -> str:
        reply, _ = self._run(f"DELE {name}", lambda: self.ftp.delete(name))
        return str(reply)

    def note_lines(self) -> list[tuple[str, str]]:
        return list(self.ftp.log)

    def quit(self) -> str:
        if self.closed:
            return ""
        self.closed = True
        reply, _ = self._run("QUIT", self.ftp.quit)
        return str(reply)

    def close(self) -> None:
        self.closed = True
        with contextlib.suppress(OSError):
            self.ftp.close()
