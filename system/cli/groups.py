"""Helper shared by the command-group modules: a group parser that prints its
own help when no subcommand is given."""

from __future__ import annotations

import argparse
from typing import Any


def add_group(subparsers: Any, name: str, help_text: str) -> Any:
    """Add a command group and return the sub-subparsers object for its leaves."""
    group: argparse.ArgumentParser = subparsers.add_parser(
        name, help=help_text, description=help_text
    )
    group.set_defaults(group_parser=group)
    return group.add_subparsers(dest=f"{name}_command", metavar="SUBCOMMAND")
