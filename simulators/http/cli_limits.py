"""The ``connection limits`` options of the simulators' HTTP leaves (`nabat sim ...`).

``add_limit_options`` declares the three deadlines (``--request-timeout``,
``--idle-timeout``, ``--write-timeout``, seconds) and the two connection
caps (``--max-connections``, ``--max-connections-per-address``) in one
argument group; ``limits_from_args`` copies what was given into an
``HttpLimits``. Only argparse is imported here, so ``nabat --help`` stays
instant.
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from typing import TYPE_CHECKING

from nabat.system.cli.arguments import positive_float, positive_int

if TYPE_CHECKING:
    from nabat.simulators.http.server import HttpLimits

DEADLINES = (
    ("--request-timeout", 10.0, "a request must be complete this soon (default 10)"),
    ("--idle-timeout", 75.0, "an idle keep-alive connection is closed after (default 75)"),
    ("--write-timeout", 30.0, "a peer that does not read this long is dropped (default 30)"),
)


def add_limit_options(
    parser: argparse.ArgumentParser, title: str, connections: str = "live connections"
) -> None:
    """The deadlines and caps under ``title``; ``connections`` words the first cap's help."""
    limits = parser.add_argument_group(title)
    for option, default, text in DEADLINES:
        limits.add_argument(
            option, type=positive_float, default=default, metavar="SECONDS", help=text
        )
    limits.add_argument("--max-connections", type=positive_int, default=1000, metavar="N",
                        help=f"{connections} (default 1000)")  # fmt: skip
    limits.add_argument("--max-connections-per-address", type=positive_int, default=800,
                        metavar="N", help="from one client address (default 800)")  # fmt: skip


def limits_from_args(limits: HttpLimits, args: argparse.Namespace) -> HttpLimits:
    """``limits`` with the deadlines and caps the command line gave."""
    return replace(
        limits,
        request_timeout=args.request_timeout,
        idle_timeout=args.idle_timeout,
        write_timeout=args.write_timeout,
        max_connections=args.max_connections,
        max_connections_per_address=args.max_connections_per_address,
    )
