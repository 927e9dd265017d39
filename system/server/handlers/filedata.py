"""File data on the wire: how many bytes per ``DATA <hex>`` line, and streaming.

A file reply's DATA lines carry 2048 bytes (4096 hex digits) each, fewer
when the session's maximum line length cannot hold that. ``stream_file``
writes a file reply from an open binary file, reading 64 KiB per worker
thread hop, so the file is never held in memory whole; the file is closed
however the reply ends. A client that stops reading holds only the open
file and at most one block, until the session's ``write_timeout`` closes it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import BinaryIO

from nabat.system.protocol import Line
from nabat.system.protocol.messages import BEGIN, DATA, DATA_CHUNK, END
from nabat.system.server.context import Call, blocking

READ_SIZE = 64 * 1024


def data_chunk(call: Call) -> int:
    """File bytes per DATA line that fit the session's line limit."""
    overhead = len(call.word) + len(f" {DATA} ") + 2  # word, status, separators, CRLF
    room = (call.context.settings.max_line_length - overhead) // 2  # a start-up setting
    return max(1, min(DATA_CHUNK, room))


async def stream_file(call: Call, stream: BinaryIO, head: Sequence[str]) -> None:
    word, chunk = call.word, data_chunk(call)

    async def lines() -> AsyncIterator[Line]:
        yield Line(word, (BEGIN, *head))
        while block := await blocking(stream.read, READ_SIZE):
            for at in range(0, len(block), chunk):
                yield Line(word, (DATA, block[at : at + chunk].hex().upper()))
        yield Line(word, (END,))

    try:
        await call.reply(lines())
    finally:
        await blocking(stream.close)
