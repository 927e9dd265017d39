"""`nabat sim mfms`: the MFMS HPG simulator in the foreground until Ctrl-C / SIGTERM.

``add_mfms_leaf`` declares the options (simulators/sim_cli.py calls it); the
handler imports the simulator only when run, so ``nabat --help`` stays
instant. The URLs and the CA file of a minted certificate are printed and,
with ``--ready-file``, written there as JSON (``http``, ``https``,
``ca_file``); ``--ca-dir`` keeps the minted CA in a folder of your choice.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from nabat.simulators.http.cli_limits import add_limit_options, limits_from_args
from nabat.system.cli.arguments import port


def add_mfms_leaf(leaves: Any) -> None:
    mfms = leaves.add_parser(
        "mfms",
        help="MFMS HPG SMS platform (HTTP and HTTPS, many messages per request).",
        description=(
            "Simulate the MFMS HPG SMS gateway: /<client>/<connector>/send and /status over "
            "HTTP and HTTPS, delivery decided by the simulated world, a control API under "
            "/__sim/. See docs/mfms-simulator.md."
        ),
    )
    mfms.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)"
    )
    mfms.add_argument("--port", type=port, default=9876, help="HTTP port (default 9876; 0 = free)")
    mfms.add_argument(
        "--tls-port", type=port, default=9875, help="HTTPS port (default 9875; 0 = free)"
    )
    mfms.add_argument("--no-tls", action="store_true", help="no HTTPS listener")
    mfms.add_argument("--world", type=Path, default=None, metavar="FILE", help="world TOML file")
    mfms.add_argument(
        "--config", type=Path, default=None, metavar="FILE",
        help="connectors, error profile, blocked prefixes, URL limit (TOML or JSON)",
    )  # fmt: skip
    mfms.add_argument("--cert", type=Path, default=None, metavar="FILE", help="TLS certificate")
    mfms.add_argument("--key", type=Path, default=None, metavar="FILE", help="TLS private key")
    mfms.add_argument(
        "--ca-dir", type=Path, default=None, metavar="DIR",
        help="write the minted CA (mfms-ca.pem) here (default: a temporary folder)",
    )  # fmt: skip
    mfms.add_argument(
        "--error-profile", choices=("http500", "http200"), default=None,
        help="request-level errors as HTTP 500 with a description (default) or HTTP 200 with "
        "the code alone",
    )  # fmt: skip
    mfms.add_argument(
        "--ready-file", type=Path, default=None, metavar="FILE",
        help="write the URLs and the CA file as JSON here once listening",
    )  # fmt: skip
    add_limit_options(mfms, "connection limits (both listeners)", "live connections per listener")
    mfms.set_defaults(handler=run_mfms)


def run_mfms(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from nabat.simulators.mfms.config import ConfigError, MfmsConfig, load_config
    from nabat.simulators.mfms.runner import run_foreground
    from nabat.simulators.world import WorldError, load_world
    from nabat.system.runtime.ready import write_ready_file

    if (args.cert is None) != (args.key is None):
        print("nabat sim mfms: give --cert and --key together", file=sys.stderr)
        return 2
    try:
        config = MfmsConfig()
        if args.config is not None:
            config = load_config(args.config, config)
        world = load_world(args.world) if args.world is not None else None
    except (ConfigError, WorldError) as error:
        print(f"nabat sim mfms: {error}", file=sys.stderr)
        return 2
    limits = limits_from_args(config.limits, args)
    changes: dict[str, Any] = {
        "limits": limits,
        "host": args.host,
        "port": args.port,
        "tls_port": None if args.no_tls else args.tls_port,
        "ca_dir": args.ca_dir,
    }
    if args.cert is not None:
        changes.update(cert_file=args.cert, key_file=args.key)
    if args.error_profile is not None:
        changes["error_profile"] = args.error_profile
    config = replace(config, **changes)

    def on_ready(urls: dict[str, str | None]) -> None:
        print(f"MFMS simulator HTTP at {urls['http']}", flush=True)
        if urls["https"]:
            print(f"MFMS simulator HTTPS at {urls['https']}", flush=True)
        if urls["ca_file"]:
            print(f"trust this CA for HTTPS: {urls['ca_file']}", flush=True)
        print("control API under /__sim/ on each port; Ctrl-C stops", flush=True)
        if args.ready_file is not None:
            write_ready_file(args.ready_file, urls)

    try:
        run_foreground(config, on_ready, world)
    except OSError as error:
        print(f"nabat sim mfms: cannot listen: {error}", file=sys.stderr)
        return 1
    except ValueError as error:  # a certificate or key that does not load
        print(f"nabat sim mfms: {error}", file=sys.stderr)
        return 2
    return 0
