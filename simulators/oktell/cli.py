"""`nabat sim oktell`: the Oktell PBX simulator in the foreground until Ctrl-C / SIGTERM.

``add_oktell_leaf`` declares the options (simulators/sim_cli.py calls it);
the handler imports the simulator only when run, so ``nabat --help`` stays
instant. The URL is printed and, with ``--ready-file``, written there as
JSON (``http``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from nabat.simulators.http.cli_limits import add_limit_options, limits_from_args
from nabat.system.cli.arguments import port

DEFAULT_PORT = 4055


def add_oktell_leaf(leaves: Any) -> None:
    oktell = leaves.add_parser(
        "oktell",
        help="Oktell PBX (server HTTP interface: scripts, users, lines, calls).",
        description=(
            "Simulate an Oktell PBX's server HTTP interface: execsvcscript, tst_*, wp_* call "
            "control, licence and files, with users, lines and calls on the simulated clock "
            "decided by the simulated world; a control API under /__sim/. "
            "See docs/oktell-simulator.md."
        ),
    )
    oktell.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)"
    )
    oktell.add_argument(
        "--port", type=port, default=DEFAULT_PORT, help="HTTP port (default 4055; 0 = free)"
    )
    oktell.add_argument(
        "--password", default=None, metavar="PW",
        help="QueryWebServerPassword: every request without password=PW (or HTTP Basic "
        "with it) gets 403",
    )  # fmt: skip
    oktell.add_argument("--world", type=Path, default=None, metavar="FILE", help="world TOML file")
    oktell.add_argument(
        "--config", type=Path, default=None, metavar="FILE",
        help="users, lines, workplaces, groups, scripts, licence (TOML)",
    )  # fmt: skip
    oktell.add_argument(
        "--ats-url", default=None, metavar="URL",
        help="ATS simulator (anti-fraud hub): city calls are checked as the world's operators do",
    )  # fmt: skip
    oktell.add_argument(
        "--files-dir", type=Path, default=None, metavar="DIR",
        help="working folder (UploadData/, rec/, fax/); default: a temporary folder",
    )  # fmt: skip
    oktell.add_argument(
        "--ready-file", type=Path, default=None, metavar="FILE",
        help="write the URL as JSON here once listening",
    )  # fmt: skip
    add_limit_options(oktell, "connection limits")
    oktell.set_defaults(handler=run_oktell)


def run_oktell(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from nabat.simulators.oktell.config import ConfigError, OktellConfig, load_config
    from nabat.simulators.oktell.runner import run_foreground
    from nabat.simulators.world import WorldError, load_world
    from nabat.system.runtime.ready import write_ready_file

    try:
        config = OktellConfig(host=args.host, port=args.port)
        if args.config is not None:
            config = load_config(args.config, config)
        world = load_world(args.world) if args.world is not None else None
    except (ConfigError, WorldError, ValueError) as error:
        print(f"nabat sim oktell: {error}", file=sys.stderr)
        return 2
    if args.password is not None:
        if not args.password:
            print("nabat sim oktell: --password must not be empty", file=sys.stderr)
            return 2
        config = replace(config, password=args.password)
    if args.files_dir is not None:
        config = replace(config, files_dir=args.files_dir)
    config = replace(config, http=limits_from_args(config.http, args))

    def on_ready(url: str) -> None:
        print(f"Oktell simulator at {url}", flush=True)
        print("control API under /__sim/; Ctrl-C stops", flush=True)
        if args.ready_file is not None:
            write_ready_file(args.ready_file, {"http": url})

    try:
        run_foreground(config, on_ready, world, args.ats_url)
    except OSError as error:
        print(f"nabat sim oktell: cannot listen: {error}", file=sys.stderr)
        return 1
    return 0
