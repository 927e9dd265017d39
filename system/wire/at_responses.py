"""The terminal's side of the AT line (V.250 §5.7, 27.007, 27.005): modem output in, events out.

How it works: ``ResponseParser`` is fed whatever bytes the modem sends. It cuts
them into lines at CR or LF (V.250 frames responses as CR LF text CR LF with
ATV1; with ATV0 a result code is the number and a lone CR; stray CRs and bare
LFs are tolerated, empty lines skipped) and classifies each line:

* a final result code ends the command in progress: OK, CONNECT[ text],
  NO CARRIER, ERROR, NO DIALTONE, BUSY, NO ANSWER, ``+CME ERROR: <n|text>``,
  ``+CMS ERROR: <n|text>`` (the error resolved through ``at_errors``); with
  ``verbose = False`` (after ATV0) also the numeric codes 0 1 3 4 6 7 8;
* the ``> `` SMS prompt, recognised without any line end (``>`` alone is
  enough while AT+CMGS/+CMGW/+CMGC waits for it);
* the echo of the command line (ATE1);
* unsolicited result codes from ``URC_TABLE`` (RING, +CMTI, +CLIP, ...). +CMT
  and +CBM always carry a second line (the PDU, or the text in text mode);
  +CDS does in PDU mode (its header is just ``<length>``) but not in text
  mode (``+CDS: <fo>,<mr>,...`` is complete) — the header decides. A line
  that names the command in progress (``+CREG: 0,1`` after AT+CREG?) is that
  command's information line, not a URC, and NO CARRIER / BUSY / NO ANSWER
  while no command waits are URCs (a voice call ended after ATD...; OK);
* anything else while a command waits is an information line; while idle it
  is reported as an unknown URC, never dropped.

The parser's state (idle / awaiting response / awaiting prompt) is an Enum
with two transition tables: the driver's calls (``command_sent``, ``abort``)
raise on an illegal move — one command at a time, as V.250 requires — while
the modem's output never raises; an unexpected final or prompt is reported,
not obeyed. Lines longer than ``max_line`` become ``Overflow``. Bytes are
read as ISO 8859-1 so none is lost.

For the modem side, ``frame_line``/``frame_final``/``PROMPT`` write the same
framing (V1 or V0) that the parser reads.

Public API::

    class FinalKind(Enum): OK, CONNECT, NO_CARRIER, ERROR, NO_DIALTONE, BUSY, NO_ANSWER,
                           CME_ERROR, CMS_ERROR
    NUMERIC_RESULT_CODES: Mapping[str, str]          # "0" -> "OK", "2" -> "RING", ...
    classify_final(line, *, verbose=True) -> FinalResult | None
    class SecondLine(Enum): NEVER, ALWAYS, PDU_MODE
    URC_TABLE: Mapping[str, SecondLine]              # known URC names -> second-line rule
    urc_name(line) -> str                            # "+CMTI: ..." -> "+CMTI", "RING" -> "RING"
    needs_second_line(line) -> bool
    events: InfoLine(line), Echo(line), FinalResult(kind, line, error), SmsPrompt(),
            Urc(name, line, payload=None, known=True) with .value / .arguments(),
            Overflow(length)
    class ParserState(Enum): IDLE, AWAITING_RESPONSE, AWAITING_PROMPT
    class ResponseParser(verbose=True, max_line=4096):
        command_sent(line: str); abort(); feed(data: bytes) -> list[ResponseEvent]
        state; verbose (set False after ATV0)
    PROMPT: bytes ; frame_line(text, *, verbose=True) -> bytes
    frame_final(text, *, verbose=True) -> bytes

No I/O.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from nabat.system.wire.at_commands import CommandKind, parse_command_line, split_arguments
from nabat.system.wire.at_errors import ModemError, parse_error_line


class FinalKind(enum.Enum):
    OK = "OK"
    CONNECT = "CONNECT"
    NO_CARRIER = "NO CARRIER"
    ERROR = "ERROR"
    NO_DIALTONE = "NO DIALTONE"
    BUSY = "BUSY"
    NO_ANSWER = "NO ANSWER"
    CME_ERROR = "+CME ERROR"
    CMS_ERROR = "+CMS ERROR"


NUMERIC_RESULT_CODES: Mapping[str, str] = MappingProxyType(
    {
        "0": "OK",
        "1": "CONNECT",
        "2": "RING",
        "3": "NO CARRIER",
        "4": "ERROR",
        "6": "NO DIALTONE",
        "7": "BUSY",
        "8": "NO ANSWER",
    }
)
_CODE_OF = MappingProxyType({word: code for code, word in NUMERIC_RESULT_CODES.items()})
_LINE_END = re.compile(r"[\r\n]")
_CALL_ENDINGS = frozenset({FinalKind.NO_CARRIER, FinalKind.BUSY, FinalKind.NO_ANSWER})
# Call endings are the final result only of the commands that set up a call (V.250
# §6.3.1 D, §6.3.5 A); while any other command waits they report a call that ended.
_CALL_COMMANDS = frozenset({"D", "A"})
# Huawei E-series answer an unknown or malformed command with these instead of ERROR.
_VENDOR_ERRORS = frozenset({"COMMAND NOT SUPPORT", "TOO MANY PARAMETERS"})


class SecondLine(enum.Enum):
    NEVER = "never"
    ALWAYS = "always"
    PDU_MODE = "pdu-mode"  # only when the header is a bare <length>


URC_TABLE: Mapping[str, SecondLine] = MappingProxyType(
    {
        "RING": SecondLine.NEVER,
        "+CRING": SecondLine.NEVER,
        "+CLIP": SecondLine.NEVER,
        "+CCWA": SecondLine.NEVER,
        "+CMTI": SecondLine.NEVER,
        "+CMT": SecondLine.ALWAYS,
        "+CBM": SecondLine.ALWAYS,
        "+CDS": SecondLine.PDU_MODE,
        "+CDSI": SecondLine.NEVER,
        "+CREG": SecondLine.NEVER,
        "+CGREG": SecondLine.NEVER,
        "+CEREG": SecondLine.NEVER,
        "+CLCC": SecondLine.NEVER,
        "+CUSD": SecondLine.NEVER,
        "+CPIN": SecondLine.NEVER,
        "+CFUN": SecondLine.NEVER,
        "+DTMF": SecondLine.NEVER,
        "+RXDTMF": SecondLine.NEVER,
        "+QTONEDET": SecondLine.NEVER,
        "+QIND": SecondLine.NEVER,
        "^DDTMF": SecondLine.NEVER,
        "^ORIG": SecondLine.NEVER,
        "^CONF": SecondLine.NEVER,
        "^CONN": SecondLine.NEVER,
        "^CEND": SecondLine.NEVER,
        "RDY": SecondLine.NEVER,
        "CALL READY": SecondLine.NEVER,
        "SMS READY": SecondLine.NEVER,
        "NORMAL POWER DOWN": SecondLine.NEVER,
        "NO CARRIER": SecondLine.NEVER,
        "BUSY": SecondLine.NEVER,
        "NO ANSWER": SecondLine.NEVER,
    }
)

_PROMPTING = frozenset({"+CMGS", "+CMGW", "+CMGC"})


def urc_name(line: str) -> str:
    """The name a line starts with: the part before ``:`` for ``+X:``/``^X:`` lines, or the line."""
    stripped = line.strip()
    if stripped[:1] in ("+", "^", "$", "%", "*", "#", "!") and ":" in stripped:
        return stripped.split(":", 1)[0].strip().upper()
    return stripped.upper()


def needs_second_line(line: str) -> bool:
    """Whether this URC header line is followed by a PDU or text line (27.005 §3.4.1)."""
    rule = URC_TABLE.get(urc_name(line), SecondLine.NEVER)
    if rule is SecondLine.PDU_MODE:
        value = line.split(":", 1)[1].strip() if ":" in line else ""
        return value.isdigit()
    return rule is SecondLine.ALWAYS


@dataclass(frozen=True)
class FinalResult:
    kind: FinalKind
    line: str
    error: ModemError | None = None

    @property
    def ok(self) -> bool:
        return self.kind in (FinalKind.OK, FinalKind.CONNECT)


def classify_final(line: str, *, verbose: bool = True) -> FinalResult | None:
    """The final result code this line is, or None (RING is a URC, not a final)."""
    text = line.strip()
    if not verbose and text in NUMERIC_RESULT_CODES:
        text = NUMERIC_RESULT_CODES[text]
    upper = text.upper()
    error = parse_error_line(text)
    if error is not None:
        kind = FinalKind.CME_ERROR if upper.startswith("+CME") else FinalKind.CMS_ERROR
        return FinalResult(kind, line.strip(), error)
    if upper == "CONNECT" or upper.startswith("CONNECT "):
        return FinalResult(FinalKind.CONNECT, line.strip())
    if upper in _VENDOR_ERRORS:  # Huawei's words for ERROR
        return FinalResult(FinalKind.ERROR, line.strip())
    for kind in FinalKind:
        if upper == kind.value:
            return FinalResult(kind, line.strip())
    return None


@dataclass(frozen=True)
class InfoLine:
    line: str


@dataclass(frozen=True)
class Echo:
    line: str


@dataclass(frozen=True)
class SmsPrompt:
    """The ``> `` after AT+CMGS: the modem waits for the body and Ctrl-Z."""


@dataclass(frozen=True)
class Urc:
    name: str
    line: str
    payload: str | None = None  # the second line of +CMT / +CBM / PDU-mode +CDS
    known: bool = True

    @property
    def value(self) -> str:
        """The text after ``NAME:`` (empty for bare codes such as RING)."""
        return self.line.split(":", 1)[1].strip() if ":" in self.line else ""

    def arguments(self) -> tuple[str, ...]:
        """The comma-separated values of ``value``, quotes removed (ValueError if malformed)."""
        return split_arguments(self.value)[0] if self.value else ()


@dataclass(frozen=True)
class Overflow:
    length: int


ResponseEvent = InfoLine | Echo | FinalResult | SmsPrompt | Urc | Overflow


class ParserState(enum.Enum):
    IDLE = "idle"
    AWAITING_RESPONSE = "awaiting-response"
    AWAITING_PROMPT = "awaiting-prompt"


class _Move(enum.Enum):
    SEND = "send"
    SEND_PROMPTING = "send-prompting"
    ABORT = "abort"
    PROMPT = "prompt"
    FINAL = "final"


# What the driver may do: anything else raises.
_DRIVER_MOVES = {
    (ParserState.IDLE, _Move.SEND): ParserState.AWAITING_RESPONSE,
    (ParserState.IDLE, _Move.SEND_PROMPTING): ParserState.AWAITING_PROMPT,
    (ParserState.IDLE, _Move.ABORT): ParserState.IDLE,
    (ParserState.AWAITING_RESPONSE, _Move.ABORT): ParserState.IDLE,
    (ParserState.AWAITING_PROMPT, _Move.ABORT): ParserState.IDLE,
}
# What the modem's output moves: anything else leaves the state as it is.
_MODEM_MOVES = {
    (ParserState.AWAITING_PROMPT, _Move.PROMPT): ParserState.AWAITING_RESPONSE,
    (ParserState.AWAITING_PROMPT, _Move.FINAL): ParserState.IDLE,
    (ParserState.AWAITING_RESPONSE, _Move.FINAL): ParserState.IDLE,
}


class ResponseParser:
    """Modem output in, classified events out, for one command at a time."""

    def __init__(self, *, verbose: bool = True, max_line: int = 4096) -> None:
        self.verbose = verbose
        self._max_line = max_line
        self._state = ParserState.IDLE
        self._buffer: list[str] = []
        self._overflowed = False
        self._echo: str | None = None
        self._names: frozenset[str] = frozenset()
        self._header: str | None = None  # a URC waiting for its second line

    @property
    def state(self) -> ParserState:
        return self._state

    def _driver(self, move: _Move) -> None:
        target = _DRIVER_MOVES.get((self._state, move))
        if target is None:
            raise RuntimeError(f"{move.value} is not allowed while {self._state.value}")
        self._state = target

    def command_sent(self, line: str) -> None:
        """The terminal wrote ``line`` (without its CR); its answer is awaited."""
        stripped = line.strip()
        start = stripped.upper().find("AT")
        parsed = parse_command_line(stripped[start + 2 :] if start >= 0 else "")
        names = frozenset(command.name for command in parsed.commands)
        prompting = any(
            command.name in _PROMPTING and command.kind is CommandKind.SET
            for command in parsed.commands
        )
        self._driver(_Move.SEND_PROMPTING if prompting else _Move.SEND)
        self._echo = stripped
        self._names = names

    def abort(self) -> None:
        """Stop waiting (the driver's timeout); later output is treated as unsolicited."""
        self._driver(_Move.ABORT)
        self._echo = None
        self._names = frozenset()

    def _modem(self, move: _Move) -> None:
        self._state = _MODEM_MOVES.get((self._state, move), self._state)

    def feed(self, data: bytes) -> list[ResponseEvent]:
        events: list[ResponseEvent] = []
        text = data.decode("latin-1")
        position, size = 0, len(text)
        while position < size:
            found = _LINE_END.search(text, position)
            end = size if found is None else found.start()
            if end > position:
                self._take(text[position:end], events)
            if found is None:
                break
            self._end_line(events)
            position = end + 1
        return events

    def _take(self, chunk: str, events: list[ResponseEvent]) -> None:
        """Characters of one line (no CR or LF): whole chunks at once, character by
        character only while they could still be the ``> `` prompt."""
        if self._overflowed:
            return
        maybe_prompt = self._header is None and (
            (not self._buffer and chunk[0] == ">") or (self._buffer[:1] == [">"])
        )
        if not maybe_prompt:
            self._buffer.extend(chunk)
            if len(self._buffer) > self._max_line:  # reported where it crossed the bound
                events.append(Overflow(self._max_line + 1))
                self._buffer.clear()
                self._overflowed = True
            return
        for index, char in enumerate(chunk):
            self._buffer.append(char)
            if self._buffer[0] == ">" and self._is_prompt():
                self._buffer.clear()
                self._modem(_Move.PROMPT)
                events.append(SmsPrompt())
                rest = chunk[index + 1:]
                if rest:
                    self._take(rest, events)
                return
            if len(self._buffer) > self._max_line:
                events.append(Overflow(len(self._buffer)))
                self._buffer.clear()
                self._overflowed = True
                return

    def _is_prompt(self) -> bool:
        if self._buffer == [">", " "]:
            return True
        return self._buffer == [">"] and self._state is ParserState.AWAITING_PROMPT

    def _end_line(self, events: list[ResponseEvent]) -> None:
        line = "".join(self._buffer).strip()
        self._buffer.clear()
        if self._overflowed:
            self._overflowed = False
            return
        event = self._classify(line) if line else None
        if event is not None:
            events.append(event)

    def _classify(self, line: str) -> ResponseEvent | None:
        """The event for one line; None while a URC header waits for its second line."""
        if self._header is not None:
            header, self._header = self._header, None
            return Urc(urc_name(header), header, payload=line)
        waiting = self._state is not ParserState.IDLE
        if waiting and self._echo is not None and line == self._echo:
            self._echo = None
            return Echo(line)
        final = classify_final(line, verbose=self.verbose)
        if (final is not None and final.kind in _CALL_ENDINGS and waiting
                and not self._names & _CALL_COMMANDS):
            return Urc(urc_name(line), line)  # a call ended while, say, AT+CLCC waited
        if final is not None and (waiting or final.kind not in _CALL_ENDINGS):
            if waiting:
                self._modem(_Move.FINAL)
                self._echo = None
                self._names = frozenset()
                return final
            return Urc(urc_name(line), line, known=False)
        if not self.verbose and line in NUMERIC_RESULT_CODES:
            line = NUMERIC_RESULT_CODES[line]
        name = urc_name(line)
        if waiting and name in self._names:
            return InfoLine(line)
        if name in URC_TABLE:
            if needs_second_line(line):
                self._header = line
                return None
            return Urc(name, line)
        if waiting:
            return InfoLine(line)
        return Urc(name, line, known=False)


PROMPT = b"\r\n> "


def frame_line(text: str, *, verbose: bool = True) -> bytes:
    """An information or unsolicited line as the modem sends it (V1: CR LF text CR LF)."""
    body = text.encode("latin-1")
    return b"\r\n" + body + b"\r\n" if verbose else body + b"\r\n"


def frame_final(text: str, *, verbose: bool = True) -> bytes:
    """A final result code: ``\\r\\nOK\\r\\n`` with ATV1, ``0\\r`` with ATV0."""
    if verbose:
        return b"\r\n" + text.encode("latin-1") + b"\r\n"
    word = "CONNECT" if text.upper().startswith("CONNECT") else text.upper()
    code = _CODE_OF.get(word)
    return (code if code is not None else text).encode("latin-1") + b"\r"
