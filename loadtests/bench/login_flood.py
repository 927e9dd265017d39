"""Figures: the admin's LOGIN latency under a login flood, and memory per open upload.

``python -m nabat.loadtests.bench.login_flood`` starts a server in this
process (``nabat.simulators.server_fixture``, loopback, a throwaway data
directory) with the product's own scrypt cost (``DEFAULT_PARAMS``) and
the default login policy, then:

1. ``--connections`` (200) TLS connections from 127.0.0.2 try fresh login
   names with wrong passwords as fast as they are answered, and the real
   admin logs in from 127.0.0.1 ``--probes`` times, one a second: each
   LOGIN's latency is printed (issue 9 measured 119.5 s before the fix);
2. ``--uploads`` (40) sessions each open a SENDRAWFILE of ``--upload-mib``
   (18) MiB and send all but the END line; the process's RSS is printed
   before, with every upload open, and after they end, with the growth per
   open upload (18.6 MiB each before uploads were streamed to disk).

Every wait is bounded; only loopback addresses are used. The server shares
this process with the clients (its own thread and loop; scrypt runs
outside the GIL), so the RSS includes the clients' few buffers.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import ssl
import tempfile
import time
from pathlib import Path

from nabat.loadtests.bench.memory import rss_bytes
from nabat.simulators.server_fixture import NabatServerHandle, start_nabat_server
from nabat.system.client import RawSession
from nabat.system.protocol import Line
from nabat.system.protocol.messages import DATA_CHUNK
from nabat.system.server import LoginPolicy
from nabat.system.store.passwords import DEFAULT_PARAMS
from nabat.system.tls import client_context

ATTACKER = "127.0.0.2"
MiB = 1024 * 1024


async def _attacker(handle: NabatServerHandle, tls: ssl.SSLContext, index: int,
                    stop: asyncio.Event, counts: list[int]) -> None:  # fmt: skip
    try:
        reader, writer = await asyncio.wait_for(
            asyncio.open_connection(handle.host, handle.port, ssl=tls,
                                    local_addr=(ATTACKER, 0)), 30)  # fmt: skip
    except (OSError, TimeoutError, ssl.SSLError):
        counts[1] += 1
        return
    try:
        attempt = 0
        while not stop.is_set():
            writer.write(Line("LOGIN", (f"intruder{index}-{attempt}", "wrong")).encode())
            attempt += 1
            await asyncio.wait_for(reader.readuntil(b"\r\n"), 60)
            counts[0] += 1
    except (OSError, TimeoutError, ssl.SSLError, asyncio.IncompleteReadError):
        counts[1] += 1
    finally:
        writer.transport.abort()


async def login_flood(handle: NabatServerHandle, connections: int, probes: int) -> None:
    tls = client_context(handle.cafile)
    stop, counts = asyncio.Event(), [0, 0]  # answered attempts, dropped connections
    attackers = [asyncio.create_task(_attacker(handle, tls, i, stop, counts))
                 for i in range(connections)]  # fmt: skip
    try:
        await asyncio.sleep(2.0)  # the flood is under way
        for probe in range(probes):
            async with await RawSession.open(handle.host, handle.port, cafile=handle.cafile,
                                             timeout=180) as admin:  # fmt: skip
                started = time.monotonic()
                reply = await admin.request("LOGIN", handle.admin_login, handle.admin_password)
                latency = time.monotonic() - started
            print(f"  probe {probe + 1}: admin LOGIN {'OK' if reply.ok else reply.error} "
                  f"in {latency:.2f} s")  # fmt: skip
            await asyncio.sleep(1.0)
    finally:
        stop.set()
        await asyncio.wait(attackers, timeout=30)
        for task in attackers:
            task.cancel()
    print(f"  attack: {connections} connections from {ATTACKER}, {counts[0]} answered "
          f"attempts, {counts[1]} connections refused or dropped")  # fmt: skip


async def _open_upload(handle: NabatServerHandle, index: int, size: int) -> RawSession:
    session = await RawSession.open(handle.host, handle.port, cafile=handle.cafile, timeout=120)
    reply = await session.request("LOGIN", handle.admin_login, handle.admin_password)
    assert reply.ok, reply
    data = Line("SENDRAWFILE", ("DATA", (b"\x5a" * DATA_CHUNK).hex().upper()))
    await session.send_line("SENDRAWFILE", "BEGIN", f"upload{index}.bin", str(size))
    for _ in range(0, size - DATA_CHUNK, DATA_CHUNK * 32):
        await session.send_lines([data] * 32)
    return session


async def open_uploads(handle: NabatServerHandle, uploads: int, size_mib: int) -> None:
    size = size_mib * MiB
    before = rss_bytes(os.getpid())
    sessions = []
    for start in range(0, uploads, 4):  # four at a time: bounded client buffers
        sessions += await asyncio.gather(
            *(_open_upload(handle, i, size) for i in range(start, min(uploads, start + 4)))
        )
    await asyncio.sleep(1.0)  # the server reads what is in flight
    during = rss_bytes(os.getpid())
    for session in sessions:
        await session.close()  # dropped before END: nothing is stored
    await asyncio.sleep(1.0)
    after = rss_bytes(os.getpid())
    print(f"  RSS before {before / MiB:.0f} MiB, with {uploads} open uploads of {size_mib} MiB "
          f"{during / MiB:.0f} MiB, after {after / MiB:.0f} MiB: "
          f"{(during - before) / uploads / MiB:.2f} MiB per open upload")  # fmt: skip


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=200)
    parser.add_argument("--probes", type=int, default=3)
    parser.add_argument("--uploads", type=int, default=40)
    parser.add_argument("--upload-mib", type=int, default=18)
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)  # the server logs every refused attempt
    with tempfile.TemporaryDirectory(prefix="nabat-login-flood-") as folder:
        handle = start_nabat_server(
            Path(folder) / "data", password_params=DEFAULT_PARAMS, login=LoginPolicy(),
            max_sessions=args.connections + args.uploads + 20,
            max_upload_size=(args.upload_mib + 1) * MiB,
        )  # fmt: skip
        try:
            print(f"scrypt N={DEFAULT_PARAMS.n} r={DEFAULT_PARAMS.r} p={DEFAULT_PARAMS.p}, "
                  "the default login policy")  # fmt: skip
            print("login flood:")
            asyncio.run(login_flood(handle, args.connections, args.probes))
            if args.uploads:
                print("open uploads:")
                asyncio.run(open_uploads(handle, args.uploads, args.upload_mib))
        finally:
            handle.stop()


if __name__ == "__main__":
    main()
