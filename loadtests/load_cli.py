"""`nabat load ats`: the Locust load suite of the ATS call-verification path.

How it works: ``register`` adds the ``load`` group with its ``ats`` leaf.
The handler turns the options into a ``LoadPlan`` (``plan_from_args``: the
suite's own options become ``--ats-*`` Locust flags, checked here first so a
mistake fails in a second rather than after Locust starts) and hands it to
``nabat.loadtests.locust.process.run_plan``, which runs Locust headless — one
process, or ``--workers N`` local workers under a master — and returns its
exit code (nonzero when any request failed). Imports of the suite happen in
the handler so that ``nabat --help`` stays instant.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from nabat.system.cli.arguments import non_negative_int, port, positive_float, positive_int
from nabat.system.cli.groups import add_group

_RUN_TIME = re.compile(r"^(?:\d+h)?(?:\d+m)?(?:\d+s)?$|^\d+$")

# nabat option dest -> the suite's Locust flag (see loadtests/locust/settings.py)
SUITE_FLAGS: dict[str, str] = {
    "mix": "--ats-mix",
    "op1_numbers": "--ats-op1-numbers",
    "op2_numbers": "--ats-op2-numbers",
    "op1_source": "--ats-op1-source",
    "op2_source": "--ats-op2-source",
    "wait_min": "--ats-wait-min",
    "wait_max": "--ats-wait-max",
    "user_rate": "--ats-user-rate",
    "timeout": "--ats-timeout",
    "max_workers": "--ats-max-workers",
    "slots_per_worker": "--ats-slots-per-worker",
    "reserve": "--ats-reserve",
    "budget": "--ats-budget",
}


def _run_time(text: str) -> str:
    if not text or not _RUN_TIME.match(text):
        raise argparse.ArgumentTypeError("expected e.g. 30s, 5m, 1h30m or plain seconds")
    return text


def register(subparsers: Any) -> None:
    leaves = add_group(subparsers, "load", "Run Locust load tests.")
    ats = leaves.add_parser(
        "ats",
        help="Load the ATS call-verification API (the simulator or a real hub) with Locust.",
        description=(
            "Run the Locust suite of the ATS call-verification path headless, with Locust's "
            "CSV and HTML reports. Exit code 1 when any request failed. See "
            "docs/load-testing.md."
        ),
    )
    run = ats.add_argument_group("the run")
    run.add_argument("--host", "--target", dest="host",
                     help="the hub's primary URL, e.g. http://127.0.0.1:8085 (--target, as in "
                     "nabat conformance, is the same option; default: none, required)")
    run.add_argument("--users", type=positive_int, default=20, help="users (default 20)")
    run.add_argument(
        "--spawn-rate",
        type=positive_float,
        default=None,
        help="users started per second (default: all at once)",
    )
    run.add_argument("--run-time", type=_run_time, default="30s", help="e.g. 30s, 5m (default 30s)")
    run.add_argument(
        "--workers",
        type=non_negative_int,
        default=0,
        help="local Locust worker processes under a master (default 0: one process)",
    )
    run.add_argument("--html", type=Path, default=None, help="write Locust's HTML report here")
    run.add_argument(
        "--csv", default=None, metavar="PREFIX", help="write Locust's CSV reports PREFIX_*.csv"
    )
    run.add_argument(
        "--scenario",
        choices=("api", "system"),
        default="api",
        help="api: FastHttpUser on the HTTP API; system: the system's VerificationClient",
    )
    run.add_argument(
        "--progress", action="store_true", help="print Locust's stats table every few seconds"
    )
    run.add_argument(
        "--print-locustfile",
        action="store_true",
        help="print the locustfile's path (for attaching workers) and exit",
    )
    dist = ats.add_argument_group("workers on other machines")
    dist.add_argument(
        "--remote-workers",
        type=non_negative_int,
        default=0,
        help="also wait for this many workers started elsewhere (see --master-bind-host)",
    )
    dist.add_argument(
        "--master-bind-host",
        default="127.0.0.1",
        help="address the master listens on for workers (default 127.0.0.1)",
    )
    dist.add_argument(
        "--master-port", type=port, default=0, help="master port (default 0: a free port)"
    )
    suite = ats.add_argument_group(
        "the suite (default: NABAT_ATS_* environment variables, else the built-in defaults)"
    )
    suite.add_argument(
        "--mix",
        default=None,
        help="task weights, e.g. genuine=40,cross=20,spoofed=20,malformed=5,update=10,ping=5",
    )
    suite.add_argument(
        "--op1-numbers", default=None, help="operator 1's FIRST-LAST (default 79000000000-...)"
    )
    suite.add_argument(
        "--op2-numbers", default=None, help="operator 2's FIRST-LAST (default 79100000000-...)"
    )
    suite.add_argument(
        "--op1-source", default=None, help="operator 1's source address ('' = OS choice)"
    )
    suite.add_argument(
        "--op2-source",
        default=None,
        help="operator 2's source address (default 127.0.0.2; '' = none, needs cross=0)",
    )
    suite.add_argument("--wait-min", default=None, help="think time minimum, seconds")
    suite.add_argument("--wait-max", default=None, help="think time maximum, seconds")
    suite.add_argument("--user-rate", default=None, help="tasks/s per user (constant pacing)")
    suite.add_argument("--timeout", "--target-timeout", dest="timeout", default=None,
                       help="request timeout, seconds (default 10; --target-timeout is the "
                       "same option)")
    suite.add_argument("--max-workers", default=None, help="partition bound (default 16)")
    suite.add_argument("--slots-per-worker", default=None, help="partition bound (default 2000)")
    suite.add_argument("--reserve", default=None, help="system scenario: the reserve's URL")
    suite.add_argument(
        "--budget", default=None, help="system scenario: the client's budget, seconds"
    )
    ats.set_defaults(handler=_run_ats)


def suite_options(args: argparse.Namespace) -> dict[str, str]:
    """The suite flags the user gave (others stay to the environment / defaults)."""
    return {
        flag: str(getattr(args, dest))
        for dest, flag in SUITE_FLAGS.items()
        if getattr(args, dest, None) is not None
    }


def plan_from_args(args: argparse.Namespace) -> Any:
    """The ``LoadPlan`` for these options (raises ``SettingsError`` on bad suite options)."""
    from nabat.loadtests.locust.command import LoadPlan
    from nabat.loadtests.locust.settings import OPTIONS, AtsSettings

    flags = suite_options(args)
    effective = SimpleNamespace(
        **{
            spec.dest: flags.get(spec.flag, os.environ.get(spec.env, spec.default))
            for spec in OPTIONS
        }
    )
    AtsSettings.from_options(effective)
    return LoadPlan(
        host=args.host,
        users=args.users,
        spawn_rate=args.spawn_rate,
        run_time=args.run_time,
        workers=args.workers,
        remote_workers=args.remote_workers,
        html=args.html,
        csv=args.csv,
        scenario=args.scenario,
        suite_options=flags,
        master_bind_host=args.master_bind_host,
        master_port=args.master_port,
        progress=args.progress,
    )


def _run_ats(args: argparse.Namespace) -> int:
    from nabat.loadtests.locust.command import LOCUSTFILE
    from nabat.loadtests.locust.process import run_plan
    from nabat.loadtests.locust.settings import SettingsError

    if args.print_locustfile:
        print(LOCUSTFILE)
        return 0
    if not args.host:
        print("nabat load ats: --host URL is required", file=sys.stderr)
        return 2
    try:
        plan = plan_from_args(args)
    except SettingsError as error:
        print(f"nabat load ats: {error}", file=sys.stderr)
        return 2
    return run_plan(plan)
