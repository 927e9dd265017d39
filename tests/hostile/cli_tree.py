"""The `nabat` command tree as argparse built it: which leaves (runnable commands) exist.

``subcommands(parser)`` maps each subcommand name of a parser to its parser;
``leaves(parser)`` walks the tree and yields the path of every command that
has a handler (``("serve",)``, ``("sim", "ats")``, ...). argparse keeps
subparsers in a private attribute (``_SubParsersAction.choices``); this is
the one place that reads it.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator


def subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    found: dict[str, argparse.ArgumentParser] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            found.update(action.choices)
    return found


def leaves(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> Iterator[tuple[str, ...]]:
    children = subcommands(parser)
    if not children:
        yield path
    for name, child in children.items():
        yield from leaves(child, (*path, name))
