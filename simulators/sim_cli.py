"""`nabat sim ...`: start a simulator in the foreground until Ctrl-C / SIGTERM.

Each leaf's options are declared here and its handler imports the simulator
only when run, so ``nabat --help`` stays instant.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

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
    gsm = leaves.add_parser(
        "gsm",
        help="GSM modems on pseudo-terminals (AT commands, SMS, voice) with the simulated world.",
        description=(
            "Simulate GSM modems (V.250, 27.007, 27.005; SIM800, EC25, Huawei dialects), each "
            "on a pseudo-terminal any serial program opens, with a control API under /__sim/ "
            "for faults, the byte journal, the world and the clock. See "
            "docs/gsm-modem-simulator.md."
        ),
    )
    add_gsm_arguments(gsm)
    gsm.set_defaults(handler=_run_gsm)
    from nabat.simulators.mfms.cli import add_mfms_leaf

    add_mfms_leaf(leaves)
    from nabat.simulators.ftp_platform.cli import add_ftp_leaf

    add_ftp_leaf(leaves)
    from nabat.simulators.oktell.cli import add_oktell_leaf

    add_oktell_leaf(leaves)
    from nabat.simulators.smtp.cli import add_smtp_leaf

    add_smtp_leaf(leaves)


def _run_ats(args: argparse.Namespace) -> int:
    from nabat.simulators.ats.app import AtsConfig
    from nabat.simulators.ats.plan import PlanError, default_plan, load_plan_file
    from nabat.simulators.ats.runner import run_foreground
    from nabat.simulators.control.journal import ENTRY_OVERHEAD
    from nabat.simulators.http.cli_limits import limits_from_args
    from nabat.simulators.http.server import HttpLimits
    from nabat.system.runtime.ready import write_ready_file
    from nabat.system.wire.ats import HeaderProfile

    try:
        plan = load_plan_file(args.numbers) if args.numbers else default_plan()
    except PlanError as error:
        print(f"nabat sim ats: numbering plan rejected: {error}", file=sys.stderr)
        return 2
    limits = limits_from_args(HttpLimits(), args)
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


# --- nabat sim gsm ------------------------------------------------------------

GSM_CONTROL_TOKEN_ENV = "NABAT_GSM_CONTROL_TOKEN"
GSM_PROFILES = ("generic", "simcom", "quectel", "huawei")  # profiles.PROFILES (a test checks)
MAX_GSM_MODEMS = 256  # bank.MAX_MODEMS
MAX_GSM_SPEED = 10_000.0


def modem_count(text: str) -> int:
    value = positive_int(text)
    if value > MAX_GSM_MODEMS:
        raise argparse.ArgumentTypeError(f"at most {MAX_GSM_MODEMS} modems")
    return value


def speed_factor(text: str) -> float:
    value = positive_float(text)
    if value > MAX_GSM_SPEED:
        raise argparse.ArgumentTypeError(f"must be at most {MAX_GSM_SPEED:g}")
    return value


def http_url(text: str) -> str:
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise argparse.ArgumentTypeError(f"an http:// URL expected, got {text!r}")
    return text.rstrip("/")


def deadline_seconds(text: str) -> float:
    value = positive_float(text)
    if not math.isfinite(value) or value > 86400:
        raise argparse.ArgumentTypeError("must be at most 86400 seconds")
    return value


def add_gsm_arguments(gsm: argparse.ArgumentParser) -> None:
    gsm.add_argument(
        "--modems", type=modem_count, default=1, metavar="N",
        help="how many modems, each on its own pseudo-terminal "
        f"(default 1, at most {MAX_GSM_MODEMS})",
    )  # fmt: skip
    gsm.add_argument(
        "--link", type=Path, default=None, metavar="DIR",
        help="also create DIR/modem0 ... DIR/modemN-1, symbolic links to the devices "
        "(kept pointing at the device when an unplugged modem comes back)",
    )  # fmt: skip
    gsm.add_argument(
        "--profile", choices=GSM_PROFILES, default="generic",
        help="dialect: generic 27.007, simcom (SIM800), quectel (EC25), huawei (E-series) "
        "(default generic)",
    )  # fmt: skip
    gsm.add_argument(
        "--world", type=Path, default=None, metavar="FILE",
        help="world file (TOML, docs/world.md): who answers, DTMF keys, SMS delivery, "
        "scripted incoming calls and SMS (default: the embedded default world)",
    )  # fmt: skip
    gsm.add_argument("--host", default="127.0.0.1",
                     help="address of the control API (default 127.0.0.1)")  # fmt: skip
    gsm.add_argument(
        "--control-port", type=port, default=8095,
        help="port of the control API (default 8095; 0 = a free port)",
    )  # fmt: skip
    gsm.add_argument(
        "--ats", type=http_url, default=None, metavar="URL",
        help="ATS simulator (or hub) the world's anti-fraud link uses: outgoing calls the "
        "system did not register are blocked, scripted genuine incoming calls are registered "
        "(default: none, nothing checked)",
    )  # fmt: skip
    gsm.add_argument("--ats-reserve", type=http_url, default=None, metavar="URL",
                     help="the ATS reserve server (default none)")  # fmt: skip
    gsm.add_argument(
        "--control-token", default=os.environ.get(GSM_CONTROL_TOKEN_ENV) or None,
        help="require this token on every /__sim/ request (Authorization: Bearer TOKEN or "
        f"X-Sim-Token); default ${GSM_CONTROL_TOKEN_ENV}, else none: anyone who can reach the "
        "port can drive the control API",
    )  # fmt: skip
    gsm.add_argument("--ready-file", type=Path, default=None, metavar="FILE",
                     help="write device paths, links and the control URL as JSON here "
                     "once up")  # fmt: skip
    gsm.add_argument(
        "--speed", type=speed_factor, default=1.0, metavar="FACTOR",
        help="simulated seconds per real second (default 1: as fast as a real modem and a "
        f"real network; at most {MAX_GSM_SPEED:g})",
    )  # fmt: skip
    gsm.add_argument("--pin-required", action="store_true",
                     help="every SIM asks for its PIN (0000) at power-on")  # fmt: skip
    gsm.add_argument(
        "--timing", choices=("realistic", "instant"), default="realistic",
        help="command and network delays: realistic (SIM800/EC25-like, default) or instant "
        "(none: benchmarks of the command path)",
    )  # fmt: skip
    gsm.add_argument("--boot", action="store_true",
                     help="start as just powered on: boot URCs, then registration "
                     "(default: long powered on, registered)")  # fmt: skip
    gsm.add_argument("--journal-entries", type=positive_int, default=20_000, metavar="N",
                     help="byte-journal entries kept per modem (default 20000)")  # fmt: skip
    gsm.add_argument("--journal-bytes", type=positive_int, default=4 << 20, metavar="BYTES",
                     help="byte-journal memory cap per modem (default 4 MiB)")  # fmt: skip
    limits = gsm.add_argument_group("control API connection limits")
    limits.add_argument("--request-timeout", type=deadline_seconds, default=10.0,
                        metavar="SECONDS", help="a request must be complete this soon "
                        "(default 10)")  # fmt: skip
    limits.add_argument("--idle-timeout", type=deadline_seconds, default=75.0, metavar="SECONDS",
                        help="idle keep-alive connections are closed after this "
                        "(default 75)")  # fmt: skip
    limits.add_argument("--write-timeout", type=deadline_seconds, default=30.0,
                        metavar="SECONDS", help="a peer that does not read its answers this "
                        "long is dropped (default 30)")  # fmt: skip
    limits.add_argument("--max-connections", type=positive_int, default=100, metavar="N",
                        help="concurrent control connections (default 100)")  # fmt: skip
    limits.add_argument("--max-connections-per-address", type=positive_int, default=80,
                        metavar="N", help="from one client address (default 80)")  # fmt: skip


def _run_gsm(args: argparse.Namespace) -> int:
    from nabat.simulators.gsm_modem.cli_run import run

    return run(args)
