"""The interactive shell of ``nabat client`` and the one request runner it shares.

``run_request`` sends one typed request and shows its reply (the one-shot
mode uses it too). ``run_shell`` reads lines from stdin in a daemon thread
(``input()``, so readline editing, history and Tab completion
(``client_completion``) work on a terminal; a daemon thread never holds up
exit) and hands them to the event loop, which in the meantime prints
MONITORING notifications as they arrive. The thread reads (and so prompts)
only when the loop asks for the next line, after the previous reply or error
has been printed and stdout and stderr flushed: the prompt always comes after
the answer, and an error never lands inside it. A MONITORING line that
arrives while the prompt waits clears the prompt's line first (``\r`` and
erase-line), prints itself, then draws the prompt again with what the person
had typed so far (readline's buffer): it never lands inside the prompt or the
half-typed line. A line is split
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
from collections.abc import Callable
from pathlib import Path

from nabat.system.cli.client_completion import install as install_completion
from nabat.system.cli.client_help import detail, overview
from nabat.system.cli.client_output import Printer
from nabat.system.cli.client_requests import UsageError, build, parse_words
from nabat.system.client import ClientError, NabatClient
from nabat.system.protocol import ProtocolError
from nabat.system.runtime.tasks import cancel_and_wait

PROMPT = "nabat> "
BANNER = "connected; 'help' lists the commands (Tab completes them), 'exit' or Ctrl-D leaves"


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


ReadLine = Callable[[str], str]


class LineReader:
    """Lines from ``read_line`` (``input``) in a daemon thread, one per
    :meth:`next_line` call: the prompt is shown only when a line is wanted."""

    def __init__(self, read_line: ReadLine, prompt: str) -> None:
        self._read_line = read_line
        self._prompt = prompt
        self.prompting = threading.Event()  # set while read_line shows the prompt
        self._wanted = threading.Semaphore(0)
        self._lines: asyncio.Queue[str | None] = asyncio.Queue()
        self._loop = asyncio.get_running_loop()
        threading.Thread(target=self._read, name="nabat-shell-input", daemon=True).start()

    def _read(self) -> None:
        while True:
            self._wanted.acquire()
            self.prompting.set()
            try:
                text: str | None = self._read_line(self._prompt)
            except (EOFError, OSError, ValueError):
                text = None
            finally:
                self.prompting.clear()
            self._loop.call_soon_threadsafe(self._lines.put_nowait, text)
            if text is None:
                return

    async def next_line(self) -> str | None:
        """Ask for (prompt for) the next line; None at EOF."""
        self._wanted.release()
        return await self._lines.get()


def _flush(printer: Printer) -> None:
    for stream in (printer.out, printer.err):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()


CLEAR_LINE = "\r\x1b[K"  # back to the line's start, erase to its end


def typed_so_far() -> str:
    """What the person has typed after the prompt (readline's buffer), if known."""
    try:
        import readline
    except ImportError:  # no readline on this platform
        return ""
    return readline.get_line_buffer()


async def _show_notifications(client: NabatClient, printer: Printer,
                              reader: LineReader, prompt: str) -> None:
    with contextlib.suppress(ClientError):
        async for note in client.notifications():
            if prompt and reader.prompting.is_set():
                printer.out.write(CLEAR_LINE)
                printer.notification(note)
                printer.out.write(prompt + typed_so_far())
                _flush(printer)
            else:
                printer.notification(note)


async def run_shell(
    client: NabatClient,
    printer: Printer,
    output: Path | None = None,
    *,
    read_line: ReadLine = input,
    interactive: bool | None = None,
) -> int:
    """The read-eval-print loop; 0 at EOF, exit or QUIT, 2 if the connection is lost.
    ``interactive`` (default: stdin is a terminal) turns on the banner, the
    prompt and Tab completion."""
    if interactive is None:
        interactive = sys.stdin.isatty()
    if interactive:
        install_completion()
        printer.problem(BANNER)
    prompt = PROMPT if interactive else ""
    reader = LineReader(read_line, prompt)
    watcher = asyncio.create_task(_show_notifications(client, printer, reader, prompt))
    try:
        while True:
            _flush(printer)  # the reply and any error are out before the next prompt
            text = await reader.next_line()
            if text is None:
                break
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
                printer.out.flush()
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
        await cancel_and_wait(watcher)
    return 0
