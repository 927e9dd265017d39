"""Entry point of the `nabat` command.

Each command group lives in its own module exposing ``register(subparsers)``;
a group adds its subcommands and sets ``handler`` (a callable taking the parsed
namespace and returning an exit code) on each leaf parser. Imports of heavy
packages happen inside handlers so that ``nabat --help`` stays instant.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from nabat.system.cli import (
    bench_cmd,
    client_cmd,
    conformance_cmd,
    demo_cmd,
    load_cmd,
    serve_cmd,
    sim_cmd,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nabat",
        description="Nabat: mass-notification server, simulators, conformance suites, load tests.",
    )
    groups = parser.add_subparsers(dest="group", metavar="COMMAND")
    for module in (
        serve_cmd, client_cmd, sim_cmd, conformance_cmd, load_cmd, bench_cmd, demo_cmd,
    ):  # fmt: skip
        module.register(groups)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        # A group named without a subcommand: show that group's help.
        help_parser = getattr(args, "group_parser", parser)
        help_parser.print_help()
        return 2
    try:
        return int(handler(args))
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
