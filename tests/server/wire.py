"""The server tests' line client: ``RawSession`` of ``nabat.system.client``
(the one line-protocol client) with the short names these tests use.

Raw bytes, single lines and whole replies go over the client's own
connection code; the only additions are the test-friendly names
(``send``, ``line``, ``collect``), ``login`` and MONITORING notifications
kept as the ``UPDATETASK OK`` lines they arrived as.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from nabat.system.client import RawSession
from nabat.system.protocol import Line, Reply

TIMEOUT = 10.0


class WireClient:
    def __init__(self, session: RawSession) -> None:
        self.session = session
        self.notifications: list[Line] = []

    @classmethod
    async def connect(cls, host: str, port: int, cafile: Path) -> WireClient:
        return cls(await RawSession.open(host, port, cafile=cafile, timeout=TIMEOUT))

    async def send_raw(self, data: bytes) -> None:
        await self.session.send(data)

    async def send(self, word: str, *params: str) -> None:
        await self.session.send_line(word, *params)

    async def send_lines(self, lines: Sequence[Line]) -> None:
        await self.session.send_lines(lines)

    async def line(self, timeout: float = TIMEOUT) -> Line | None:
        """The next line, or None when the server closed."""
        return await self.session.next_line(timeout)

    async def collect(self, word: str, params: Sequence[str] = ()) -> Reply:
        reply = await self.session.read_reply(word, params)
        notes = self.session.notifications
        self.notifications.extend(Line("UPDATETASK", ("OK", *n.to_params())) for n in notes)
        notes.clear()
        return reply

    async def request(self, word: str, *params: str) -> Reply:
        await self.send(word, *params)
        return await self.collect(word, params)

    async def login(self, login: str, password: str) -> Reply:
        return await self.request("LOGIN", login, password)

    async def close(self) -> None:
        await self.session.close()
