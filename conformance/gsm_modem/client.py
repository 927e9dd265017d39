"""A blocking AT client over a :class:`~nabat.conformance.gsm_modem.port.Port`.

``command("AT+CSQ")`` writes the line with its CR and reads until the final
result code (or the SMS prompt when ``prompt=True``, or the timeout), sorting
the lines with :mod:`~nabat.conformance.gsm_modem.lines`: the echo, the
information text, the final result, and unsolicited codes. An unsolicited
code that arrives after the answer began (after its echo or first
information line) is kept in ``Response.inside``: a modem must not put one
there. Every other unsolicited line goes to ``client.urcs`` (with the second
line of ``+CMT`` / PDU ``+CDS``), where :meth:`AtClient.wait_for` finds it.
``send_body`` types an SMS body after the prompt and ends it with Ctrl-Z or
Esc. Each command or wait becomes one
:class:`~nabat.conformance.gsm_modem.evidence.AtExchange` handed to
``recorder`` (the case's evidence) holding the bytes of the tape it used.

A modem that gives no final result within the timeout is probed once with
``AT``; when that is unanswered too the client counts the modem as silent and
later commands return at once as timed out, so a dead modem fails the run
quickly instead of waiting out every command.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from nabat.conformance.gsm_modem import lines
from nabat.conformance.gsm_modem.evidence import AtExchange
from nabat.conformance.gsm_modem.port import Port

CR = b"\r"
CTRL_Z = b"\x1a"
ESC = b"\x1b"
PROBE_TIMEOUT = 1.0
Recorder = Callable[[AtExchange], None]


@dataclass
class Response:
    command: str
    echo: str | None = None
    lines: list[str] = field(default_factory=list)
    final: str | None = None
    inside: list[str] = field(default_factory=list)  # URCs inside the answer (a violation)
    early: list[str] = field(default_factory=list)  # URCs before the answer's first line
    raw: bytes = b""  # every byte of the answer, as read
    prompt: bool = False
    timed_out: bool = False
    elapsed: float = 0.0

    @property
    def ok(self) -> bool:
        return self.final == "OK"

    @property
    def framed(self) -> bytes:
        """``raw`` without the unsolicited lines that came before the answer began (a
        modem may report something just as a command arrives): what framing checks read."""
        data = self.raw
        for line in self.early:
            data = data.replace(b"\r\n" + line.encode("latin-1") + b"\r\n", b"", 1)
        return data

    @property
    def error(self) -> bool:
        return lines.is_error(self.final)

    def cme(self) -> str | None:
        return lines.error_code(self.final, "+CME")

    def cms(self) -> str | None:
        return lines.error_code(self.final, "+CMS")

    def info(self, prefix: str) -> list[str]:
        """The values of information lines that start with ``prefix`` (prefix removed)."""
        return [line[len(prefix):].strip() for line in self.lines if line.startswith(prefix)]

    def first(self, prefix: str) -> str | None:
        found = self.info(prefix)
        return found[0] if found else None

    def describe(self) -> str:
        if self.timed_out and self.final is None:
            shown = " | ".join(self.lines[:3])
            return f"no final result code (timeout){': ' + shown if shown else ''}"
        if self.prompt:
            return "the > prompt"
        body = " | ".join([*self.lines[:4], self.final or ""])
        return body.strip(" |")


def values(text: str) -> list[str]:
    """Comma-separated parameters, a quoted one kept whole with its quotes:
    ``0,"SM, ME",3`` -> ``['0', '"SM, ME"', '3']``; empty ones stay empty."""
    found: list[str] = []
    current: list[str] = []
    quoted = False
    for char in text:
        if char == '"':
            quoted = not quoted
        if char == "," and not quoted:
            found.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    found.append("".join(current).strip())
    return found


def unquote(value: str) -> str:
    return value[1:-1] if len(value) >= 2 and value[0] == value[-1] == '"' else value


class AtClient:
    def __init__(self, port: Port, timeout: float, recorder: Recorder | None = None) -> None:
        self.port = port
        self.timeout = timeout
        self.recorder = recorder
        self.numeric = False  # ATV0 in force
        self.silent = False  # the modem stopped answering
        self.at_prompt = False  # a prompt was answered and no body followed yet
        self.urcs: list[str] = []
        self._buffer = b""
        self._pending_second: str | None = None
        self._taken_at = 0  # where wait_for found its line in urcs

    # --- reading ---------------------------------------------------------------------
    def _lines_until(self, deadline: float, prompt: bool = False) -> tuple[list[str], bool]:
        """Read until complete lines arrive (or, when ``prompt``, the SMS prompt) or the
        deadline passes; returns those lines and whether the prompt ended the read."""
        while True:
            complete, rest = lines.split_lines(self._buffer)
            if complete:
                self._buffer = rest
                return [lines.text_of(raw) for raw in complete], False
            if prompt and lines.ends_in_prompt(rest):
                return [], True
            if time.monotonic() >= deadline:
                return [], False
            self._buffer += self.port.read_some()

    def _take_urc(self, line: str) -> None:
        if self._pending_second is not None:
            self.urcs.append(f"{self._pending_second}\n{line}")
            self._pending_second = None
        elif lines.second_line_follows(line):
            self._pending_second = line
        else:
            self.urcs.append(line)

    def _record(self, label: str, outcome: str, start: int, started: float) -> None:
        if self.recorder is not None:
            chunks = tuple(self.port.tape[start:])
            self.recorder(AtExchange(label, outcome, chunks,
                                     (time.monotonic() - started) * 1000.0))

    # --- commands ------------------------------------------------------------------------
    def command(self, text: str, *, timeout: float | None = None, prompt: bool = False,
                label: str | None = None) -> Response:
        """Send ``text`` + CR and read its answer."""
        return self.send(text.encode("latin-1") + CR, text, timeout=timeout, prompt=prompt,
                         label=label)

    def send(self, data: bytes, command: str, *, timeout: float | None = None,
             prompt: bool = False, label: str | None = None) -> Response:
        """Write ``data`` and read the answer to ``command`` (as it would be echoed)."""
        started = time.monotonic()
        start = len(self.port.tape)
        response = Response(command)
        if self.silent:
            response.timed_out = True
            self._record(label or command, "not sent: the modem stopped answering", start,
                         started)
            return response
        self._take_pending()
        answer_start = len(self.port.tape)
        self.port.write(data)
        self._read_answer(response, lines.Expectation.of(command, self.numeric), prompt,
                          started + (self.timeout if timeout is None else timeout))
        response.elapsed = time.monotonic() - started
        response.raw = b"".join(c.data for c in self.port.tape[answer_start:]
                                if c.direction == "rx")
        self.at_prompt = response.prompt
        if response.timed_out:
            self._probe()
        outcome = ("prompt" if response.prompt else response.final
                   or ("timeout" if response.timed_out else "?"))
        self._record(label or command, outcome, start, started)
        return response

    def _read_answer(self, response: Response, expectation: lines.Expectation, prompt: bool,
                     deadline: float) -> None:
        begun = False
        while True:
            found, at_prompt = self._lines_until(deadline, prompt)
            for position, line in enumerate(found):
                if self._pending_second is not None:
                    self._take_urc(line)
                    continue
                kind = lines.classify(line, expectation, seen_info=begun)
                if kind is lines.Kind.ECHO and response.echo is None:
                    response.echo = line
                    begun = True
                elif kind is lines.Kind.FINAL:
                    response.final = lines.final_word(line, expectation)
                    for later in found[position + 1:]:  # written after the answer
                        self._take_urc(later)
                    return
                elif kind is lines.Kind.URC:
                    (response.inside if begun else response.early).append(line)
                    self._take_urc(line)
                else:
                    response.lines.append(line)
                    begun = True
            if at_prompt:
                response.prompt = True
                self._buffer = b""
                return
            if not found and time.monotonic() >= deadline:
                response.timed_out = True
                return

    def _probe(self) -> None:
        """After a timeout: does the modem still answer a plain AT?"""
        self.port.write(b"AT\r")
        expectation = lines.Expectation.of("AT", self.numeric)
        probe = Response("AT")
        self._read_answer(probe, expectation, False, time.monotonic() + PROBE_TIMEOUT)
        if probe.final is None:
            self.silent = True

    def send_body(self, body: bytes, *, cancel: bool = False, timeout: float | None = None,
                  label: str = "SMS body") -> Response:
        """After the prompt: type ``body`` then Ctrl-Z (send) or Esc (cancel)."""
        end = ESC if cancel else CTRL_Z
        return self.send(body + end, "", timeout=timeout,
                         label=f"{label} + {'Esc' if cancel else 'Ctrl-Z'}")

    # --- unsolicited codes -----------------------------------------------------------------
    def wait_for(self, predicate: Callable[[str], bool], timeout: float,
                 label: str) -> str | None:
        """The first unsolicited line (already seen or arriving within ``timeout`` s) that
        satisfies ``predicate``; it is removed from ``urcs``."""
        started = time.monotonic()
        start = len(self.port.tape)
        deadline = started + timeout
        found: str | None = None
        while found is None:
            for index, urc in enumerate(self.urcs):
                if predicate(urc):
                    found = self.urcs.pop(index)
                    self._taken_at = index
                    break
            if found is not None or time.monotonic() >= deadline or self.silent:
                break
            new, _ = self._lines_until(deadline)
            for line in new:
                self._take_urc(line)
        self._record(f"waiting for {label}", found or "nothing within "
                     f"{timeout:g} s", start, started)
        return found

    def next_line(self, timeout: float, label: str) -> str | None:
        """The unsolicited line that came right after the one ``wait_for`` returned last
        (waiting up to ``timeout`` s when none has come yet)."""
        if self._taken_at < len(self.urcs):
            return self.urcs.pop(self._taken_at)
        return self.wait_for(lambda _line: True, timeout, label)

    def listen(self, seconds: float, label: str = "listening") -> list[str]:
        """Unsolicited lines arriving within ``seconds`` (kept in ``urcs`` too)."""
        before = len(self.urcs)
        self.wait_for(lambda _line: False, seconds, label)
        return self.urcs[before:]

    def silence(self, seconds: float, label: str) -> bytes:
        """Every byte the modem sends within ``seconds`` (nothing, if it is quiet)."""
        started = time.monotonic()
        start = len(self.port.tape)
        seen = bytearray(self._buffer)
        self._buffer = b""
        while time.monotonic() < started + seconds:
            seen += self.port.read_some()
        self._record(label, f"{len(seen)} bytes", start, started)
        return bytes(seen)

    def write_raw(self, data: bytes, label: str) -> None:
        """Write bytes that expect no answer of their own (recorded)."""
        started = time.monotonic()
        start = len(self.port.tape)
        self.port.write(data)
        self._record(label, "written", start, started)

    def _take_pending(self) -> None:
        """Before a command: output already waiting (unsolicited codes, or the late
        answer of a command that timed out) is taken as unsolicited, so it is never
        read as the new command's answer."""
        self._buffer += self.port.read_waiting()
        complete, self._buffer = lines.split_lines(self._buffer)
        for raw in complete:
            self._take_urc(lines.text_of(raw))
