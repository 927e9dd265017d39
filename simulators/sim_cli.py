"""`nabat sim ...`: start a simulator in the foreground until Ctrl-C / SIGTERM."""

from __future__ import annotations

import argparse
import math
import os
import sys
from pathlib import Path
from typing import Any

from nabat.system.cli.arguments import port, positive_float, positive_int
from nabat.system.cli.groups import add_group

CONTROL_TOKEN_ENV = "NABAT_ATS_CONTROL_TOKEN"
MAX_WINDOW_SECONDS = 30 * 86400.0  # as the control API's PUT /__sim/config


def window_seconds(text: str) -> float:
    value = positive_float(text)
    if not math.isfinite(value) or value > MAX_WINDOW_SECONDS:
        raise argparse.ArgumentTypeError(f"must be at most {MAX_WINDOW_SECONDS:.0f} seconds")
    return value


def register(subparsers: Any) -> None:
    leaves = add_group(subparsers, "sim", "Run a simulator of an outside system.")
    ats = leaves.add_parser(
        "ats",
        help="ATS call-verification hub (primary and optional reserve server).",
        description=(
            "Simulate the ATS call-verification API (RegisterCall, CheckCall, callUpdate, call, "
            "help, numberInfo, ping) with a control API under /__sim/. See docs/ats-simulator.md."
        ),
    )
    ats.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    ats.add_argument(
        "--port", type=port, default=8085, help="primary server port (default 8085; 0 = free port)"
    )
    ats.add_argument(
        "--reserve-port",
        type=port,
        default=None,
        help="also start the reserve server on this port",
    )
    ats.add_argument(
        "--numbers", type=Path, default=None, help="numbering plan CSV (replaces the default plan)"
    )
    ats.add_argument(
        "--window",
        type=window_seconds,
        default=60.0,
        help="CheckCall window in seconds (default 60, at most 30 days)",
    )
    ats.add_argument(
        "--profile",
        choices=("modern", "legacy", "mixed"),
        default="modern",
        help="error header set: modern X-Error-Bits, legacy 'old servers' headers, or both",
    )
    ats.add_argument(
        "--max-registrations",
        type=positive_int,
        default=10_000_000,
        help="cap on live registrations",
    )
    ats.add_argument(
        "--max-calls",
        type=positive_int,
        default=1_000_000,
        help="cap on call records kept for callUpdate (default 1,000,000; ~250 bytes each, "
        "see docs/ats-simulator.md)",
    )
    ats.add_argument(
        "--journal-size",
        type=positive_int,
        default=1000,
        help="requests kept in each server's journal (default 1000)",
    )
    ats.add_argument(
        "--journal-bytes",
        type=positive_int,
        default=16 * 1024 * 1024,
        help="memory cap of each server's journal in bytes (default 16 MiB)",
    )
    ats.add_argument(
        "--journal-entry-bytes",
        type=positive_int,
        default=4096,
        help="request parameters kept per journal entry, in characters; longer ones are "
        "truncated with a marker (default 4096)",
    )
    ats.add_argument(
        "--max-connections",
        type=positive_int,
        default=1000,
        help="concurrent connections per server; more get 503 and are closed (default 1000)",
    )
    limits = ats.add_argument_group("connection deadlines (every listener of the simulator)")
    limits.add_argument(
        "--request-timeout",
        type=positive_float,
        default=10.0,
        metavar="SECONDS",
        help="a connection must complete its first request this soon after connecting, and "
        "every later request this soon after its first byte; otherwise 408 (partial "
        "request) or a silent close (default 10)",
    )
    limits.add_argument(
        "--idle-timeout",
        type=positive_float,
        default=75.0,
        metavar="SECONDS",
        help="a keep-alive connection with no request in flight is closed after this (default 75)",
    )
    limits.add_argument(
        "--write-timeout",
        type=positive_float,
        default=30.0,
        metavar="SECONDS",
        help="a peer that does not read its answers for this long is disconnected (default 30)",
    )
    limits.add_argument(
        "--max-connections-per-address",
        type=positive_int,
        default=800,
        metavar="N",
        help="concurrent connections from one client address per server; more get 503 "
        "(default 800)",
    )
    ats.add_argument(
        "--control-token",
        default=os.environ.get(CONTROL_TOKEN_ENV) or None,
        help="require this token on every /__sim/ request (Authorization: Bearer TOKEN or "
        f"X-Sim-Token); default ${CONTROL_TOKEN_ENV}, else none: anyone who can reach "
        "the port can drive the control API",
    )
    ats.add_argument(
        "--ready-file", type=Path, default=None, help="write the URLs as JSON here once listening"
    )
    ats.set_defaults(handler=_run_ats)


def _run_ats(args: argparse.Namespace) -> int:
    from nabat.simulators.ats.app import AtsConfig
    from nabat.simulators.ats.plan import PlanError, default_plan, load_plan_file
    from nabat.simulators.ats.runner import run_foreground
    from nabat.simulators.control.journal import ENTRY_OVERHEAD
    from nabat.simulators.http.server import HttpLimits
    from nabat.system.runtime.ready import write_ready_file
    from nabat.system.wire.ats import HeaderProfile

    try:
        plan = load_plan_file(args.numbers) if args.numbers else default_plan()
    except PlanError as error:
        print(f"nabat sim ats: numbering plan rejected: {error}", file=sys.stderr)
        return 2
    limits = HttpLimits(
        max_connections=args.max_connections,
        max_connections_per_address=args.max_connections_per_address,
        request_timeout=args.request_timeout,
        idle_timeout=args.idle_timeout,
        write_timeout=args.write_timeout,
    )
    if args.journal_bytes < ENTRY_OVERHEAD + args.journal_entry_bytes:
        print("nabat sim ats: --journal-bytes is too small for one entry", file=sys.stderr)
        return 2
    config = AtsConfig(
        host=args.host,
        port=args.port,
        reserve_port=args.reserve_port,
        plan=plan,
        window=args.window,
        profile=HeaderProfile(args.profile),
        max_registrations=args.max_registrations,
        max_calls=args.max_calls,
        journal_size=args.journal_size,
        journal_bytes=args.journal_bytes,
        journal_entry_bytes=args.journal_entry_bytes,
        control_token=args.control_token,
        limits=limits,
    )

    def on_ready(urls: dict[str, str | None]) -> None:
        print(f"ATS simulator primary at {urls['primary']}", flush=True)
        if urls["reserve"]:
            print(f"ATS simulator reserve at {urls['reserve']}", flush=True)
        guard = (
            "token required"
            if args.control_token
            else "NO TOKEN: anyone who can reach the port can drive it (--control-token)"
        )
        print(f"control API under /__sim/ on each port, {guard}; Ctrl-C stops", flush=True)
        if args.ready_file is not None:
            write_ready_file(args.ready_file, urls)

    try:
        run_foreground(config, on_ready)
    except OSError as error:
        print(f"nabat sim ats: cannot listen: {error}", file=sys.stderr)
        return 1
    return 0
