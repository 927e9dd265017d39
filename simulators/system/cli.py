"""`nabat up`: the notification server and every simulator, wired, in the foreground.

``register(subparsers)`` adds the ``up`` command (entry point ``nabat.commands``);
its handler imports the stack only when it runs. ``run`` loads the
configuration (embedded defaults, ``--config`` TOML, then ``--world`` and
``--speed``), prints it with ``--print-config``, or starts a ``SystemStack``
in a working directory (``--workdir``, else a temporary one removed at exit),
prints the endpoints and credentials and a ``nabat client`` line to try,
writes ``--ready-file`` and waits for SIGINT or SIGTERM; then it stops
everything (every component runs in this process, on threads the stack
joins) and returns.

Exit codes: 0 a clean stop (or ``--print-config``), 2 a configuration error
(one line naming the key), 3 a component could not start (named, with the
cause, e.g. a port in use); everything started before it is stopped.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import signal
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any, Final

from nabat.system.cli.arguments import positive_float

if TYPE_CHECKING:
    from nabat.simulators.console.app import ConsoleHandle
    from nabat.simulators.console.guard import ConsoleLimits
    from nabat.simulators.system.config import SystemConfig
    from nabat.simulators.system.stack import SystemStack

EXIT_OK: Final = 0
EXIT_CONFIG: Final = 2
EXIT_START: Final = 3
WIDE: Final = 220  # columns of the table when the output is not a terminal
SUMMARY: Final = (
    "Start the notification server and every simulator, wired together, and stay up "
    "(Ctrl-C or SIGTERM stops everything)."
)


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "up", help=SUMMARY, description=SUMMARY + " Exit codes: 0 clean stop, "
        "2 configuration error, 3 a component could not start (docs/system.md)."
    )  # fmt: skip
    parser.add_argument("--config", type=Path, default=None, metavar="FILE",
                        help="TOML file over the embedded defaults (docs/system.md)")  # fmt: skip
    parser.add_argument("--world", type=Path, default=None, metavar="FILE",
                        help="world file for every simulator (overrides [world] file)")  # fmt: skip
    parser.add_argument("--speed", type=positive_float, default=None, metavar="F",
                        help="simulated seconds per real second (overrides speed; "
                        "default 10)")  # fmt: skip
    parser.add_argument("--print-config", action="store_true",
                        help="print the effective configuration as TOML and exit")  # fmt: skip
    parser.add_argument("--workdir", type=Path, default=None, metavar="DIR",
                        help="keep the server's data, certificates and simulator files "
                        "here (default: a temporary folder removed at exit)")  # fmt: skip
    parser.add_argument("--ready-file", type=Path, default=None, metavar="F",
                        help="write the endpoints as JSON here once everything is up")  # fmt: skip
    parser.set_defaults(handler=run)


def effective_config(args: argparse.Namespace) -> SystemConfig:
    """The file's configuration (or the defaults) with the command line's overrides."""
    from nabat.simulators.system.config import load_config

    config = load_config(args.config)
    if args.world is not None:
        config = config.replace_section("world", file=args.world.resolve())
    if args.speed is not None:
        config = dataclasses.replace(config, speed=args.speed)
    return config


@contextlib.contextmanager
def _workdir(chosen: Path | None) -> Iterator[Path]:
    if chosen is not None:
        chosen.mkdir(parents=True, exist_ok=True)
        yield chosen.resolve()
        return
    with tempfile.TemporaryDirectory(prefix="nabat-up-") as folder:
        yield Path(folder)


@contextlib.contextmanager
def _stop_requested() -> Iterator[threading.Event]:
    """An event set by SIGINT or SIGTERM while the block runs (handlers restored after)."""
    stop = threading.Event()

    def handle(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {number: signal.signal(number, handle)
                for number in (signal.SIGINT, signal.SIGTERM)}  # fmt: skip
    try:
        yield stop
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def print_endpoints(stack: SystemStack) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Nabat is up", title_justify="left")
    for column in ("component", "what", "address", "credentials", "notes"):
        table.add_column(column, overflow="fold")
    for row in stack.endpoints():
        table.add_row(row.component, row.what, row.address, row.credentials, row.notes)
    console = Console()
    if not console.is_terminal:  # a log file or a pipe: no folding at 80 columns
        console = Console(width=WIDE)
    console.print(table)
    server = stack.server
    port = "" if server.port == 7021 else f" --port {server.port}"
    console.print(
        f"try: NABAT_PASSWORD={server.admin_password} nabat client{port} "
        f"--login {server.admin_login} --ca {server.cafile} GETCHANNELS",
        soft_wrap=True, highlight=False,
    )  # fmt: skip
    console.print("Ctrl-C stops everything.", highlight=False)


def ready_info(stack: SystemStack) -> dict[str, object]:
    server = stack.server
    return {
        "server": {"host": server.host, "port": server.port, "cafile": str(server.cafile),
                   "login": server.admin_login, "password": server.admin_password},
        "channels": stack.channel_numbers(),
        "endpoints": [dataclasses.asdict(row) for row in stack.endpoints()],
        "console": stack.console_url,
    }  # fmt: skip


def run(args: argparse.Namespace) -> int:
    from nabat.simulators.system.config import ConfigError, to_toml

    try:
        config = effective_config(args)
    except ConfigError as error:
        print(f"nabat up: configuration error: {error}", file=sys.stderr)
        return EXIT_CONFIG
    if args.print_config:
        sys.stdout.write(to_toml(config))
        return EXIT_OK
    return serve(config, args.workdir, args.ready_file)


def serve(config: SystemConfig, workdir: Path | None, ready_file: Path | None) -> int:
    """Start the stack, print where everything is, wait for a signal, stop it all."""
    from nabat.simulators.system.stack import SystemStack, SystemStartError
    from nabat.system.runtime.ready import write_ready_file

    with _stop_requested() as stop, _workdir(workdir) as folder:
        stack = SystemStack(config, folder)
        try:
            stack.start()
        except SystemStartError as error:
            print(f"nabat up: {error.component} could not start: {error.reason}", file=sys.stderr)
            return EXIT_START
        console = None
        try:
            if config.console.enabled:
                console = _start_console(stack, config.console.port, config.console.limits())
                if console is None:
                    return EXIT_START
            print_endpoints(stack)
            if ready_file is not None:
                write_ready_file(ready_file, ready_info(stack))
            while not stop.wait(0.5):
                pass
        finally:
            if console is not None:
                console.stop()
            stack.stop()
    print("nabat up: stopped", file=sys.stderr)
    return EXIT_OK


def _start_console(stack: SystemStack, port: int, limits: ConsoleLimits) -> ConsoleHandle | None:
    """The web console on loopback (it sets ``stack.console_url``); None when it cannot
    listen (the reason is printed)."""
    from nabat.simulators.console.app import start_console

    try:
        return start_console(stack, "127.0.0.1", port, limits=limits)
    except OSError as error:
        print(f"nabat up: the web console could not start on port {port}: {error}",
              file=sys.stderr)  # fmt: skip
        return None
