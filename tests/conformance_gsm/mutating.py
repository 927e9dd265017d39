"""A serial line that puts a non-conforming modem in front of the simulator.

:class:`MutatingLine` wraps the real (in-process) serial line. Bytes the suite
writes pass through ``mutation.sent`` (a modem that misreads a command);
bytes the modem writes are held until a line ends (or the SMS prompt
arrives), then each block passes through ``mutation.answer`` with the last
command line the suite wrote (a modem that answers wrongly). Mutations start
only once ``armed`` is set, so the pre-flight sees the honest modem unless a
proof says otherwise. Small helpers build the mutations of the proof table.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from nabat.conformance.gsm_modem.port import SerialLike, open_serial

Answer = Callable[[bytes, str], bytes]  # (block of modem output, last command) -> block
Sent = Callable[[bytes], bytes]


@dataclass(frozen=True)
class Mutation:
    answer: Answer | None = None
    sent: Sent | None = None


class MutatingLine:
    def __init__(self, inner: SerialLike, mutation: Mutation, armed: bool = False) -> None:
        self.inner = inner
        self.mutation = mutation
        self.armed = armed
        self._held = b""
        self._ready = b""
        self._typed = b""
        self.last_command = ""

    @property
    def timeout(self) -> float | None:
        return self.inner.timeout

    @timeout.setter
    def timeout(self, value: float | None) -> None:
        self.inner.timeout = value

    # --- what the suite writes --------------------------------------------------------
    def write(self, data: bytes) -> int:
        for byte in data:
            if byte in (0x0D, 0x1A, 0x1B):
                self.last_command = self._typed.decode("latin-1")
                self._typed = b""
            else:
                self._typed += bytes([byte])
        if self._typed == b"A/":
            self.last_command, self._typed = "A/", b""
        if self.armed and self.mutation.sent is not None:
            data = self.mutation.sent(data)
        self.inner.write(data)
        return len(data)

    # --- what the modem writes --------------------------------------------------------
    def _take(self, data: bytes, flush: bool = False) -> None:
        """Hold output until a line feed (or the prompt) ends it, then mutate the block;
        ``flush``: the modem went quiet, let a block ending in CR alone (ATV0) through."""
        self._held += data
        cut = self._held.rfind(b"\n") + 1
        if self._held.endswith(b"> ") or flush:
            cut = len(self._held)
        if cut <= 0:
            return
        block, self._held = self._held[:cut], self._held[cut:]
        if self.armed and self.mutation.answer is not None:
            block = self.mutation.answer(block, self.last_command)
        self._ready += block

    @property
    def in_waiting(self) -> int:
        waiting = self.inner.in_waiting
        if waiting:
            self._take(bytes(self.inner.read(waiting)))
        return len(self._ready)

    def read(self, size: int = 1) -> bytes:
        if not self._ready:
            data = bytes(self.inner.read(max(1, self.inner.in_waiting)))
            self._take(data, flush=not data)
        data, self._ready = self._ready[:size], self._ready[size:]
        return data

    def reset_input_buffer(self) -> None:
        self.inner.reset_input_buffer()
        self._held = self._ready = b""

    def close(self) -> None:
        self.inner.close()


class Opener:
    """An opener for GsmBinding that hands out a MutatingLine (kept for arming)."""

    def __init__(self, mutation: Mutation, armed: bool = False) -> None:
        self.mutation = mutation
        self.armed = armed
        self.line: MutatingLine | None = None

    def __call__(self, device: str, baud: int) -> Any:
        self.line = MutatingLine(open_serial(device, baud), self.mutation, self.armed)
        return self.line

    def arm(self) -> None:
        assert self.line is not None
        self.line.armed = True


# --- building mutations ---------------------------------------------------------------


def after(command: str, pattern: bytes, replacement: bytes, *, count: int = 0) -> Mutation:
    """In the answer to a command matching ``command`` (a regex, whole command line),
    replace ``pattern`` (a bytes regex) by ``replacement``."""
    wanted = re.compile(command)

    def answer(block: bytes, last: str) -> bytes:
        if wanted.fullmatch(last) is None:
            return block
        return re.sub(pattern, replacement, block, count=count)

    return Mutation(answer=answer)


def anywhere(pattern: bytes, replacement: bytes) -> Mutation:
    """Replace ``pattern`` in everything the modem writes."""
    return Mutation(answer=lambda block, _last: re.sub(pattern, replacement, block))


def typed(pattern: bytes, replacement: bytes) -> Mutation:
    """Replace ``pattern`` in what the suite writes before the modem sees it."""
    return Mutation(sent=lambda data: re.sub(pattern, replacement, data))


def nth_answer(command: str, nth: int, pattern: bytes, replacement: bytes) -> Mutation:
    """Like ``after`` but only in the ``nth`` block (1-based) that ``pattern`` matches."""
    wanted = re.compile(command)
    seen = [0]

    def answer(block: bytes, last: str) -> bytes:
        if wanted.fullmatch(last) is None or re.search(pattern, block) is None:
            return block
        seen[0] += 1
        return re.sub(pattern, replacement, block) if seen[0] == nth else block

    return Mutation(answer=answer)
