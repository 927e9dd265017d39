"""The modem's side of the AT line (V.250 §5): command lines in, parsed commands out.

How it works: ``CommandLineReader`` is fed the bytes a terminal sends. In
command state it collects one line up to the S3 character (CR by default),
applies S5 (backspace) editing, ignores LF and other control characters,
skips anything before the ``AT`` prefix (either case), and answers ``A/`` at
once with the previous line again. Lines longer than ``max_line`` become a
``LineOverflow`` event. ``start_sms_body()`` (after AT+CMGS/+CMGW has printed
its ``> `` prompt) switches it to body state: bytes collect until Ctrl-Z
(0x1A, send) or ESC (0x1B, cancel) and come out as one ``SmsBody``; each CR
inside a body also gives a ``BodyLineBreak`` so the modem can prompt again.
The two states are an Enum with a transition table; an illegal switch raises.

``parse_command_line`` splits the text after ``AT`` into commands (§5.2.1):
basic ones (``E0``, ``V1``, ``&F``, ``H``, ``A``, ``D<dial string>[;]``),
S-parameters (``S0?``, ``S0=2``, ``S0=?``) and extended ones with any of the
vendor prefixes ``+ ^ $ % * # !`` as action ``+CLCC``, set ``+CMGF=1``, read
``+CMGF?`` or test ``+CMGF=?``, separated by ``;``. Spaces outside quoted
strings are ignored; names are upper-cased. Arguments are strings: quoted
ones unescaped (``\\HH`` is the character with that hex code, §5.4.2.2), bare
ones as written (numbers stay strings), an omitted one is ``""``. A syntax
error is part of the result (``error``), together with the commands before
it, since V.250 executes those and then answers ERROR.

Public API::

    class CommandKind(Enum): ACTION, SET, READ, TEST
    @dataclass AtCommand(name, kind, args=(), quoted=())
    @dataclass ParsedLine(commands: tuple[AtCommand, ...], error: str | None)
    parse_command_line(body: str) -> ParsedLine            # the text after "AT"
    quote_string(value: str) -> str                        # '"..."' with \\HH escapes
    format_command(command: AtCommand) -> str              # '+CMGS="+7900...",145'
    format_command_line(commands: Iterable[AtCommand]) -> str   # 'AT+CMGF=1;+CSCS="GSM"'
    split_arguments(text: str) -> tuple[tuple[str, ...], tuple[bool, ...]]  # ValueError
    class ReaderState(Enum): COMMAND, BODY
    class BodyOutcome(Enum): SEND, CANCEL, OVERFLOW
    events: CommandLine(text, body, parsed, repeated), LineOverflow(length),
            SmsBody(content: bytes, outcome), BodyLineBreak()
    class CommandLineReader(s3=13, s5=8, max_line=1024, max_body=4096):
        feed(data: bytes) -> list[ReaderEvent]; start_sms_body(); state; s3; s5

Text is handled as ISO 8859-1 so every byte maps to one character and back.
No I/O.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

_EXTENDED_PREFIXES = "+^$%*#!"
_NAME_CHARS = set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!%-./:_")
_HEXDIGITS = set("0123456789abcdefABCDEF")
CTRL_Z = 0x1A
ESC = 0x1B


class CommandKind(enum.Enum):
    ACTION = "action"  # +CLCC, or a basic command such as E0
    SET = "set"  # +CMGF=1
    READ = "read"  # +CMGF?
    TEST = "test"  # +CMGF=?


@dataclass(frozen=True)
class AtCommand:
    name: str
    kind: CommandKind
    args: tuple[str, ...] = ()
    quoted: tuple[bool, ...] = ()


@dataclass(frozen=True)
class ParsedLine:
    commands: tuple[AtCommand, ...]
    error: str | None = None


def _unquote(text: str, start: int) -> tuple[str, int]:
    """The string constant opening at ``text[start]`` and the index after its closing quote."""
    out: list[str] = []
    index = start + 1
    while index < len(text):
        char = text[index]
        if char == '"':
            return "".join(out), index + 1
        pair = text[index + 1 : index + 3]
        if char == "\\" and len(pair) == 2 and set(pair) <= _HEXDIGITS:
            out.append(chr(int(pair, 16)))
            index += 3
            continue
        out.append(char)
        index += 1
    raise ValueError("unterminated string constant")


def split_arguments(text: str) -> tuple[tuple[str, ...], tuple[bool, ...]]:
    """Comma-separated values: quoted ones unescaped, bare ones stripped.

    ValueError for an unterminated string or text after a closing quote."""
    args: list[str] = []
    quoted: list[bool] = []
    index = 0
    while True:
        while index < len(text) and text[index] == " ":
            index += 1
        if index < len(text) and text[index] == '"':
            value, index = _unquote(text, index)
            while index < len(text) and text[index] == " ":
                index += 1
            if index < len(text) and text[index] != ",":
                raise ValueError(f"unexpected {text[index]!r} after a string constant")
            args.append(value)
            quoted.append(True)
        else:
            end = text.find(",", index)
            end = len(text) if end < 0 else end
            value = text[index:end].strip()
            if '"' in value:
                raise ValueError("quote inside a bare value")
            args.append(value)
            quoted.append(False)
            index = end
        if index >= len(text):
            return tuple(args), tuple(quoted)
        index += 1  # the comma


def _strip_spaces(body: str) -> str:
    """Remove spaces outside string constants (V.250 §5.2.1 ignores them)."""
    out: list[str] = []
    in_string = False
    for char in body:
        if char == '"':
            in_string = not in_string
        if char == " " and not in_string:
            continue
        out.append(char)
    return "".join(out)


def _argument_end(body: str, start: int) -> int:
    """Index of the ``;`` that ends an extended command's arguments (or len(body))."""
    in_string = False
    for index in range(start, len(body)):
        char = body[index]
        if char == '"':
            in_string = not in_string
        elif char == ";" and not in_string:
            return index
    return len(body)


def _digits(body: str, start: int) -> int:
    index = start
    while index < len(body) and body[index].isdigit():
        index += 1
    return index


def _extended(body: str, start: int) -> tuple[AtCommand, int]:
    index = start + 1
    while index < len(body) and body[index].upper() in _NAME_CHARS:
        index += 1
    name = body[start:index].upper()
    if len(name) < 2 or not name[1].isalpha():
        raise ValueError(f"bad extended command name at {start}")
    rest = body[index:]
    if rest.startswith("=?"):
        kind, index = CommandKind.TEST, index + 2
    elif rest.startswith("?"):
        kind, index = CommandKind.READ, index + 1
    elif rest.startswith("="):
        end = _argument_end(body, index + 1)
        args, quoted = split_arguments(body[index + 1 : end])
        return AtCommand(name, CommandKind.SET, args, quoted), end
    else:
        kind = CommandKind.ACTION
    if index < len(body) and body[index] != ";":
        raise ValueError(f"unexpected {body[index]!r} after {name}")
    return AtCommand(name, kind), index


def _s_parameter(body: str, start: int) -> tuple[AtCommand, int]:
    end = _digits(body, start + 1)
    if end == start + 1:
        raise ValueError(f"S-parameter without a number at {start}")
    name = "S" + str(int(body[start + 1 : end]))
    rest = body[end:]
    if rest.startswith("=?"):
        return AtCommand(name, CommandKind.TEST), end + 2
    if rest.startswith("?"):
        return AtCommand(name, CommandKind.READ), end + 1
    if rest.startswith("="):
        value_end = _digits(body, end + 1)
        value = body[end + 1 : value_end] or "0"
        return AtCommand(name, CommandKind.SET, (value,), (False,)), value_end
    raise ValueError(f"{name} needs ?, = or =?")


def _basic(body: str, start: int) -> tuple[AtCommand, int]:
    char = body[start].upper()
    if char == "D":  # the dial string runs to the end of the line or to ';' inclusive
        end = body.find(";", start + 1)
        end = len(body) if end < 0 else end + 1
        return AtCommand("D", CommandKind.ACTION, (body[start + 1 : end],), (False,)), end
    if char == "&":
        if start + 1 >= len(body) or not body[start + 1].isalpha():
            raise ValueError(f"& without a letter at {start}")
        name, index = "&" + body[start + 1].upper(), start + 2
    elif char.isalpha():
        name, index = char, start + 1
    else:
        raise ValueError(f"unexpected {body[start]!r} at {start}")
    end = _digits(body, index)
    args = (body[index:end],) if end > index else ()
    return AtCommand(name, CommandKind.ACTION, args, (False,) * len(args)), end


def parse_command_line(body: str) -> ParsedLine:
    """The commands of one command line; ``body`` is what follows the ``AT`` prefix."""
    text = _strip_spaces(body)
    commands: list[AtCommand] = []
    index = 0
    while index < len(text):
        char = text[index]
        try:
            if char == ";":
                index += 1
                continue
            if char in _EXTENDED_PREFIXES:
                command, index = _extended(text, index)
            elif char.upper() == "S":
                command, index = _s_parameter(text, index)
            else:
                command, index = _basic(text, index)
        except ValueError as error:
            return ParsedLine(tuple(commands), str(error))
        commands.append(command)
    return ParsedLine(tuple(commands))


def quote_string(value: str) -> str:
    """A V.250 string constant: quote, backslash and control characters as ``\\HH``."""
    out: list[str] = []
    for char in value:
        code = ord(char)
        if code > 0xFF:
            raise ValueError(f"{char!r} is not one byte: encode it in the TE character set first")
        out.append(f"\\{code:02X}" if char in '"\\' or code < 0x20 or code == 0x7F else char)
    return '"' + "".join(out) + '"'


def format_command(command: AtCommand) -> str:
    """One command as ``parse_command_line`` reads it (quoted args per ``command.quoted``)."""
    if command.kind is CommandKind.READ:
        return command.name + "?"
    if command.kind is CommandKind.TEST:
        return command.name + "=?"
    quoted = command.quoted or (False,) * len(command.args)
    values = [
        quote_string(arg) if is_quoted else arg
        for arg, is_quoted in zip(command.args, quoted, strict=True)
    ]
    if command.kind is CommandKind.SET:
        return command.name + "=" + ",".join(values)
    return command.name + "".join(values)


def format_command_line(commands: Iterable[AtCommand]) -> str:
    """``AT`` and the commands, extended ones separated by ``;`` as V.250 §5.2.1 wants."""
    return "AT" + ";".join(format_command(command) for command in commands)


# ---------------------------------------------------------------- the byte stream


class ReaderState(enum.Enum):
    COMMAND = "command"
    BODY = "body"


class _Event(enum.Enum):
    START_BODY = "start-body"
    END_BODY = "end-body"


_TRANSITIONS = {
    (ReaderState.COMMAND, _Event.START_BODY): ReaderState.BODY,
    (ReaderState.BODY, _Event.END_BODY): ReaderState.COMMAND,
}


class BodyOutcome(enum.Enum):
    SEND = "send"  # ended by Ctrl-Z
    CANCEL = "cancel"  # ended by ESC
    OVERFLOW = "overflow"  # longer than max_body: the modem answers an error


@dataclass(frozen=True)
class CommandLine:
    text: str  # the whole line as received after editing, junk before AT dropped
    body: str  # after the AT prefix
    parsed: ParsedLine
    repeated: bool = False  # produced by A/


@dataclass(frozen=True)
class LineOverflow:
    length: int


@dataclass(frozen=True)
class SmsBody:
    content: bytes
    outcome: BodyOutcome


@dataclass(frozen=True)
class BodyLineBreak:
    """A CR inside an SMS body: a modem prints its ``> `` prompt again."""


ReaderEvent = CommandLine | LineOverflow | SmsBody | BodyLineBreak


def _prefix_at(line: str) -> int:
    """Index just after the first ``AT`` (any case), or -1."""
    index = line.upper().find("AT")
    return -1 if index < 0 else index + 2


class CommandLineReader:
    """Bytes from the terminal in, command lines and SMS bodies out."""

    def __init__(self, s3: int = 13, s5: int = 8, max_line: int = 1024, max_body: int = 4096):
        self.s3 = s3
        self.s5 = s5
        self._max_line = max_line
        self._max_body = max_body
        self._state = ReaderState.COMMAND
        self._line: list[str] = []
        self._overflowed = False
        self._body = bytearray()
        self._last: CommandLine | None = None

    @property
    def state(self) -> ReaderState:
        return self._state

    def _move(self, event: _Event) -> None:
        target = _TRANSITIONS.get((self._state, event))
        if target is None:
            raise RuntimeError(f"{event.value} is not allowed in {self._state.value} state")
        self._state = target

    def start_sms_body(self) -> None:
        """The modem printed ``> ``: what follows is an SMS body up to Ctrl-Z or ESC."""
        self._move(_Event.START_BODY)
        self._body.clear()

    def feed(self, data: bytes) -> list[ReaderEvent]:
        events: list[ReaderEvent] = []
        for byte in data:
            if self._state is ReaderState.BODY:
                self._body_byte(byte, events)
            else:
                self._command_byte(byte, events)
        return events

    def _body_byte(self, byte: int, events: list[ReaderEvent]) -> None:
        if byte in (CTRL_Z, ESC):
            outcome = BodyOutcome.SEND if byte == CTRL_Z else BodyOutcome.CANCEL
            events.append(SmsBody(bytes(self._body), outcome))
            self._body.clear()
            self._move(_Event.END_BODY)
        elif byte == self.s5:
            del self._body[-1:]
        else:
            self._body.append(byte)
            if byte == self.s3:
                events.append(BodyLineBreak())
            if len(self._body) > self._max_body:
                events.append(SmsBody(bytes(self._body), BodyOutcome.OVERFLOW))
                self._body.clear()
                self._move(_Event.END_BODY)

    def _command_byte(self, byte: int, events: list[ReaderEvent]) -> None:
        if byte == self.s3:
            self._end_line(events)
        elif byte == self.s5:
            if self._line and not self._overflowed:
                self._line.pop()
        elif byte == ord("/") and self._line and self._line[-1] in "aA" and not self._overflowed:
            if _prefix_at("".join(self._line[:-1])) < 0:
                self._line.clear()
                self._repeat(events)
                return
            self._add(byte, events)
        elif byte >= 0x20 and byte != 0x7F:
            self._add(byte, events)

    def _add(self, byte: int, events: list[ReaderEvent]) -> None:
        if self._overflowed:
            return
        self._line.append(chr(byte))
        if len(self._line) > self._max_line:
            events.append(LineOverflow(len(self._line)))
            self._line.clear()
            self._overflowed = True

    def _end_line(self, events: list[ReaderEvent]) -> None:
        line = "".join(self._line)
        self._line.clear()
        if self._overflowed:
            self._overflowed = False
            return
        start = _prefix_at(line)
        if start < 0:
            return
        body = line[start:]
        event = CommandLine(line[start - 2 :], body, parse_command_line(body))
        self._last = event
        events.append(event)

    def _repeat(self, events: list[ReaderEvent]) -> None:
        last = self._last or CommandLine("AT", "", parse_command_line(""))
        events.append(CommandLine(last.text, last.body, last.parsed, repeated=True))
