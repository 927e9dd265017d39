"""Incremental CRLF line splitter over a byte stream (sans-I/O).

``feed`` takes whatever bytes arrived; ``next_line`` (or iterating) hands back
complete line bodies, CRLF stripped, in order. A defective line is handed back
as a raised ``FramingError`` in its place in the sequence, and splitting then
goes on with the next line, so one bad line costs one error reply:

* overlong: the body would exceed ``max_length - 2`` bytes; reported as soon
  as the excess byte arrives, and the rest of that line is dropped unbuffered
  (the buffer never holds more than ``max_length - 1`` bytes);
* bare CR: a CR followed by anything but LF (the rest of the line is dropped);
* bare LF: an LF not preceded by CR (the line it ends is dropped).

When a line has several defects the first one in byte order is reported (a
bare CR wins a tie), so the result never depends on how the stream was
chunked. ``end_of_stream`` reports a last line left without its CRLF.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator

from nabat.system.protocol.exceptions import (
    BareCarriageReturn,
    BareLineFeed,
    FramingError,
    IncompleteLine,
    LineTooLong,
)
from nabat.system.protocol.lines import MAX_LINE_LENGTH, peek_word

_CR = 0x0D


class LineSplitter:
    """Splits a byte stream into CRLF lines with a bounded buffer."""

    def __init__(self, max_length: int = MAX_LINE_LENGTH) -> None:
        if max_length < 3:
            raise ValueError("max_length must leave room for a command word and CRLF")
        self.max_length = max_length
        self._max_body = max_length - 2
        self._buffer = bytearray()
        self._ready: deque[bytes | FramingError] = deque()
        self._discarding = False

    @property
    def buffered(self) -> int:
        """Bytes of the current incomplete line held in memory."""
        return len(self._buffer)

    def feed(self, data: bytes) -> None:
        """Take the next bytes of the stream; never raises."""
        start = 0
        while start < len(data):
            lf = data.find(b"\n", start)
            if lf < 0:
                self._take(data[start:], complete=False)
                return
            self._take(data[start:lf], complete=True)
            start = lf + 1

    def next_line(self) -> bytes | None:
        """The next complete line body, ``None`` when more bytes are needed;
        raises the ``FramingError`` of a defective line in its place."""
        if not self._ready:
            return None
        item = self._ready.popleft()
        if isinstance(item, FramingError):
            raise item
        return item

    def __iter__(self) -> Iterator[bytes]:
        """Drain the complete lines; a raised error ends this iteration only."""
        while (line := self.next_line()) is not None:
            yield line

    def end_of_stream(self) -> None:
        """The peer closed: raise ``IncompleteLine`` if a line was left open."""
        pending, self._buffer = self._buffer, bytearray()
        discarding, self._discarding = self._discarding, False
        if pending and not discarding:
            raise IncompleteLine(
                f"the stream ended inside a line ({len(pending)} bytes without CRLF)",
                word=peek_word(bytes(pending), complete=False),
            )

    # --- internals -------------------------------------------------------

    def _take(self, chunk: bytes, *, complete: bool) -> None:
        """Append bytes of the current line; ``complete`` means an LF followed."""
        if self._discarding:
            if complete:
                self._discarding = False
            return
        scan_from = max(len(self._buffer) - 1, 0)
        ended = complete
        room = self._max_body + 2 - len(self._buffer)
        if len(chunk) > room:
            chunk, complete = chunk[:room], False  # a defect is certain inside the window
        self._buffer += chunk
        error = self._first_defect(scan_from, complete)
        if error is not None:
            self._ready.append(error)
            self._buffer = bytearray()
            self._discarding = not ended
        elif complete:
            self._ready.append(bytes(self._buffer[:-1]))
            self._buffer = bytearray()

    def _first_defect(self, scan_from: int, complete: bool) -> FramingError | None:
        line = self._buffer
        size = len(line)
        cr = line.find(b"\r", scan_from)
        bare_cr_at = cr + 1 if 0 <= cr < size - 1 else None
        long_at = None
        if size > self._max_body:
            if line[self._max_body] != _CR:
                long_at = self._max_body
            elif size > self._max_body + 1:
                long_at = self._max_body + 1
        if bare_cr_at is not None and (long_at is None or bare_cr_at <= long_at):
            return BareCarriageReturn(
                f"CR not followed by LF at byte {cr}: CR may appear only in CRLF",
                word=peek_word(bytes(line[:cr])),
            )
        if long_at is not None:
            return LineTooLong(
                f"line longer than {self.max_length} bytes (CRLF included); dropped",
                word=peek_word(bytes(line[:64]), complete=False),
            )
        if complete and (size == 0 or line[-1] != _CR):
            return BareLineFeed(
                f"LF without CR after {size} bytes: lines end with CRLF",
                word=peek_word(bytes(line[:64]), complete=size <= 64),
            )
        return None
