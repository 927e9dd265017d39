"""`nabat sim ftp`: the FTP/FTPS bulk-SMS platform simulator in the foreground until Ctrl-C.

``add_ftp_leaf`` declares the options (simulators/sim_cli.py calls it); the
handler imports the simulator only when run, so ``nabat --help`` stays
instant. The endpoints, the accounts and the CA file of a minted certificate
are printed and, with ``--ready-file``, written there as JSON.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
from pathlib import Path
from typing import Any

from nabat.system.cli.arguments import port, positive_float, positive_int

CONTROL_TOKEN_ENV = "NABAT_FTP_CONTROL_TOKEN"
MAX_POLL_INTERVAL = 86400.0


def poll_seconds(text: str) -> float:
    value = positive_float(text)
    if not math.isfinite(value) or value > MAX_POLL_INTERVAL:
        raise argparse.ArgumentTypeError(f"must be at most {MAX_POLL_INTERVAL:.0f} seconds")
    return value


def port_range(text: str) -> range:
    first, _, last = text.partition("-")
    low, high = port(first), port(last or first)
    if not 0 < low <= high:
        raise argparse.ArgumentTypeError("expected FIRST-LAST, two ports with FIRST <= LAST")
    return range(low, high + 1)


def add_ftp_leaf(leaves: Any) -> None:
    ftp = leaves.add_parser(
        "ftp",
        help="FTP/FTPS bulk-SMS platform (zip archives of CSV, polled every 10 s).",
        description=(
            "Simulate the FTP bulk-SMS platform: plain FTP and explicit FTPS (AUTH TLS) on one "
            "port, a folder per login, archives polled on the simulated clock, delivery decided "
            "by the simulated world, a control API under /__sim/. See "
            "docs/ftp-platform-simulator.md."
        ),
    )
    ftp.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    ftp.add_argument(
        "--port", type=port, default=2121, help="FTP/FTPS port (default 2121; 0 = free port)"
    )
    ftp.add_argument(
        "--control-port", type=port, default=2180,
        help="control API port, HTTP (default 2180; 0 = free port)",
    )  # fmt: skip
    ftp.add_argument(
        "--poll-interval", type=poll_seconds, default=10.0, metavar="S",
        help="simulated seconds between two looks at the folders (default 10, as the spec)",
    )  # fmt: skip
    ftp.add_argument(
        "--root", type=Path, default=None, metavar="DIR",
        help="folder of the client folders (default: a temporary folder, removed at exit)",
    )  # fmt: skip
    ftp.add_argument("--world", type=Path, default=None, metavar="FILE", help="world TOML file")
    ftp.add_argument(
        "--config", type=Path, default=None, metavar="FILE",
        help="accounts (login, password, encoding, senders) and [tls] certfile, TOML",
    )  # fmt: skip
    ftp.add_argument(
        "--passive-ports", type=port_range, default=None, metavar="FIRST-LAST",
        help="passive data ports (default: any the system gives)",
    )  # fmt: skip
    ftp.add_argument(
        "--control-token", default=os.environ.get(CONTROL_TOKEN_ENV) or None,
        help="require this token on every /__sim/ request (Authorization: Bearer TOKEN or "
        f"X-Sim-Token); default ${CONTROL_TOKEN_ENV}, else none",
    )  # fmt: skip
    ftp.add_argument(
        "--ready-file", type=Path, default=None, metavar="FILE",
        help="write the endpoints and the CA file as JSON here once listening",
    )  # fmt: skip
    limits = ftp.add_argument_group("connection limits")
    for option, default, text in (
        ("--request-timeout", 10.0, "control API: a request must be complete by then (default 10)"),
        ("--idle-timeout", 75.0, "control API: an idle connection is closed (default 75)"),
        ("--write-timeout", 30.0, "control API: a peer that does not read is cut (default 30)"),
        ("--ftp-idle-timeout", 120.0, "FTP: an idle control connection is closed (default 120)"),
        ("--ftp-data-timeout", 60.0, "FTP: a stalled data connection is closed (default 60)"),
        ("--ftp-write-timeout", 30.0, "FTP: a client that does not read its replies is cut "
         "(default 30)"),
    ):  # fmt: skip
        limits.add_argument(option, type=positive_float, default=default, metavar="SECONDS",
                            help=text)  # fmt: skip
    for option, default, text in (
        ("--max-connections", 1000, "control API connections (default 1000)"),
        ("--max-connections-per-address", 800, "control API connections per address (default 800)"),
        ("--max-ftp-connections", 64, "FTP control and data connections (default 64)"),
        ("--max-ftp-connections-per-address", 16, "FTP connections per address (default 16)"),
        ("--max-upload-bytes", 256 << 20, "largest upload; beyond it 552 (default 256 MiB)"),
    ):  # fmt: skip
        limits.add_argument(option, type=positive_int, default=default, metavar="N", help=text)
    ftp.set_defaults(handler=_run_ftp)


def _run_ftp(args: argparse.Namespace) -> int:
    from nabat.simulators.ftp_platform.accounts import ConfigError, PlatformConfig, load_config
    from nabat.simulators.ftp_platform.app import FtpPlatformConfig
    from nabat.simulators.ftp_platform.ftp_server import FtpLimits
    from nabat.simulators.ftp_platform.runner import run_foreground
    from nabat.simulators.http.server import HttpLimits
    from nabat.simulators.world.loader import WorldError, load_world
    from nabat.system.runtime.ready import write_ready_file

    try:
        platform = load_config(args.config) if args.config else PlatformConfig()
        world = load_world(args.world) if args.world else None
    except (ConfigError, WorldError) as error:
        print(f"nabat sim ftp: {error}", file=sys.stderr)
        return 2
    config = FtpPlatformConfig(
        host=args.host,
        port=args.port,
        control_port=args.control_port,
        root=args.root,
        poll_interval=args.poll_interval,
        world=world,
        platform=platform,
        passive_ports=args.passive_ports,
        control_token=args.control_token,
        control_limits=HttpLimits(
            request_timeout=args.request_timeout,
            idle_timeout=args.idle_timeout,
            write_timeout=args.write_timeout,
            max_connections=args.max_connections,
            max_connections_per_address=min(args.max_connections_per_address, args.max_connections),
        ),
        ftp_limits=FtpLimits(
            max_cons=args.max_ftp_connections,
            max_cons_per_ip=args.max_ftp_connections_per_address,
            idle_timeout=args.ftp_idle_timeout,
            data_timeout=args.ftp_data_timeout,
            write_timeout=args.ftp_write_timeout,
            max_upload_bytes=args.max_upload_bytes,
        ),
    )

    def on_ready(endpoints: dict[str, object]) -> None:
        print(f"FTP platform simulator at {endpoints['ftp']} (plain FTP, and explicit FTPS: "
              "AUTH TLS, PROT P)", flush=True)  # fmt: skip
        if endpoints["ca_file"]:
            print(f"FTPS certificate minted; trust its CA: {endpoints['ca_file']}", flush=True)
        print(f"accounts: {', '.join(map(str, endpoints['accounts']))} "  # type: ignore[call-overload]
              "(default guest / guest)", flush=True)  # fmt: skip
        print(f"client folders under {endpoints['root']}; polled every "
              f"{endpoints['poll_interval']} simulated seconds", flush=True)  # fmt: skip
        guard = "token required" if args.control_token else "no token (--control-token)"
        print(f"control API at {endpoints['control']}, {guard}; Ctrl-C stops", flush=True)
        if args.ready_file is not None:
            write_ready_file(args.ready_file, endpoints)

    try:
        run_foreground(config, on_ready)
    except (OSError, ValueError) as error:
        print(f"nabat sim ftp: cannot start: {error}", file=sys.stderr)
        return 1
    return 0
