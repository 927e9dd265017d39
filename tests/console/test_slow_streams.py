"""A live view that never reads is dropped; the other live views keep their snapshots.

The console runs over a stub stack (every simulator read fails fast, so the
snapshot is the stub's big ``channel_numbers`` and the errors) with small
limits. A raw socket with a tiny receive buffer opens ``/api/events`` and
never reads; a well-behaved httpx client reads the same stream. The console
must drop the never-reader, by its stream buffer bound or by its write
timeout, which the well-behaved client sees in the snapshots'
``console.dropped_streams`` while its own snapshots keep coming; the raw
socket, reading at last, finds its connection closed.
"""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from nabat.simulators.console import TOKEN_HEADER, ConsoleHandle, ConsoleLimits, start_console

INTERVAL = 0.1
BIG_SNAPSHOT = 2_500  # numbers in channel_numbers: a snapshot of ~20 KB
DEADLINE = 6.0  # the drop must be seen by then (each case's bound is reached in ~1-2 s)


class _Absent:
    """A simulator handle whose every use fails at once (the console shows the error)."""

    def __getattr__(self, name: str) -> Any:
        raise RuntimeError("not running in this test")


@dataclass
class _StubServer:
    admin_login: str = "admin"
    admin_password: str = "unused"

    async def connect(self, login: str, password: str) -> Any:
        raise ConnectionRefusedError("no server in this test")


class StubStack:
    def __init__(self) -> None:
        self.server = _StubServer()
        self.ats = self.gsm = self.mfms = self.ftp = self.oktell = self.smtp = _Absent()
        self.world = _Absent()
        self.console_url: str | None = None

    def channel_numbers(self) -> dict[str, list[int]]:
        return {"sms": list(range(100_000, 100_000 + BIG_SNAPSHOT))}


CASES = {
    # the stream's own bound: a write waits (the transport paused: 64 KiB unsent) an
    # interval with more than 32 KiB unsent: dropped some 0.5 s after the stream opens
    "stream buffer bound": ConsoleLimits(
        stream_buffer_bytes=32 * 1024, write_timeout=30.0, high_water=2**30, send_buffer=8192
    ),
    # no buffer bound to speak of: a write waiting 1 s (the transport paused) drops it
    "write timeout": ConsoleLimits(
        stream_buffer_bytes=2**30, write_timeout=1.0, high_water=2**30, send_buffer=8192
    ),
}


@pytest.fixture(params=list(CASES))
def console(request: pytest.FixtureRequest) -> Iterator[ConsoleHandle]:
    handle = start_console(StubStack(), "127.0.0.1", 0, limits=CASES[request.param],
                           interval=INTERVAL)  # fmt: skip
    try:
        yield handle
    finally:
        handle.stop()


def _never_reader(console: ConsoleHandle) -> socket.socket:
    """A raw client with a tiny receive buffer that asks for the live view and stops."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1024)
    sock.settimeout(5.0)
    sock.connect((console.host, console.port))
    sock.sendall(
        f"GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\n{TOKEN_HEADER}: {console.token}\r\n\r\n"
        .encode()
    )  # fmt: skip
    return sock


def _closed_by_peer(sock: socket.socket, limit: int = 64 * 2**20) -> bool:
    """Read what the kernel kept; True when the console has closed or reset the
    connection (a bounded read: the console never sent more than its buffers)."""
    received = 0
    try:
        while received < limit:
            chunk = sock.recv(65536)
            if not chunk:
                return True
            received += len(chunk)
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False
    return False


def test_a_never_reading_live_view_is_dropped_and_others_still_served(
    console: ConsoleHandle,
) -> None:
    never = _never_reader(console)
    try:
        headers = {TOKEN_HEADER: console.token}
        started = time.monotonic()
        seqs: list[int] = []
        dropped_at: float | None = None
        with (
            httpx.Client(base_url=console.base_url, headers=headers, timeout=10) as client,
            client.stream("GET", "/api/events") as stream,
        ):
            for line in stream.iter_lines():
                if not line.startswith("data: "):
                    continue
                snapshot = json.loads(line[6:])
                assert "error" not in snapshot, snapshot  # the big snapshot, not its stand-in
                seqs.append(snapshot["seq"])
                figures = snapshot["console"]
                if dropped_at is None and figures["dropped_streams"] >= 1:
                    dropped_at = time.monotonic()
                    assert figures["streams"] == 1  # only the reader's stream is left
                if dropped_at is not None and time.monotonic() - dropped_at > 0.5:
                    break  # the reader kept getting snapshots after the drop
                assert time.monotonic() - started < DEADLINE, (
                    f"the never-reading live view was not dropped in {DEADLINE} s"
                )
        assert dropped_at is not None
        assert seqs == sorted(seqs) and len(seqs) >= 5, seqs
        assert _closed_by_peer(never), "the never-reading client's connection is still open"
    finally:
        never.close()
