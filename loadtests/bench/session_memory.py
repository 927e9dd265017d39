"""Figures: the server's memory per session, and a real LOGIN under slowloris.

``python -m nabat.loadtests.bench.session_memory`` starts ``nabat serve`` as
a child process (default settings, loopback, a throwaway data directory, so
its RSS is its own), then:

1. opens ``--sessions`` (200) TLS sessions that send nothing, spread over
   loopback addresses 127.0.0.10, 127.0.0.11, ... (``--per-address`` each,
   below the per-address cap), and prints the server's RSS growth per
   session; they are closed before step 2;
2. opens ``--slowloris`` (1,000) TLS connections from 127.0.0.2, each sending
   one byte of a LOGIN line a second for ``--seconds`` (15), while the real
   administrator logs in from 127.0.0.1 once a second: prints each LOGIN's
   latency (TLS, LOGIN with the product's scrypt cost, reply) and how many of
   the attacking connections the server admitted. Issue 9 measured every
   real client refused (ERR_BUSY) under this attack before the fix.

Every wait is bounded; only loopback addresses are used; the server is
stopped however the command ends (``ChildProcesses``).
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import ssl
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from nabat.loadtests.bench.memory import rss_bytes
from nabat.simulators.processes import ChildProcesses
from nabat.system.client import ClientError, NabatClient
from nabat.system.runtime.ready import wait_for_ready_file
from nabat.system.store.passwords import new_password
from nabat.system.tls import client_context

ATTACKER = "127.0.0.2"
SETTLE_SECONDS = 1.0
BATCH = 50  # connections in the TLS handshake at once
MiB = 1024 * 1024


async def _open_tls(
    host: str, port: int, tls: ssl.SSLContext, source: str
) -> asyncio.StreamWriter | None:
    try:
        _, writer = await asyncio.wait_for(
            asyncio.open_connection(host, port, ssl=tls, local_addr=(source, 0)), 10
        )
    except (OSError, TimeoutError, ssl.SSLError):
        return None
    return writer


async def memory_per_session(
    host: str, port: int, pid: int, tls: ssl.SSLContext, sessions: int, per_address: int
) -> None:
    await asyncio.sleep(SETTLE_SECONDS)
    before = rss_bytes(pid)
    sources = [f"127.0.0.{10 + index // per_address}" for index in range(sessions)]
    opened: list[asyncio.StreamWriter] = []
    for start in range(0, sessions, BATCH):  # stay under max_tls_handshakes
        batch = sources[start : start + BATCH]
        writers = await asyncio.gather(*(_open_tls(host, port, tls, s) for s in batch))
        opened += [writer for writer in writers if writer is not None]
    await asyncio.sleep(SETTLE_SECONDS)
    after = rss_bytes(pid)
    growth = after - before
    per_session = growth / len(opened) if opened else 0.0
    print(
        f"memory: {len(opened)} of {sessions} sessions open (TLS, not logged in); server RSS "
        f"{before / MiB:.1f} -> {after / MiB:.1f} MiB: {per_session / 1024:.1f} KiB a session",
        flush=True,
    )
    for writer in opened:
        writer.transport.abort()


async def _trickle(writer: asyncio.StreamWriter, stop: asyncio.Event) -> None:
    line = b"LOGIN slow-" + secrets.token_hex(4).encode() + b" never-finished"
    for byte in line:
        if stop.is_set() or writer.transport.is_closing():
            return
        writer.write(bytes((byte,)))
        try:
            await asyncio.wait_for(stop.wait(), 1.0)
        except TimeoutError:
            continue


async def _admin_login(host: str, port: int, cafile: Path, password: str) -> str:
    started = time.monotonic()
    try:
        async with NabatClient.connect(host, port, cafile=cafile, timeout=30) as client:
            await client.login("admin", password)
    except (ClientError, OSError) as error:
        return f"failed after {time.monotonic() - started:.2f} s ({error})"
    return f"{time.monotonic() - started:.2f} s"


async def login_under_slowloris(
    host: str, port: int, cafile: Path, password: str, tls: ssl.SSLContext,
    connections: int, seconds: float,
) -> None:  # fmt: skip
    stop = asyncio.Event()
    writers = await asyncio.gather(
        *(_open_tls(host, port, tls, ATTACKER) for _ in range(connections))
    )
    opened = [writer for writer in writers if writer is not None]
    trickles = [asyncio.ensure_future(_trickle(writer, stop)) for writer in opened]
    latencies: list[str] = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        latencies.append(await _admin_login(host, port, cafile, password))
        await asyncio.sleep(1.0)
    admitted = sum(1 for writer in opened if not writer.transport.is_closing())
    stop.set()
    await asyncio.gather(*trickles, return_exceptions=True)
    for writer in opened:
        writer.transport.abort()
    print(
        f"slowloris: {connections} TLS connections from {ATTACKER} ({len(opened)} completed "
        f"TLS, {admitted} still open at the end); admin LOGIN from 127.0.0.1: "
        + ", ".join(latencies),
        flush=True,
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m nabat.loadtests.bench.session_memory",
                                     description=__doc__.splitlines()[0])  # fmt: skip
    parser.add_argument("--sessions", type=int, default=200)
    parser.add_argument("--per-address", type=int, default=50)
    parser.add_argument("--slowloris", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=15.0)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    password = new_password()
    with ChildProcesses() as children, tempfile.TemporaryDirectory() as scratch:
        ready = Path(scratch) / "ready.json"
        process = children.start(
            [sys.executable, "-m", "nabat.system.cli.main", "serve", "--host", "127.0.0.1",
             "--port", "0", "--data-dir", str(Path(scratch) / "data"),
             "--ready-file", str(ready)],
            env={"NABAT_ADMIN_PASSWORD": password},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        info = wait_for_ready_file(ready, process, timeout=60)
        host, port, cafile = str(info["host"]), int(info["port"]), Path(str(info["cert"]))
        tls = client_context(cafile)
        asyncio.run(memory_per_session(host, port, process.pid, tls,
                                       args.sessions, args.per_address))  # fmt: skip
        asyncio.run(login_under_slowloris(host, port, cafile, password, tls,
                                          args.slowloris, args.seconds))  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
