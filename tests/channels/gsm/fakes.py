"""Small fakes for the GSM driver's unit tests: a manual clock and a scripted serial port.

``ManualClock`` is a driver ``Clock`` whose time moves only on ``advance``.
``ScriptedSerial`` is a pyserial-like port: each command line the driver
writes (up to CR) is answered by ``respond(line)`` (text; CR LF framing is
the caller's), an SMS body (up to Ctrl-Z) by ``respond_body(body)``, and
``inject`` puts unsolicited bytes on the line. ``read`` blocks up to its
timeout like pyserial's. ``FakeModem`` is a responder for the common
27.007 commands with a per-dialect identity, recording every command.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable


class ManualClock:
    def __init__(self, start: float = 1000.0) -> None:
        self.time = start
        self._sleepers: list[tuple[float, asyncio.Future[None]]] = []

    def now(self) -> float:
        return self.time

    async def sleep(self, seconds: float) -> None:
        if seconds <= 0:
            await asyncio.sleep(0)
            return
        future = asyncio.get_running_loop().create_future()
        self._sleepers.append((self.time + seconds, future))
        await future

    @property
    def sleepers(self) -> int:
        """How many sleeps wait on this clock (a sleep registers when its task first runs)."""
        return sum(1 for _, future in self._sleepers if not future.done())

    def advance(self, seconds: float) -> None:
        self.time += seconds
        due = [entry for entry in self._sleepers if entry[0] <= self.time]
        self._sleepers = [entry for entry in self._sleepers if entry[0] > self.time]
        for _, future in due:
            if not future.done():
                future.set_result(None)


def ok(*lines: str) -> str:
    return "".join(f"\r\n{line}\r\n" for line in lines) + "\r\nOK\r\n"


class ScriptedSerial:
    def __init__(
        self,
        respond: Callable[[str], str | None],
        respond_body: Callable[[str], str] | None = None,
        timeout: float = 0.01,
    ) -> None:
        self.respond = respond
        self.respond_body = respond_body or (lambda body: "\r\nERROR\r\n")
        self.timeout = timeout
        self.written = bytearray()
        self.lines: list[str] = []
        self._pending = bytearray()
        self._out = bytearray()
        self._cond = threading.Condition()
        self._in_body = False
        self.closed = False
        self.broken = False

    # --- pyserial's side ---------------------------------------------------------
    def read(self, size: int = 1) -> bytes:
        with self._cond:
            if not self._out and not self.broken:
                self._cond.wait(self.timeout)
            if self.broken:
                raise OSError("device disconnected")
            data = bytes(self._out[:size])
            del self._out[:size]
            return data

    @property
    def in_waiting(self) -> int:
        with self._cond:
            return len(self._out)

    def write(self, data: bytes) -> int:
        if self.broken:
            raise OSError("device disconnected")
        self.written += data
        self._pending += data
        while True:
            stop = 0x1A if self._in_body else 0x0D
            end = self._pending.find(bytes([stop]))
            if end < 0:
                break
            chunk = bytes(self._pending[:end]).decode("latin-1")
            del self._pending[: end + 1]
            if self._in_body:
                self._in_body = False
                self.inject(self.respond_body(chunk))
                continue
            line = chunk.strip("\x1b\r\n ")
            if not line:
                continue
            self.lines.append(line)
            answer = self.respond(line)
            if answer is not None:
                self.inject(answer)
                if answer.endswith("> "):
                    self._in_body = True
        return len(data)

    def close(self) -> None:
        self.closed = True
        with self._cond:
            self._cond.notify_all()

    # --- the test's side ----------------------------------------------------------
    def inject(self, data: str | bytes) -> None:
        raw = data.encode("latin-1") if isinstance(data, str) else data
        with self._cond:
            self._out += raw
            self._cond.notify_all()

    def unplug(self) -> None:
        with self._cond:
            self.broken = True
            self._cond.notify_all()


class FakeModem:
    """Answers the driver's start-up and health commands like a plain modem."""

    def __init__(self, manufacturer: str = "Nabat", model: str = "NBT-1") -> None:
        self.manufacturer = manufacturer
        self.model = model
        self.pin_state = "READY"
        self.pin = "1234"
        self.registration = 1
        self.silent = False
        self.extra: dict[str, str] = {}

    def __call__(self, line: str) -> str | None:
        if self.silent:
            return None
        command = line.upper()
        if command in self.extra:
            return self.extra[command]
        if command.startswith("AT+CMGS="):
            return "\r\n> "
        if command.startswith("AT+CPIN="):
            if line.split("=", 1)[1].strip('"') == self.pin:
                self.pin_state = "READY"
                return ok()
            return "\r\n+CME ERROR: 16\r\n"
        answers = {
            "AT+CGMI": ok(self.manufacturer),
            "AT+CGMM": ok(self.model),
            "AT+CGSN": ok("490154203237518"),
            "AT+CPIN?": ok(f"+CPIN: {self.pin_state}"),
            "AT+CSQ": ok("+CSQ: 17,99"),
            "AT+CREG?": ok(f"+CREG: 0,{self.registration}"),
            "AT+CMGL=4": ok(),
        }
        return answers.get(command, ok())
