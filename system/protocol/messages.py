"""The shapes of requests and replies, and the server's reply builders.

A request is one line (``RequestShape.LINE``) or a BEGIN ... END sequence
(``ABONENT``, ``FILE``; spec-ruling 5). A reply has one of the
``ReplyShape`` forms below; the builders here produce exactly those lines so
the server never formats a reply by hand, and ``replies.ReplyCollector``
reads the same forms back on the client side. Listing builders are
generators: a server can stream a long listing line by line.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator, Sequence

from nabat.system.protocol.errors import ErrorCode, error_line
from nabat.system.protocol.escaping import ENCODING
from nabat.system.protocol.exceptions import ProtocolError
from nabat.system.protocol.lines import Line
from nabat.system.protocol.records import Abonent, Form, HaspInfo, TaskSummary

OK = "OK"
BEGIN = "BEGIN"
DATA = "DATA"
END = "END"
PHONE = "PHONE"
EMAIL = "EMAIL"
HASP = "HASP"
UPDATETASK = "UPDATETASK"
ERROR_WORD = "ERROR"  # reply word when the request's own word was unreadable (project)
DATA_CHUNK = 2048  # file bytes per DATA line (4096 hex digits) (project)


class RequestShape(enum.Enum):
    LINE = "one line"
    ABONENT = "BEGIN, DATA, PHONE*, EMAIL*, END"
    FILE = "BEGIN, DATA*, END"


class ReplyShape(enum.Enum):
    OK = "WORD OK ..."
    LOGIN = "LOGIN OK <welcome> + HASP ..."
    TASK_STATUS = "UPDATETASK OK <id> <name> <ttype> <status>"
    LIST = "WORD BEGIN ..., WORD DATA ...*, WORD END"
    FILE = "WORD BEGIN ..., WORD DATA <hex>*, WORD END"
    ABONENT = "WORD OK <abonent>, WORD PHONE*, WORD EMAIL*, WORD END"
    ABONENT_LIST = "WORD BEGIN, (WORD DATA <abonent>, PHONE*, EMAIL*)*, WORD END"


def ok_line(word: str, params: Sequence[str] = ()) -> Line:
    return Line(word, (OK, *params))


def listing(word: str, rows: Iterable[Sequence[str]], head: Sequence[str] = ()) -> Iterator[Line]:
    """``WORD BEGIN head...``, one ``WORD DATA row...`` per row, ``WORD END``."""
    yield Line(word, (BEGIN, *head))
    for row in rows:
        yield Line(word, (DATA, *row))
    yield Line(word, (END,))


def file_listing(
    word: str, data: bytes, head: Sequence[str] = (), chunk: int = DATA_CHUNK
) -> Iterator[Line]:
    """A file as ``BEGIN head...``, ``DATA <hex>`` lines of ``chunk`` bytes, ``END``."""
    rows = ((data[at : at + chunk].hex().upper(),) for at in range(0, len(data), chunk))
    return listing(word, rows, head)


def abonent_lines(word: str, status: str, abonent: Abonent, form: Form) -> Iterator[Line]:
    """The head line (``status`` is OK, DATA), then PHONE and EMAIL lines."""
    yield Line(word, (status, *abonent.to_params(form)))
    for phone in abonent.phones:
        yield Line(word, (PHONE, *phone.to_params()))
    for email in abonent.email_params():
        yield Line(word, (EMAIL, *email))


def abonent_reply(word: str, abonent: Abonent) -> Iterator[Line]:
    """ADDABONENT / UPDATEABONENT / GETABONENT success (spec-ruling 5)."""
    yield from abonent_lines(word, OK, abonent, Form.FULL)
    yield Line(word, (END,))


def abonent_listing(word: str, abonents: Iterable[Abonent]) -> Iterator[Line]:
    """GETABONENTS: BEGIN, per abonent DATA + PHONE* + EMAIL*, END."""
    yield Line(word, (BEGIN,))
    for abonent in abonents:
        yield from abonent_lines(word, DATA, abonent, Form.FULL)
    yield Line(word, (END,))


def login_reply(welcome: str, hasp: HaspInfo) -> tuple[Line, Line]:
    return Line("LOGIN", (OK, welcome)), Line(HASP, hasp.to_params())


def task_status_line(task: TaskSummary) -> Line:
    """``UPDATETASK OK <id> <name> <ttype> <status>`` (STARTTASK, STOPTASK,
    UPDATETASK and unsolicited MONITORING lines; spec-ruling 9)."""
    return Line(UPDATETASK, (OK, *task.to_params()))


def error_reply(word: str, error: ErrorCode | str, text: str | None = None) -> Line:
    return error_line(word, error, text)


def error_reply_for(exc: ProtocolError, word: str | None = None) -> Line:
    """The reply to a codec error: the request's word when readable (or the
    ``word`` given), else ``ERROR``; the code from the exception's class; the
    exception's message as the text, made sendable: a message quoting a
    character windows-1251 lacks (an ``UnencodableText`` does) shows it as a
    ``\\uXXXX`` escape, so the error reply itself can always be encoded."""
    text = exc.message.encode(ENCODING, "backslashreplace").decode(ENCODING)
    return Line(word or exc.word or ERROR_WORD, (exc.reply_code, text))
