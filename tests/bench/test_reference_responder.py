"""The reference responder: keep-alive, pipelining, closing, bad input.

The protocol is driven directly with a recording transport (no sockets, no
timing); one test starts the real module as a process and talks to it.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from nabat.loadtests.bench.reference_responder import (
    BAD_REQUEST,
    OK_CLOSE,
    OK_KEEP_ALIVE,
    OK_KEEP_ALIVE_HTTP10,
    ResponderProtocol,
)


class RecordingTransport:
    """Just enough of asyncio.Transport for the protocol."""

    def __init__(self) -> None:
        self.written = bytearray()
        self.writes = 0
        self.closed = False

    def write(self, data: bytes) -> None:
        assert not self.closed, "write after close"
        self.written += data
        self.writes += 1

    def close(self) -> None:
        self.closed = True


def connect() -> tuple[ResponderProtocol, RecordingTransport]:
    protocol = ResponderProtocol()
    transport = RecordingTransport()
    protocol.connection_made(transport)  # type: ignore[arg-type]
    return protocol, transport


POST = (
    b"POST /CheckCall HTTP/1.1\r\nHost: x\r\n"
    b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 7\r\n\r\na=1&b=2"
)
GET = b"GET /ping HTTP/1.1\r\nHost: x\r\n\r\n"


def test_keep_alive_answers_every_request_and_stays_open() -> None:
    protocol, transport = connect()
    protocol.data_received(POST)
    protocol.data_received(POST)
    protocol.data_received(GET)
    assert bytes(transport.written) == OK_KEEP_ALIVE * 3
    assert not transport.closed


def test_pipelined_requests_get_all_answers_in_one_write() -> None:
    protocol, transport = connect()
    protocol.data_received(POST + GET + POST)
    assert bytes(transport.written) == OK_KEEP_ALIVE * 3
    assert transport.writes == 1
    assert not transport.closed


def test_request_split_across_chunks() -> None:
    protocol, transport = connect()
    for i in range(len(POST)):
        protocol.data_received(POST[i : i + 1])
    assert bytes(transport.written) == OK_KEEP_ALIVE


def test_connection_close_answers_then_closes_and_ignores_the_rest() -> None:
    protocol, transport = connect()
    closing = b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    protocol.data_received(GET + closing + GET)
    assert bytes(transport.written) == OK_KEEP_ALIVE + OK_CLOSE
    assert transport.closed
    protocol.data_received(GET)  # late bytes after the close: nothing more
    assert bytes(transport.written) == OK_KEEP_ALIVE + OK_CLOSE


def test_http10_closes_unless_keep_alive_is_asked() -> None:
    protocol, transport = connect()
    protocol.data_received(b"GET / HTTP/1.0\r\n\r\n")
    assert bytes(transport.written) == OK_CLOSE
    assert transport.closed

    protocol, transport = connect()
    protocol.data_received(b"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
    assert bytes(transport.written) == OK_KEEP_ALIVE_HTTP10
    assert not transport.closed


def test_garbage_gets_400_and_close_after_earlier_answers() -> None:
    protocol, transport = connect()
    protocol.data_received(GET + b"\x00\x01 not http\r\n\r\n")
    assert bytes(transport.written) == OK_KEEP_ALIVE + BAD_REQUEST
    assert transport.closed


def test_connection_lost_then_data_is_harmless() -> None:
    protocol, transport = connect()
    protocol.connection_lost(None)
    protocol.data_received(GET)
    assert transport.written == b""


def _read_until_closed(sock: socket.socket) -> bytes:
    chunks = []
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def test_module_runs_writes_ready_file_and_serves(tmp_path: Path) -> None:
    ready = tmp_path / "ready.json"
    process = subprocess.Popen(
        [sys.executable, "-m", "nabat.loadtests.bench.reference_responder", "--port", "0",
         "--ready-file", str(ready)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while not ready.exists():
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            if time.monotonic() > deadline:
                pytest.fail("the reference responder did not write its ready file")
            time.sleep(0.02)
        info = json.loads(ready.read_text(encoding="utf-8"))
        assert info["reserve"] is None
        host, port = info["primary"].removeprefix("http://").split(":")
        assert host == "127.0.0.1"
        with socket.create_connection((host, int(port)), timeout=10) as sock:
            closing = b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
            sock.sendall(POST + POST + closing)
            assert _read_until_closed(sock) == OK_KEEP_ALIVE * 2 + OK_CLOSE
    finally:
        process.terminate()
        assert process.wait(timeout=10) == 0
        if process.stderr:
            process.stderr.close()
