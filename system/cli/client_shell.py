"""The interactive shell of ``nabat client`` and the one request runner it shares.

``run_request`` sends one typed request and shows its reply (the one-shot
mode uses it too). ``run_shell`` reads lines from stdin in a daemon thread
(``input()``, so readline editing and history work on a terminal; a daemon
thread never holds up exit) and hands them to the event loop, which in the
meantime prints MONITORING notifications as they arrive. A line is split
like a shell command (``shlex``: quotes for spaces, ``%`` as is) into
``WORD param ... [options]``; ``help``, ``help WORD`` and ``exit`` are the
shell's own; QUIT is sent and then ends the shell, as does EOF.
"""

from __future__ import annotations

import asyncio
import contextlib
import shlex
import sys
import threading
from pathlib import Path

from nabat.system.cli.client_help import detail, overview
from nabat.system.cli.client_output import Printer
from nabat.system.cli.client_requests import UsageError, build, parse_words
from nabat.system.client import ClientError, NabatClient
from nabat.system.protocol import ProtocolError

PROMPT = "nabat> "


async def run_request(
    client: NabatClient, printer: Printer, words: list[str], output: Path | None = None
) -> int:
    """Send one typed request, show the reply; 0, 1 (error reply) or 2 (usage)."""
    try:
        typed = parse_words(words)
        lines = build(typed)
    except UsageError as exc:
        printer.problem(str(exc))
        return 2
    try:
        reply = await client.request_lines(lines, check=False)
    except ProtocolError as exc:  # refused by the encoder: nothing was sent
        printer.problem(f"{typed.word}: {exc.message}")
        return 2
    return printer.show(reply, typed.output or output)


def _start_reader(loop: asyncio.AbstractEventLoop, queue: asyncio.Queue[str | None]) -> None:
    interactive = sys.stdin.isatty()
    if interactive:
        with contextlib.suppress(ImportError):
            import readline  # noqa: F401  (line editing and history for input())

    def read() -> None:
        while True:
            try:
                text: str | None = input(PROMPT if interactive else "")
            except (EOFError, OSError, ValueError):
                text = None
            loop.call_soon_threadsafe(queue.put_nowait, text)
            if text is None:
                return

    threading.Thread(target=read, name="nabat-shell-input", daemon=True).start()


async def _show_notifications(client: NabatClient, printer: Printer) -> None:
    with contextlib.suppress(ClientError):
        async for note in client.notifications():
            printer.notification(note)


async def run_shell(client: NabatClient, printer: Printer, output: Path | None = None) -> int:
    """The read-eval-print loop; 0 at EOF, exit or QUIT, 2 if the connection is lost."""
    queue: asyncio.Queue[str | None] = asyncio.Queue()
    _start_reader(asyncio.get_running_loop(), queue)
    watcher = asyncio.create_task(_show_notifications(client, printer))
    if sys.stdin.isatty():
        printer.problem("connected; 'help' lists the commands, 'exit' or Ctrl-D leaves")
    try:
        while (text := await queue.get()) is not None:
            try:
                words = shlex.split(text)
            except ValueError as exc:
                printer.problem(f"cannot split the line: {exc}")
                continue
            if not words:
                continue
            keyword = words[0].lower()
            if keyword in ("help", "?"):
                lines = detail(words[1]) if len(words) > 1 else overview()
                printer.out.write("\n".join(lines) + "\n")
                continue
            if keyword == "exit":
                break
            try:
                await run_request(client, printer, words, output)
            except ClientError as exc:
                if words[0].upper() == "QUIT":
                    break
                printer.problem(str(exc))
                return 2
            if words[0].upper() == "QUIT":
                break
    finally:
        watcher.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await watcher
    return 0
