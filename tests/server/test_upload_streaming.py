"""SENDRAWFILE is streamed to disk (issue 9): an open upload's bytes are on disk
as they arrive, its memory does not grow with its size, a dropped upload
leaves nothing, and ``max_upload_size`` caps an upload with a clear error."""

from __future__ import annotations

import asyncio
import tracemalloc
from pathlib import Path

from nabat.system.protocol import Line
from nabat.system.protocol.messages import DATA_CHUNK

from tests.server.conftest import Running, Start
from tests.server.wire import WireClient

MiB = 1024 * 1024


def _temporary(running: Running) -> list[Path]:
    folder = running.context.data_dir / "files.tmp"
    return sorted(folder.iterdir()) if folder.is_dir() else []


async def _send_data(client: WireClient, size: int, batch: int = 32) -> None:
    """``size`` bytes as DATA lines, made and sent a batch at a time (never whole)."""
    block = Line("SENDRAWFILE", ("DATA", (b"\xa5" * DATA_CHUNK).hex().upper()))
    sent = 0
    while sent < size:
        lines = []
        for _ in range(batch):
            if sent >= size:
                break
            chunk = min(DATA_CHUNK, size - sent)
            lines.append(
                block
                if chunk == DATA_CHUNK
                else Line("SENDRAWFILE", ("DATA", (b"\xa5" * chunk).hex().upper()))
            )
            sent += chunk
        await client.send_lines(lines)


async def test_an_open_upload_is_on_disk_and_a_dropped_one_leaves_nothing(
    running: Running,
) -> None:
    oper = await running.client("oper")
    await oper.send("SENDRAWFILE", "BEGIN", "streamed", str(2 * MiB))
    await _send_data(oper, MiB)
    for _ in range(100):  # wait (bounded) until the server has read the first MiB
        temporary = _temporary(running)
        if temporary and temporary[0].stat().st_size >= MiB - 64 * 1024:
            break
        await asyncio.sleep(0.05)
    assert temporary and temporary[0].stat().st_size >= MiB - 64 * 1024  # on disk already
    await oper.close()  # dropped before END
    for _ in range(100):
        if not _temporary(running):
            break
        await asyncio.sleep(0.05)
    assert _temporary(running) == []
    assert not (running.context.data_dir / "files" / "streamed").exists()


async def test_upload_memory_does_not_grow_with_its_size(start_server: Start) -> None:
    size = 12 * MiB
    running = await start_server(max_upload_size=16 * MiB)
    oper = await running.client("oper")
    tracemalloc.start()
    try:
        await oper.send("SENDRAWFILE", "BEGIN", "big.bin", str(size))
        await _send_data(oper, size)
        await oper.send("SENDRAWFILE", "END")
        reply = await oper.collect("SENDRAWFILE")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    await oper.close()
    assert reply.ok, reply
    assert reply.head == ("big.bin", str(size))
    assert (running.context.data_dir / "files" / "big.bin").stat().st_size == size
    assert peak < 4 * MiB, f"uploading 12 MiB peaked at {peak / MiB:.1f} MiB of Python memory"


async def test_max_upload_size_caps_an_upload_with_a_clear_error(start_server: Start) -> None:
    running = await start_server(max_upload_size=1000)
    oper = await running.client("oper")
    await oper.send("SENDRAWFILE", "BEGIN", "big", "1001")
    line = await oper.line()
    assert line is not None and line.command == "SENDRAWFILE" and line.params[0].startswith("ERR_")
    assert "1001 bytes exceed the limit of 1000" in line.params[1]
    assert (await oper.request("PING")).ok  # the session goes on
    await oper.close()
    assert _temporary(running) == []
