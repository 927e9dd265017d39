"""A blocking TLS client for the line protocol, recording every exchange.

:class:`Target` knows where the server is and how to verify it;
:meth:`Target.connect` opens a :class:`Connection`. ``request`` sends one
line (``request_lines`` a multi-line request, ``request_multiline`` one that
also reads the errors of a dropped request's remaining lines, ``send_raw``
arbitrary bytes) and gathers the reply into a :class:`Reply`: a single line, ``BEGIN`` ..
``END``, the abonent shape (``OK`` then ``PHONE``/``EMAIL`` lines and
``END``), or an error line that ends any of them. Unsolicited
``UPDATETASK OK`` lines are set aside (and noted when one arrived inside a
multi-line reply); for STARTTASK/STOPTASK the reply is the ``UPDATETASK OK``
line for the requested id (ruling 9). A timeout or a closed connection ends
the reply early and is flagged, so a case records a failure rather than
crashing. Every exchange goes to the recorder, passwords redacted.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from nabat.conformance.server.evidence import LineExchange
from nabat.conformance.server.wire import CRLF, Line, decode_line, encode_line, redacted

Recorder = Callable[[LineExchange], None]
ABONENT_SHAPE = frozenset({"ADDABONENT", "UPDATEABONENT", "GETABONENT"})
STATUS_REPLY = frozenset({"STARTTASK", "STOPTASK", "UPDATETASK"})
HASP_WAIT = 2.0


@dataclass(frozen=True)
class Abonent:
    fields: tuple[str, ...]
    phones: tuple[tuple[str, ...], ...]
    emails: tuple[str, ...]


@dataclass
class Reply:
    word: str
    lines: list[Line] = field(default_factory=list)
    set_aside: list[Line] = field(default_factory=list)
    interleaved: list[Line] = field(default_factory=list)
    hasp: Line | None = None
    timed_out: bool = False
    closed: bool = False

    @property
    def first(self) -> Line | None:
        return self.lines[0] if self.lines else None

    @property
    def status(self) -> str:
        return self.first.status if self.first else ""

    @property
    def ok(self) -> bool:
        return self.status == "OK"

    @property
    def code(self) -> str:
        """The error code of the reply ('' when it is not an error)."""
        last = self.lines[-1] if self.lines else None
        return last.status if last is not None and last.is_error else ""

    @property
    def args(self) -> tuple[str, ...]:
        return self.first.args if self.first else ()

    @property
    def rows(self) -> list[tuple[str, ...]]:
        return [line.args for line in self.lines if line.status == "DATA"]

    @property
    def ended(self) -> bool:
        return bool(self.lines) and self.lines[-1].status == "END"

    def abonents(self) -> list[Abonent]:
        """Abonent entries of an abonent reply or listing (DATA/OK then PHONE/EMAIL)."""
        found: list[Abonent] = []
        fields: tuple[str, ...] | None = None
        phones: list[tuple[str, ...]] = []
        emails: list[str] = []
        for line in self.lines:
            if line.status in ("OK", "DATA"):
                if fields is not None:
                    found.append(Abonent(fields, tuple(phones), tuple(emails)))
                fields, phones, emails = line.args, [], []
            elif line.status == "PHONE":
                phones.append(line.args)
            elif line.status == "EMAIL":
                emails.append(line.args[0] if line.args else "")
        if fields is not None:
            found.append(Abonent(fields, tuple(phones), tuple(emails)))
        return found

    def file_data(self) -> bytes | None:
        """The bytes of a file reply's DATA lines (None if a line is not hex)."""
        try:
            return b"".join(bytes.fromhex(row[0]) for row in self.rows if row)
        except ValueError:
            return None

    def describe(self) -> str:
        if self.timed_out and not self.lines:
            return "no reply (timeout)"
        if self.closed and not self.lines:
            return "connection closed without a reply"
        shown = " | ".join(_cut(line.readable(), 80) for line in self.lines[:3])
        more = f" ... ({len(self.lines)} lines)" if len(self.lines) > 3 else ""
        tail = " [timeout]" if self.timed_out else " [closed]" if self.closed else ""
        return shown + more + tail


def _cut(text: str, limit: int) -> str:
    """``text`` cut at a word boundary within ``limit`` characters, marked with '...'."""
    if len(text) <= limit:
        return text
    head = text[:limit].rsplit(" ", 1)[0]
    return (head if len(head) > limit // 2 else text[:limit]) + "..."


@dataclass(frozen=True)
class Target:
    host: str
    port: int
    ssl_context: ssl.SSLContext
    server_name: str | None
    timeout: float

    def connect(self, label: str, recorder: Recorder | None = None) -> Connection:
        raw = socket.create_connection((self.host, self.port), timeout=self.timeout)
        try:
            sock = self.ssl_context.wrap_socket(raw, server_hostname=self.server_name or self.host)
        except BaseException:
            raw.close()
            raise
        return Connection(sock, label, recorder, self.timeout)


class Connection:
    def __init__(self, sock: ssl.SSLSocket, label: str, recorder: Recorder | None,
                 timeout: float) -> None:
        self.sock = sock
        self.label = label
        self.recorder = recorder
        self.timeout = timeout
        self.buffer = b""
        self.closed = False
        self.unsolicited: list[Line] = []
        self.unsolicited_inside: list[Line] = []
        self.hasp: Line | None = None

    # --- reading -----------------------------------------------------------
    def read_line(self, timeout: float | None = None) -> Line | None:
        """The next line, or None on timeout / close (``self.closed`` tells which)."""
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        while b"\n" not in self.buffer:
            if self.closed:
                return None
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            self.sock.settimeout(remaining)
            try:
                chunk = self.sock.recv(65536)
            except TimeoutError:
                return None
            except (ssl.SSLError, OSError):
                chunk = b""
            if not chunk:
                self.closed = True
                return None
            self.buffer += chunk
        raw, _, self.buffer = self.buffer.partition(b"\n")
        if raw.endswith(b"\r"):
            return decode_line(raw[:-1])
        return decode_line(raw, bare_lf=True)

    def collect(self, word: str, task_id: str | None = None) -> Reply:
        """Gather the reply to a request with command word ``word``."""
        reply = Reply(word)
        inside = False
        while True:
            line = self.read_line()
            if line is None:
                reply.timed_out = not self.closed
                reply.closed = self.closed
                return reply
            if line.word == "UPDATETASK" and line.status == "OK":
                ours = word in STATUS_REPLY and (task_id is None or line.args[:1] == (task_id,))
                if not ours or inside:
                    reply.set_aside.append(line)
                    self.unsolicited.append(line)
                    if inside:
                        reply.interleaved.append(line)
                        self.unsolicited_inside.append(line)
                    continue
            reply.lines.append(line)
            if line.is_error:
                return reply
            if line.status == "BEGIN" or (line.status == "OK" and word in ABONENT_SHAPE):
                inside = True
                continue
            if inside and line.status != "END":
                continue
            return reply

    # --- writing -----------------------------------------------------------
    def _send(self, data: bytes) -> str | None:
        try:
            self.sock.settimeout(self.timeout)
            self.sock.sendall(data)
        except (OSError, ssl.SSLError) as exc:
            self.closed = True
            return f"send failed: {exc}"
        return None

    def _record(self, sent: Sequence[bytes], reply: Reply, started: float,
                error: str | None = None) -> None:
        if self.recorder is None:
            return
        received = [line.raw for line in reply.lines]
        if reply.hasp is not None:
            received.insert(1, reply.hasp.raw)
        if error is None and reply.timed_out:
            error = "timed out waiting for the reply"
        elif error is None and reply.closed and not reply.lines:
            error = "connection closed"
        self.recorder(LineExchange(
            self.label, tuple(line.rstrip(b"\r\n") for line in sent), tuple(received),
            tuple(line.raw for line in reply.set_aside),
            (time.perf_counter() - started) * 1000.0, error,
        ))

    def request_lines(self, word: str, lines: Sequence[Sequence[str]],
                      task_id: str | None = None) -> Reply:
        """Send ``word`` lines (each a parameter list) and gather one reply."""
        started = time.perf_counter()
        data = [encode_line(word, params) for params in lines]
        shown = [encode_line(word, redacted(word, params)) for params in lines]
        error = self._send(b"".join(data))
        reply = Reply(word, closed=True) if error else self.collect(word, task_id)
        self._record(shown, reply, started, error)
        return reply

    def request_multiline(self, word: str, lines: Sequence[Sequence[str]]) -> Reply:
        """A multi-line request; when the reply is an error, :meth:`sync` so that the
        error lines of the rest of the dropped request (one per line) are read too."""
        reply = self.request_lines(word, lines)
        if reply.code:
            self.sync()
        return reply

    def sync(self) -> list[Line]:
        """Send PING and read up to its reply (whatever its status): returns the lines
        that arrived before it, the rest of an earlier exchange."""
        started = time.perf_counter()
        error = self._send(encode_line("PING"))
        reply = Reply("PING", closed=error is not None)
        skipped: list[Line] = []
        while error is None:
            line = self.read_line()
            if line is None:
                reply.timed_out, reply.closed = not self.closed, self.closed
                break
            if line.word == "PING":
                reply.lines.append(line)
                break
            skipped.append(line)
        self._record([encode_line("PING")], Reply("PING", [*skipped, *reply.lines]), started,
                     error)
        return skipped

    def request(self, word: str, *params: str) -> Reply:
        task_id = params[0] if word in STATUS_REPLY and params else None
        return self.request_lines(word, [params], task_id)

    def send_raw(self, data: bytes, word: str, *, record_as: bytes | None = None) -> Reply:
        """Send bytes as they are (a malformed line, say) and gather one reply."""
        started = time.perf_counter()
        error = self._send(data)
        reply = Reply(word, closed=True) if error else self.collect(word)
        self._record([record_as if record_as is not None else data], reply, started, error)
        return reply

    def receive(self, word: str) -> Reply:
        """Gather a reply to something sent earlier (recorded with nothing sent)."""
        started = time.perf_counter()
        reply = self.collect(word)
        self._record([], reply, started)
        return reply

    def login(self, login: str, password: str) -> Reply:
        """LOGIN; on success the HASP line is read, then a PING marks the end of
        the login reply, so a missing HASP line costs no timeout."""
        started = time.perf_counter()
        sent = [encode_line("LOGIN", redacted("LOGIN", [login, password]))]
        error = self._send(encode_line("LOGIN", [login, password]))
        reply = Reply("LOGIN", closed=True) if error else self.collect("LOGIN")
        if reply.ok:
            sent.append(encode_line("PING"))
            self._send(encode_line("PING"))
            line = self.read_line(max(self.timeout, HASP_WAIT))
            if line is not None and line.word == "HASP":
                reply.hasp = line
                self.hasp = line
                line = self.read_line()
            if line is not None:
                reply.lines.append(line)
        self._record(sent, reply, started, error)
        return reply

    def close(self) -> None:
        if not self.closed:
            with contextlib.suppress(OSError):
                self.sock.sendall(encode_line("QUIT"))
        with contextlib.suppress(OSError):
            self.sock.close()
        self.closed = True


def line_bytes(text: str) -> bytes:
    """``text`` as cp1251 bytes with CRLF: for handcrafted raw lines."""
    return text.encode("cp1251") + CRLF
