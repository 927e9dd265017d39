"""Runs a server in the foreground until SIGINT or SIGTERM, then stops cleanly.

While it runs, the root logger also writes the daily log files of the data
directory (``logfiles.py``), which GETLOG serves.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import ssl
from collections.abc import Callable
from pathlib import Path

from nabat.system.server import logfiles
from nabat.system.server.context import ServerContext
from nabat.system.server.server import NabatServer


def write_ready_file(path: Path, info: dict[str, object]) -> None:
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps({**info, "pid": os.getpid()}), encoding="utf-8")
    temporary.replace(path)


async def serve(
    context: ServerContext,
    ssl_context: ssl.SSLContext,
    on_ready: Callable[[tuple[str, int]], None],
) -> None:
    log_file = logfiles.install(context.data_dir)
    try:
        await _serve(context, ssl_context, on_ready)
    finally:
        logfiles.uninstall(log_file)


async def _serve(
    context: ServerContext,
    ssl_context: ssl.SSLContext,
    on_ready: Callable[[tuple[str, int]], None],
) -> None:
    server = NabatServer(context, ssl_context)
    await server.start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        on_ready(server.address)
        await stop.wait()
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)
        await server.stop()
