"""Entry point of the `nabat` command.

How it works: the product contributes its own command groups (``serve``,
``client``); every other package of the distribution contributes its groups
through the ``nabat.commands`` entry-point group (pyproject.toml), each entry
naming a ``register(subparsers)`` function. So the product's CLI never
imports the harness (simulators, suites, load tests): it only loads what is
registered. A group adds its subcommands and sets ``handler`` (a callable
taking the parsed namespace and returning an exit code) on each leaf parser.
Imports of heavy packages happen inside handlers so that ``nabat --help``
stays instant.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from importlib.metadata import EntryPoint, PackageNotFoundError, entry_points, version
from typing import Any

from nabat.system.cli import client_cmd, serve_cmd

ENTRY_POINT_GROUP = "nabat.commands"
DISTRIBUTION = "nabat"

# Where registered groups appear in `nabat --help`; unknown names come after, by name.
GROUP_ORDER = ("sim", "conformance", "load", "bench", "demo")

Register = Callable[[Any], None]


def registered_groups() -> list[tuple[str, EntryPoint]]:
    """The command groups other packages registered, in help order."""
    found = {entry.name: entry for entry in entry_points(group=ENTRY_POINT_GROUP)}

    def rank(name: str) -> tuple[int, str]:
        return (GROUP_ORDER.index(name) if name in GROUP_ORDER else len(GROUP_ORDER), name)

    return [(name, found[name]) for name in sorted(found, key=rank)]


def installed_version() -> str:
    """The installed distribution's version (``nabat --version``)."""
    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown (not installed)"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nabat",
        description="Nabat: mass-notification server, simulators, conformance suites, load tests.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {installed_version()}")
    groups = parser.add_subparsers(dest="group", metavar="COMMAND")
    for own in (serve_cmd, client_cmd):
        own.register(groups)
    for name, entry in registered_groups():
        register: Register = entry.load()
        try:
            register(groups)
        except argparse.ArgumentError as error:  # two packages claim one name
            message = f"nabat: command group {name!r} cannot be registered: {error}"
            raise SystemExit(message) from None
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
