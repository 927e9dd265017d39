"""`nabat sim smtp`: the SMTP sink in the foreground until Ctrl-C / SIGTERM.

``add_smtp_leaf`` declares the options (simulators/sim_cli.py calls it); the
handler imports the sink only when run. The SMTP address, the control API
and the CA file of a minted certificate are printed and, with
``--ready-file``, written there as JSON (``host``, ``port``, ``smtp``,
``control``, ``ca_file``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from nabat.system.cli.arguments import port, positive_float, positive_int


def add_smtp_leaf(leaves: Any) -> None:
    smtp = leaves.add_parser(
        "smtp",
        help="SMTP sink (STARTTLS, AUTH, outcomes from the world, bounces).",
        description=(
            "An SMTP sink on aiosmtpd: STARTTLS, AUTH PLAIN/LOGIN, SMTPUTF8, 8BITMIME; "
            "recipients accepted, rejected at RCPT or bounced later as the simulated world "
            "decides; messages, bounces, faults, the clock and the world over a control API "
            "under /__sim/ on its own port. See docs/smtp-sink.md."
        ),
    )
    smtp.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)"
    )
    smtp.add_argument("--port", type=port, default=2525, help="SMTP port (default 2525; 0 = free)")
    smtp.add_argument("--control-port", type=port, default=2580,
                      help="control API port (default 2580; 0 = free)")  # fmt: skip
    smtp.add_argument("--world", type=Path, default=None, metavar="FILE", help="world TOML file")
    smtp.add_argument("--config", type=Path, default=None, metavar="FILE",
                      help="accounts, TLS, limits (TOML or JSON; docs/smtp-sink.md)")  # fmt: skip
    smtp.add_argument("--ready-file", type=Path, default=None, metavar="FILE",
                      help="write the addresses and the CA file as JSON here")  # fmt: skip
    limits = smtp.add_argument_group("connection limits")
    limits.add_argument("--idle-timeout", type=positive_float, default=None, metavar="SECONDS",
                        help="a command must come this soon (default 300)")  # fmt: skip
    limits.add_argument("--data-timeout", type=positive_float, default=None, metavar="SECONDS",
                        help="the whole DATA phase (default 600)")  # fmt: skip
    limits.add_argument("--max-connections", type=positive_int, default=None, metavar="N",
                        help="connections at once (default 200)")  # fmt: skip
    limits.add_argument("--max-connections-per-address", type=positive_int, default=None,
                        metavar="N", help="from one client address (default 50)")  # fmt: skip
    smtp.set_defaults(handler=run_smtp)


def run_smtp(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from nabat.simulators.smtp.config import ConfigError, SmtpConfig, load_config
    from nabat.simulators.smtp.runner import run_foreground
    from nabat.simulators.world import WorldError, load_world
    from nabat.system.runtime.ready import write_ready_file

    try:
        config = SmtpConfig()
        if args.config is not None:
            config = load_config(args.config, config)
        changes: dict[str, Any] = {
            "host": args.host, "port": args.port, "control_port": args.control_port,
        }  # fmt: skip
        for option in ("idle_timeout", "data_timeout", "max_connections",
                       "max_connections_per_address"):  # fmt: skip
            if getattr(args, option) is not None:
                changes[option] = getattr(args, option)
        config = replace(config, **changes)
        world = load_world(args.world) if args.world is not None else None
    except (ConfigError, WorldError) as error:
        print(f"nabat sim smtp: {error}", file=sys.stderr)
        return 2

    def on_ready(info: dict[str, object]) -> None:
        print(f"SMTP sink at {info['smtp']}", flush=True)
        print(f"control API at {info['control']}", flush=True)
        if info["ca_file"]:
            print(f"trust this CA for STARTTLS: {info['ca_file']}", flush=True)
        print("Ctrl-C stops", flush=True)
        if args.ready_file is not None:
            write_ready_file(args.ready_file, info)

    try:
        run_foreground(config, on_ready, world)
    except OSError as error:
        print(f"nabat sim smtp: cannot listen: {error}", file=sys.stderr)
        return 1
    except ValueError as error:  # a certificate or key that does not load
        print(f"nabat sim smtp: {error}", file=sys.stderr)
        return 2
    return 0
