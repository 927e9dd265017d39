"""`nabat sim ...`: start a simulator in the foreground until Ctrl-C / SIGTERM."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from nabat.system.cli.arguments import port, positive_float, positive_int
from nabat.system.cli.groups import add_group


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
        type=positive_float,
        default=60.0,
        help="CheckCall window in seconds (default 60)",
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
        help="cap on call records kept for callUpdate",
    )
    ats.add_argument(
        "--journal-size",
        type=positive_int,
        default=1000,
        help="requests kept in each server's journal",
    )
    ats.add_argument(
        "--ready-file", type=Path, default=None, help="write the URLs as JSON here once listening"
    )
    ats.set_defaults(handler=_run_ats)


def _run_ats(args: argparse.Namespace) -> int:
    from nabat.simulators.ats.app import AtsConfig
    from nabat.simulators.ats.plan import PlanError, default_plan, load_plan_file
    from nabat.simulators.ats.runner import run_foreground
    from nabat.system.runtime.ready import write_ready_file
    from nabat.system.wire.ats import HeaderProfile

    try:
        plan = load_plan_file(args.numbers) if args.numbers else default_plan()
    except PlanError as error:
        print(f"nabat sim ats: numbering plan rejected: {error}", file=sys.stderr)
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
    )

    def on_ready(urls: dict[str, str | None]) -> None:
        print(f"ATS simulator primary at {urls['primary']}", flush=True)
        if urls["reserve"]:
            print(f"ATS simulator reserve at {urls['reserve']}", flush=True)
        print("control API under /__sim/ on each port; Ctrl-C stops", flush=True)
        if args.ready_file is not None:
            write_ready_file(args.ready_file, urls)

    try:
        run_foreground(config, on_ready)
    except OSError as error:
        print(f"nabat sim ats: cannot listen: {error}", file=sys.stderr)
        return 1
    return 0
