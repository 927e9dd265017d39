"""Abonents: GETABONENTS (streamed), GETABONENT, ADDABONENT, UPDATEABONENT,
DELABONENTS.

GETABONENTS never builds the whole reply: it pulls the store's paged
iterator a batch at a time in a worker thread and writes the lines as they
come, the session draining the socket as it goes (backpressure, bounded by
``write_timeout``). The iterator holds no read transaction between pages,
so a slow client never pins the WAL; it is closed however the stream ends.
ADDABONENT / UPDATEABONENT run when the codec's assembler has seen END; one
store transaction writes the abonent with its phones and e-mails.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from itertools import islice

from nabat.system.protocol import (
    Abonent,
    AbonentRequest,
    Form,
    Line,
    abonent_reply,
    ok_line,
)
from nabat.system.protocol.messages import BEGIN, DATA, END, abonent_lines
from nabat.system.server.context import Call, Handler, blocking
from nabat.system.server.handlers.common import ids_param

BATCH = 200  # abonents fetched per worker-thread hop


def _take(stream: Iterator[Abonent]) -> list[Abonent]:
    return list(islice(stream, BATCH))


async def get_abonents(call: Call) -> None:
    stream = call.store.abonents.iter(call.args["gid"], call.args["lid"])
    word = call.word

    async def lines() -> AsyncIterator[Line]:
        yield Line(word, (BEGIN,))
        while batch := await blocking(_take, stream):
            for abonent in batch:
                for line in abonent_lines(word, DATA, abonent, Form.FULL):
                    yield line
        yield Line(word, (END,))

    try:
        await call.reply(lines())
    finally:
        await blocking(stream.close)


async def get_abonent(call: Call) -> None:
    abonent = await blocking(call.store.abonents.get, call.args["id"])
    await call.reply(abonent_reply(call.word, abonent))


async def add_or_update_abonent(call: Call) -> None:
    request = call.request
    assert isinstance(request, AbonentRequest)
    abonents = call.store.abonents
    if request.abonent.id is None:
        saved = await blocking(abonents.add, request.abonent)
    else:
        saved = await blocking(abonents.update, request.abonent.id, request.abonent)
    await call.reply(abonent_reply(call.word, saved))


async def delete_abonents(call: Call) -> None:
    ids = call.args["abonids"]
    await blocking(call.store.abonents.delete, ids)
    await call.reply([ok_line(call.word, (ids_param(ids),))])


HANDLERS: dict[str, Handler] = {
    "GETABONENTS": get_abonents,
    "GETABONENT": get_abonent,
    "ADDABONENT": add_or_update_abonent,
    "UPDATEABONENT": add_or_update_abonent,
    "DELABONENTS": delete_abonents,
}
