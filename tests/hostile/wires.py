"""What each kind of wire says when it attacks: the bytes of every attack, per protocol.

A ``Wire`` knows one protocol well enough to misuse it: the bytes a
slowloris client starts with and trickles (never completing a line or a
request head), how a client becomes greedy (logs in if it must, then
pipelines requests whose replies are large, and never reads them), inputs
far beyond the documented limits, bytes that are not the protocol at all,
and, for a protocol with a login, one failing login attempt. A protocol that
turns TLS on in the middle (explicit FTPS: ``AUTH TLS``) says so in
``start_tls``, which a half-open TLS client runs before its stalled handshake.
``LineWire`` is the TLS line protocol of ``nabat serve`` (windows-1251 lines,
codec of ``nabat.system.protocol``); ``http_wire`` is HTTP/1.1 (the
simulators); ``FtpWire`` is FTP with explicit TLS (the FTP platform);
``SmtpWire`` is SMTP with STARTTLS and AUTH (the SMTP sink).
"""

from __future__ import annotations

import asyncio
import base64
import random
from collections.abc import Callable
from dataclasses import dataclass

from nabat.system.protocol import decode_reply_line, encode_line

from tests.hostile.sockets import Connection

OVERSIZED_BYTES = 4 * 1024 * 1024  # how much of an oversized input is offered at most

Oversized = Callable[[int], bytes]  # size -> the first bytes of an input that never ends


def random_bytes(size: int, seed: int) -> bytes:
    return random.Random(seed).randbytes(size)


@dataclass(frozen=True)
class Wire:
    """The attacks' bytes for one protocol (see the module comment)."""

    name: str
    slow_start: bytes
    slow_byte: bytes
    greedy_request: bytes  # one pipelined request with a large reply
    oversized: dict[str, Oversized]
    malformed: dict[str, bytes]

    async def become_greedy(self, connection: Connection, timeout: float) -> None:
        """Whatever a client must do before its requests are served (nothing here)."""

    def failed_login(self, index: int) -> bytes | None:
        """One login attempt with a fresh name and a wrong password (None: no login)."""
        return None

    async def start_tls(self, connection: Connection, timeout: float) -> None:
        """What a client says on a plain connection before its TLS handshake
        (nothing: TLS from the first byte)."""


@dataclass(frozen=True)
class LineWire(Wire):
    """The server's line protocol; greedy clients log in as ``login``."""

    login: str = ""
    password: str = ""

    async def become_greedy(self, connection: Connection, timeout: float) -> None:
        """LOGIN then PING, reading up to PING's reply: logged in, nothing left unread."""
        request = encode_line("LOGIN", (self.login, self.password)) + encode_line("PING", ())
        connection.writer.write(request)
        async with asyncio.timeout(timeout):
            await connection.writer.drain()
            lines = [decode_reply_line(await connection.reader.readuntil(b"\r\n"))]
            while lines[-1].command != "PING":
                lines.append(decode_reply_line(await connection.reader.readuntil(b"\r\n")))
        if not any(line.command == "LOGIN" and line.params[:1] == ("OK",) for line in lines):
            raise AssertionError(f"the greedy client did not log in: {lines}")

    def failed_login(self, index: int) -> bytes:
        return bytes(encode_line("LOGIN", (f"intruder{index:06d}", "not-the-password")))


def line_wire(login: str, password: str) -> LineWire:
    return LineWire(
        name="line protocol",
        slow_start=b"L",
        slow_byte=b"O",  # a line that never ends: "LOOOO..."
        greedy_request=encode_line("GETCONFIG", ()),
        oversized={
            "endless line": lambda size: b"PING " + b"x" * size,
            "endless parameter": lambda size: b"LOGIN admin " + b"\\" * size,
        },
        malformed={
            "random bytes": random_bytes(4096, seed=9),
            "NUL bytes": b"\x00" * 512 + b"\r\n",
            "NUL inside a line": b"PI\x00NG\r\n",
            "bare LF and CR": b"PING\nPING\rPING\r\n",
            "invalid windows-1251 (0x98)": b"LOGIN \x98\x98 x\r\n",
            "UTF-8 BOM and overlong": b"\xef\xbb\xbfPING\xc0\xaf\r\n",
            "TLS record inside TLS": b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n",
        },
        login=login,
        password=password,
    )


def http_wire(greedy_path: str = "/help") -> Wire:
    head_start = b"GET /ping HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    return Wire(
        name="HTTP/1.1",
        slow_start=head_start + b"X-Slow: ",
        slow_byte=b"a",  # a header value that never ends
        greedy_request=f"GET {greedy_path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode(),
        oversized={
            "request line": lambda size: b"GET /" + b"a" * size,
            "header": lambda size: head_start + b"X-Big: " + b"b" * size,
            "header count": lambda size: head_start + b"X-N: 1\r\n" * (size // 8),
            "body": lambda size: (
                b"POST /RegisterCall HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                b"Content-Type: application/x-www-form-urlencoded\r\n"
                + f"Content-Length: {size}\r\n\r\n".encode()
                + b"a="
                + b"1" * size
            ),
            "chunked body": lambda size: (
                b"POST /RegisterCall HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                b"Transfer-Encoding: chunked\r\n\r\n" + b"4000\r\n" + b"a" * size
            ),
        },
        malformed={
            "random bytes": random_bytes(4096, seed=9),
            "NUL bytes": b"\x00" * 512 + b"\r\n\r\n",
            "NUL in header": b"GET /ping HTTP/1.1\r\nHost: 127.0.0.1\r\nX: a\x00b\r\n\r\n",
            "path not UTF-8": b"GET /%ff%fe HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
            "bad method": b"G\xffT /ping HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
            "bad version": b"GET /ping HTTP/9.9\r\nHost: 127.0.0.1\r\n\r\n",
            "TLS ClientHello": b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 64,
            "negative length": b"POST /ping HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
        },
    )


async def _ftp_reply(connection: Connection) -> str:
    """One FTP reply (the last line of a multi-line one), as text."""
    line = (await connection.reader.readuntil(b"\r\n")).decode("utf-8", "replace")
    while len(line) < 4 or line[3] == "-" or not line[:3].isdigit():
        line = (await connection.reader.readuntil(b"\r\n")).decode("utf-8", "replace")
    return line


@dataclass(frozen=True)
class FtpWire(Wire):
    """FTP (RFC 959) with explicit TLS (RFC 4217); greedy clients log in as ``login``."""

    login: str = ""
    password: str = ""

    async def _expect(self, connection: Connection, code: str, timeout: float) -> None:
        async with asyncio.timeout(timeout):
            reply = await _ftp_reply(connection)
        if not reply.startswith(code):
            raise AssertionError(f"expected an FTP {code} reply, got {reply!r}")

    async def become_greedy(self, connection: Connection, timeout: float) -> None:
        """Greeting, then USER and PASS: logged in, nothing left unread."""
        await self._expect(connection, "220", timeout)
        connection.writer.write(f"USER {self.login}\r\n".encode())
        await self._expect(connection, "331", timeout)
        connection.writer.write(f"PASS {self.password}\r\n".encode())
        await self._expect(connection, "230", timeout)

    def failed_login(self, index: int) -> bytes:
        return f"USER intruder{index:06d}\r\nPASS not-the-password\r\n".encode()

    async def start_tls(self, connection: Connection, timeout: float) -> None:
        """Greeting, then ``AUTH TLS`` answered 234: the handshake is due next."""
        await self._expect(connection, "220", timeout)
        connection.writer.write(b"AUTH TLS\r\n")
        await self._expect(connection, "234", timeout)


def ftp_wire(login: str, password: str) -> FtpWire:
    return FtpWire(
        name="FTP",
        slow_start=b"USER gu",
        slow_byte=b"e",  # a command line that never ends: "USER gueeee..."
        greedy_request=b"HELP\r\n",  # the command list, about 1 KiB
        oversized={
            "endless command": lambda size: b"NOOP " + b"x" * size,
            "endless path": lambda size: b"CWD /" + b"a/" * (size // 2),
            "many long lines": lambda size: (b"NOOP " + b"y" * 3000 + b"\r\n") * (size // 3007),
        },
        malformed={
            "random bytes": random_bytes(4096, seed=9),
            "NUL bytes": b"\x00" * 512 + b"\r\n",
            "bare CR and LF": b"NOOP\rNOOP\nNOOP\r\n",
            "path not UTF-8": b"USER guest\r\nPASS guest\r\nCWD \xff\xfe\xc0\xaf\r\n",
            "Telnet IAC": b"\xff\xf4\xff\xf2ABOR\r\n",
            "unknown command": b"XYZZY plugh\r\n",
            "TLS ClientHello on plain FTP": b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n",
            "PROT P without AUTH": b"PBSZ 0\r\nPROT P\r\nPASV\r\n",
        },
        login=login,
        password=password,
    )


async def _smtp_reply(connection: Connection) -> str:
    """One SMTP reply (the last line of a multi-line one), as text."""
    line = (await connection.reader.readuntil(b"\r\n")).decode("utf-8", "replace")
    while len(line) >= 4 and line[3] == "-":
        line = (await connection.reader.readuntil(b"\r\n")).decode("utf-8", "replace")
    return line


@dataclass(frozen=True)
class SmtpWire(Wire):
    """SMTP (RFC 5321) with STARTTLS (RFC 3207) and AUTH PLAIN (RFC 4954)."""

    async def _expect(self, connection: Connection, code: str, timeout: float) -> None:
        async with asyncio.timeout(timeout):
            reply = await _smtp_reply(connection)
        if not reply.startswith(code):
            raise AssertionError(f"expected an SMTP {code} reply, got {reply!r}")

    async def become_greedy(self, connection: Connection, timeout: float) -> None:
        """The greeting, then EHLO: ready for commands, nothing left unread."""
        await self._expect(connection, "220", timeout)
        connection.writer.write(b"EHLO greedy.test\r\n")
        await self._expect(connection, "250", timeout)

    def failed_login(self, index: int) -> bytes:
        token = base64.b64encode(f"\0intruder{index:06d}\0not-the-password".encode())
        return b"EHLO flood.test\r\nAUTH PLAIN " + token + b"\r\n"

    async def start_tls(self, connection: Connection, timeout: float) -> None:
        """Greeting, EHLO, then ``STARTTLS`` answered 220: the handshake is due next."""
        await self.become_greedy(connection, timeout)
        connection.writer.write(b"STARTTLS\r\n")
        await self._expect(connection, "220", timeout)


def smtp_wire() -> SmtpWire:
    return SmtpWire(
        name="SMTP",
        slow_start=b"EHLO sl",
        slow_byte=b"o",  # a command line that never ends
        greedy_request=b"HELP\r\n",
        oversized={
            "endless command": lambda size: b"EHLO " + b"x" * size,
            "endless address": lambda size: b"EHLO a\r\nMAIL FROM:<" + b"a" * size,
            "endless DATA": lambda size: (
                b"EHLO a\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n"
                + b"Subject: big\r\n\r\n"
                + (b"y" * 998 + b"\r\n") * (size // 1000)
            ),
        },
        malformed={
            "random bytes": random_bytes(4096, seed=9),
            "NUL bytes": b"\x00" * 512 + b"\r\n",
            "bare CR and LF": b"NOOP\rNOOP\nNOOP\r\n",
            "address not UTF-8": b"EHLO a\r\nMAIL FROM:<\xff\xfe@x>\r\n",
            "unknown command": b"XYZZY plugh\r\n",
            "RCPT before MAIL": b"EHLO a\r\nRCPT TO:<b@example.org>\r\n",
            "bad base64 AUTH": b"EHLO a\r\nAUTH PLAIN !!!!\r\n",
            "TLS ClientHello on plain SMTP": b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n",
        },
    )
