"""`nabat sim gsm`: the handler that runs the simulator in the foreground.

How it works: the options are declared in simulators/sim_cli.py (importing
this package takes seconds, which ``nabat --help`` must not pay); that
module imports this one only when the command runs. ``run`` loads the world
file, builds a ``GsmSimConfig`` and hands it to ``runner.run_foreground``;
once everything is up it prints each modem's device path (and link) and the control URL,
and writes ``--ready-file`` (JSON: paths, links, control URL, pid) through
``nabat.system.runtime.ready``. Ctrl-C or SIGTERM stops it cleanly (exit 0):
pseudo-terminals closed, links removed. Bad input (world file, options) is
exit 2; a control port that cannot be opened is exit 1.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nabat.simulators.gsm_modem.runner import GsmSimulator


def _announce(simulator: GsmSimulator, args: argparse.Namespace) -> None:
    from nabat.system.runtime.ready import write_ready_file

    bank = simulator.bank
    print(
        f"GSM modem simulator: {len(bank.modems)} modem(s), profile {args.profile}, "
        f"timing {args.timing}, speed {args.speed:g}",
        flush=True,
    )
    for modem, path, link in zip(bank.modems, bank.paths, simulator.links, strict=True):
        shown_link = f" (link {link})" if link else ""
        print(f"modem{modem.index} {path}{shown_link} number +{modem.own_number}", flush=True)
    guard = (
        "token required"
        if args.control_token
        else "NO TOKEN: anyone who can reach the port can drive it (--control-token)"
    )
    print(f"control API at {simulator.control_url}/__sim/ ({guard}); Ctrl-C stops", flush=True)
    if args.ready_file is not None:
        write_ready_file(args.ready_file, simulator.ready_info())


def run(args: argparse.Namespace) -> int:
    from nabat.simulators.gsm_modem.runner import GsmSimConfig, run_foreground
    from nabat.simulators.gsm_modem.timing import Timing
    from nabat.simulators.http.cli_limits import limits_from_args
    from nabat.simulators.http.server import HttpLimits
    from nabat.simulators.world import WorldError, load_world

    try:
        world = load_world(args.world) if args.world is not None else None
    except (WorldError, OSError) as error:
        print(f"nabat sim gsm: world file rejected: {error}", file=sys.stderr)
        return 2
    if args.link is not None and args.link.exists() and not args.link.is_dir():
        print(f"nabat sim gsm: --link {args.link} is not a directory", file=sys.stderr)
        return 2
    limits = limits_from_args(HttpLimits(), args)
    try:
        config = GsmSimConfig(
            modems=args.modems,
            profile=args.profile,
            world=world,
            link_dir=args.link,
            host=args.host,
            control_port=args.control_port,
            ats_url=args.ats,
            ats_reserve_url=args.ats_reserve,
            control_token=args.control_token,
            speed=args.speed,
            pin_required=args.pin_required,
            timing=Timing.instant() if args.timing == "instant" else Timing(),
            boot=args.boot,
            journal_entries=args.journal_entries,
            journal_bytes=args.journal_bytes,
            limits=limits,
        )
        run_foreground(config, lambda simulator: _announce(simulator, args))
    except ValueError as error:
        print(f"nabat sim gsm: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"nabat sim gsm: cannot start: {error}", file=sys.stderr)
        return 1
    return 0
