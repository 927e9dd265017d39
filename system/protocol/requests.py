"""Multi-line requests: the server assembles them, the client builds them.

ADDABONENT and UPDATEABONENT (spec-ruling 5) and SENDRAWFILE (project) are
sent as several lines of the same command word:

    ADDABONENT BEGIN                     UPDATEABONENT BEGIN <id>
    ADDABONENT DATA <13 fields>          UPDATEABONENT DATA <13 fields>
    ADDABONENT PHONE <enabled> <phone> <type>   (any number, PHONE before EMAIL)
    ADDABONENT EMAIL <email>                    (any number)
    ADDABONENT END                       UPDATEABONENT END

    SENDRAWFILE BEGIN <filename> <size>, SENDRAWFILE DATA <hex>*, SENDRAWFILE END

``RequestAssembler.feed`` walks the grammar tables below line by line and
returns a typed request at END. Any line that breaks the sequence raises
(``SequenceError``, ``ArgumentCountError``, ``InvalidField``,
``LimitExceeded``) and drops the partial request; a line of another command
raises ``InterruptedRequest`` and must then be handled as a fresh line.

An assembler made with a ``file_sink`` (the server's) never holds a file:
at SENDRAWFILE BEGIN it opens a sink for the declared name and size, each
DATA chunk is decoded and written to it as it arrives, and END hands the
sink over in the ``FileUpload`` (its ``data`` empty); a request dropped for
any reason, and ``abandon`` (the connection went), discard the sink.
Without one, the chunks are joined in memory (clients, tests).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Protocol

from nabat.system.protocol.commands import COMMANDS, Command, decode_args
from nabat.system.protocol.exceptions import (
    ArgumentCountError,
    InterruptedRequest,
    LimitExceeded,
    ProtocolError,
    SequenceError,
    TruncatedRequest,
)
from nabat.system.protocol.fields import EMAIL as EMAIL_CODEC
from nabat.system.protocol.fields import FILENAME, HEX, decode_field, encode_field
from nabat.system.protocol.lines import Line
from nabat.system.protocol.machine import Event, Grammar, Phase, advance, event_of
from nabat.system.protocol.messages import BEGIN, DATA, DATA_CHUNK, END, RequestShape, file_listing
from nabat.system.protocol.messages import abonent_lines as _abonent_lines
from nabat.system.protocol.records import Abonent, Form, Phone

P = Phase
ABONENT_REQUEST: Grammar = {
    (P.IDLE, Event.BEGIN): P.HEAD,
    (P.HEAD, Event.DATA): P.RECORD,
    (P.RECORD, Event.PHONE): P.PHONES,
    (P.RECORD, Event.EMAIL): P.EMAILS,
    (P.RECORD, Event.END): P.DONE,
    (P.PHONES, Event.PHONE): P.PHONES,
    (P.PHONES, Event.EMAIL): P.EMAILS,
    (P.PHONES, Event.END): P.DONE,
    (P.EMAILS, Event.EMAIL): P.EMAILS,
    (P.EMAILS, Event.END): P.DONE,
}
FILE_REQUEST: Grammar = {
    (P.IDLE, Event.BEGIN): P.ROWS,
    (P.ROWS, Event.DATA): P.ROWS,
    (P.ROWS, Event.END): P.DONE,
}
GRAMMARS: dict[RequestShape, Grammar] = {
    RequestShape.ABONENT: ABONENT_REQUEST,
    RequestShape.FILE: FILE_REQUEST,
}
_LINE_PARAMS = {Event.PHONE: len(Phone.fields()), Event.EMAIL: 1, Event.END: 0}


@dataclass(frozen=True, slots=True)
class RequestLimits:
    max_phones: int = 32
    max_emails: int = 32
    max_file_size: int = 16 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class AbonentRequest:
    """ADDABONENT (``abonent.id`` is None) or UPDATEABONENT (id from BEGIN)."""

    word: str
    abonent: Abonent


class FileSink(Protocol):
    """Where an upload's bytes go as they arrive (the server's temporary file)."""

    def write(self, chunk: bytes) -> None: ...

    def discard(self) -> None: ...


@dataclass(frozen=True, slots=True)
class FileUpload:
    """SENDRAWFILE: the whole file (``data``), or with a ``sink`` the sink that
    received its ``size`` bytes; the size checked against the BEGIN line."""

    word: str
    filename: str
    data: bytes
    sink: FileSink | None = field(default=None, compare=False)
    size: int | None = field(default=None, compare=False)

    @property
    def length(self) -> int:
        return len(self.data) if self.size is None else self.size


MultilineRequest = AbonentRequest | FileUpload


class RequestAssembler:
    """Server side: one per session; feed it every line of a multi-line command."""

    def __init__(
        self,
        limits: RequestLimits | None = None,
        file_sink: Callable[[str, int], FileSink] | None = None,
    ) -> None:
        self.limits = limits or RequestLimits()
        self._file_sink = file_sink
        self._sink: FileSink | None = None
        self._reset()

    def abandon(self) -> None:
        """Drop a partial request (the connection is gone); its sink is discarded."""
        self._reset()

    def _reset(self) -> None:
        sink, self._sink = self._sink, None
        if sink is not None:
            sink.discard()
        self._command: Command | None = None
        self._word = ""
        self._phase = Phase.IDLE
        self._id: int | None = None
        self._abonent: Abonent | None = None
        self._phones: list[Phone] = []
        self._emails: list[str] = []
        self._filename = ""
        self._size = 0
        self._chunks: list[bytes] = []
        self._received = 0

    @property
    def busy(self) -> bool:
        """In the middle of a multi-line request."""
        return self._command is not None

    @property
    def word(self) -> str | None:
        return self._word if self._command is not None else None

    def accepts(self, line: Line) -> bool:
        """Whether ``line`` belongs here (busy, or a multi-line command word)."""
        command = COMMANDS.get(line.command)
        return self.busy or (command is not None and command.multiline_request)

    def end_of_stream(self) -> None:
        """The peer closed: ``TruncatedRequest`` if a request was left open."""
        if self.busy:
            word = self._word
            self._reset()
            raise TruncatedRequest(f"the stream ended before {word} END", word=word)

    def feed(self, line: Line) -> MultilineRequest | None:
        """The assembled request at END, else ``None``; see the module comment."""
        if self._command is not None and line.command != self._word:
            word = self._word
            self._reset()
            raise InterruptedRequest(
                f"{line.command} arrived before {word} END; the partial {word} is dropped",
                word=word,
            )
        try:
            return self._step(line)
        except ProtocolError as exc:
            exc.word = line.command
            self._reset()
            raise

    def _step(self, line: Line) -> MultilineRequest | None:
        command = self._command or COMMANDS.get(line.command)
        if command is None or not command.multiline_request:
            raise ValueError(f"{line.command} is not a multi-line request")
        status = line.params[0] if line.params else ""
        event = event_of(status)
        if event is None or event in (Event.OK, Event.ERROR, Event.HASP):
            raise SequenceError(
                f"{line.command} needs BEGIN, DATA, PHONE, EMAIL or END, got {status[:20]!r}"
            )
        grammar = GRAMMARS[command.request]
        self._phase = advance(grammar, self._phase, event, line.command)
        args = line.params[1:]
        if event is Event.BEGIN:
            self._begin(command, line.command, args)
        elif event is Event.DATA:
            self._data(command, args)
        else:
            self._check_count(event, args)
            if event is Event.PHONE:
                self._add_phone(args)
            elif event is Event.EMAIL:
                self._add_email(args)
        if self._phase is Phase.DONE:
            request = self._finish()
            self._reset()
            return request
        return None

    def _check_count(self, event: Event, args: tuple[str, ...]) -> None:
        if len(args) != _LINE_PARAMS[event]:
            raise ArgumentCountError(
                f"{self._word} {event.value} takes {_LINE_PARAMS[event]} parameters, "
                f"got {len(args)}"
            )

    def _begin(self, command: Command, word: str, args: tuple[str, ...]) -> None:
        values = decode_args(command, args, word)
        self._command, self._word = command, word
        if command.request is RequestShape.FILE:
            self._filename, self._size = values["filename"], values["size"]
            if self._size > self.limits.max_file_size:
                raise LimitExceeded(
                    f"{word}: {self._size} bytes exceed the limit of {self.limits.max_file_size}"
                )
            if self._file_sink is not None:
                self._sink = self._file_sink(self._filename, self._size)
        else:
            self._id = values.get("id")

    def _data(self, command: Command, args: tuple[str, ...]) -> None:
        if command.request is RequestShape.ABONENT:
            self._abonent = Abonent.from_params(args, Form.NEW)
            return
        if len(args) != 1:
            raise ArgumentCountError(f"{self._word} DATA takes 1 parameter, got {len(args)}")
        chunk = decode_field("data", HEX, args[0])
        self._received += len(chunk)
        if self._received > self._size:
            raise LimitExceeded(f"{self._word}: more data than the {self._size} bytes declared")
        if self._sink is not None:
            self._sink.write(chunk)
        else:
            self._chunks.append(chunk)

    def _add_phone(self, args: tuple[str, ...]) -> None:
        if len(self._phones) >= self.limits.max_phones:
            raise LimitExceeded(f"more than {self.limits.max_phones} phones in one abonent")
        self._phones.append(Phone.from_params(args))

    def _add_email(self, args: tuple[str, ...]) -> None:
        if len(self._emails) >= self.limits.max_emails:
            raise LimitExceeded(f"more than {self.limits.max_emails} e-mails in one abonent")
        self._emails.append(decode_field("email", EMAIL_CODEC, args[0]))

    def _finish(self) -> MultilineRequest:
        if self._abonent is not None:
            abonent = replace(
                self._abonent, id=self._id, phones=tuple(self._phones), emails=tuple(self._emails)
            )
            return AbonentRequest(self._word, abonent)
        if self._received != self._size:
            raise SequenceError(
                f"{self._word} END after {self._received} of the {self._size} bytes declared"
            )
        if self._sink is not None:
            sink, self._sink = self._sink, None  # handed over: no longer discarded here
            return FileUpload(self._word, self._filename, b"", sink, self._received)
        return FileUpload(self._word, self._filename, b"".join(self._chunks))


# --- client side: the lines of a multi-line request ---------------------------


def abonent_request(abonent: Abonent, *, update: bool = False) -> list[Line]:
    """ADDABONENT (or, with ``update``, UPDATEABONENT of ``abonent.id``) lines."""
    if update:
        if abonent.id is None:
            raise ValueError("UPDATEABONENT needs the abonent's id")
        word, begin = "UPDATEABONENT", Line("UPDATEABONENT", (BEGIN, str(abonent.id)))
    else:
        word, begin = "ADDABONENT", Line("ADDABONENT", (BEGIN,))
    return [begin, *_abonent_lines(word, DATA, abonent, Form.NEW), Line(word, (END,))]


def file_upload(filename: str, data: bytes, chunk: int = DATA_CHUNK) -> list[Line]:
    """SENDRAWFILE BEGIN <filename> <size>, DATA <hex> lines, END."""
    head = (encode_field("filename", FILENAME, filename), str(len(data)))
    return list(file_listing("SENDRAWFILE", data, head, chunk))
