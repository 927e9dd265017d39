"""GETLOG: the server log of one day, streamed.

The day's file (``logfiles.log_path``) is read a batch of lines per worker
thread hop and written as it is read; it is never loaded whole. One DATA
line per log line; a log line too long for one protocol line (the session's
maximum, escaping counted) is split over several DATA lines, nothing is
cut off. Characters windows-1251 cannot represent are sent as ``?``. No
file for that day is ``ERR_NOLOGFILE``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import date
from typing import TextIO

from nabat.system.protocol import ErrorCode, Line
from nabat.system.protocol.messages import BEGIN, DATA, END
from nabat.system.server import logfiles
from nabat.system.server.context import Call, Handler, blocking
from nabat.system.server.errors import CommandFailed

BATCH = 500  # lines read per worker-thread hop
READ_LIMIT = 64 * 1024  # characters read at most at once (a huge line comes in pieces)


def _cost(char: str) -> int:
    """Bytes a cp1251 character takes on the wire (space, %, controls are %XX)."""
    code = ord(char)
    return 3 if code <= 0x20 or code == 0x7F or char == "%" else 1


def _clean(text: str) -> str:
    return text.encode("cp1251", "replace").decode("cp1251")


def split_line(text: str, room: int) -> Iterator[str]:
    """``text`` as pieces whose escaped size is at most ``room`` bytes."""
    text = _clean(text)
    if not text:
        yield ""
        return
    start, used = 0, 0
    for index, char in enumerate(text):
        cost = _cost(char)
        if used + cost > room:
            yield text[start:index]
            start, used = index, 0
        used += cost
    yield text[start:]


def _read(stream: TextIO) -> list[str]:
    lines: list[str] = []
    for _ in range(BATCH):
        line = stream.readline(READ_LIMIT)
        if not line:
            break
        lines.append(line.rstrip("\r\n"))
    return lines


async def get_log(call: Call) -> None:
    day: date = call.args["date"]
    stream = await blocking(logfiles.open_day, call.context.data_dir, day)
    if stream is None:
        raise CommandFailed(ErrorCode.NOLOGFILE, f"{ErrorCode.NOLOGFILE.text} ({day.isoformat()})")
    word = call.word
    room = call.context.settings.max_line_length - len(word) - len(f" {DATA} ") - 2

    async def lines() -> AsyncIterator[Line]:
        yield Line(word, (BEGIN,))
        while batch := await blocking(_read, stream):
            for text in batch:
                for piece in split_line(text, room):
                    yield Line(word, (DATA, piece))
        yield Line(word, (END,))

    try:
        await call.reply(lines())
    finally:
        await blocking(stream.close)


HANDLERS: dict[str, Handler] = {"GETLOG": get_log}
