"""Every listener the CLI ships is in the hostile-client battery.

The listeners are ``nabat serve`` and every leaf of ``nabat sim`` (each
simulator listens); the parser is the real one (``build_parser``, with the
command groups the installed packages register), so a simulator added
under ``nabat sim`` fails here until a ``Listener`` for it joins
``tests/hostile/listeners.py``.
"""

from __future__ import annotations

import argparse

from nabat.system.cli.main import build_parser

from tests.hostile.cli_tree import leaves, subcommands
from tests.hostile.listeners import LISTENERS


def listening_commands(parser: argparse.ArgumentParser) -> list[tuple[str, ...]]:
    """``serve`` and every ``sim`` leaf of ``parser``."""
    groups = subcommands(parser)
    assert "serve" in groups and "sim" in groups, sorted(groups)
    return [("serve",), *(("sim", *leaf) for leaf in leaves(groups["sim"]))]


def without_battery(parser: argparse.ArgumentParser) -> list[str]:
    covered = {command for listener in LISTENERS for command in listener.commands}
    return [" ".join(command) for command in listening_commands(parser) if command not in covered]


def test_every_listener_of_the_cli_has_the_battery() -> None:
    missing = without_battery(build_parser())
    assert not missing, (
        f"listeners without the hostile-client battery: {missing}; add a Listener for each "
        "to tests/hostile/listeners.py (docs/hostile-clients.md)"
    )


def test_every_battery_listener_is_a_cli_command() -> None:
    commands = set(listening_commands(build_parser()))
    for listener in LISTENERS:
        assert set(listener.commands) <= commands, listener.name


def test_a_new_simulator_without_a_listener_is_caught() -> None:
    parser = build_parser()
    sim = subcommands(parser)["sim"]
    action = next(a for a in sim._actions if isinstance(a, argparse._SubParsersAction))
    action.add_parser("future", help="a simulator the battery does not know yet")
    assert without_battery(parser) == ["sim future"]
