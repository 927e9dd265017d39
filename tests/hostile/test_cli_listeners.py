"""Every listener the CLI ships is in the hostile-client battery.

The listeners are ``nabat serve``, every leaf of ``nabat sim`` (each
simulator listens) and ``nabat up`` (all of them in one process: covered when
every listener it is ``COMPOSED`` of is, and a listener of its own, like
``nabat up``'s web console, does not excuse a part without one); the parser
is the real one (``build_parser``, with the command groups the installed
packages register), so a simulator added
under ``nabat sim`` fails here until a ``Listener`` for it joins
``tests/hostile/listeners.py``.
"""

from __future__ import annotations

import argparse
import sys

import pytest
from nabat.system.cli.main import build_parser

from tests.hostile.cli_tree import leaves, subcommands
from tests.hostile.listeners import COMPOSED, LISTENERS


def listening_commands(parser: argparse.ArgumentParser) -> list[tuple[str, ...]]:
    """``serve``, ``up`` and every ``sim`` leaf of ``parser``."""
    groups = subcommands(parser)
    assert "serve" in groups and "sim" in groups and "up" in groups, sorted(groups)
    return [("serve",), ("up",), *(("sim", *leaf) for leaf in leaves(groups["sim"]))]


def without_battery(parser: argparse.ArgumentParser) -> list[str]:
    """The listening commands the battery misses: a composed one is covered only when
    every part is, whether or not it also has a ``Listener`` of its own."""
    own = {command for listener in LISTENERS for command in listener.commands}
    covered = own - set(COMPOSED)
    covered |= {command for command, parts in COMPOSED.items() if set(parts) <= covered}
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


def test_a_composed_command_is_made_of_battery_listeners() -> None:
    commands = set(listening_commands(build_parser()))
    covered = {command for listener in LISTENERS for command in listener.commands}
    for command, parts in COMPOSED.items():
        assert command in commands and set(parts) <= covered, command
        assert len(parts) == len(set(parts)), command


def test_a_composed_command_with_its_own_listener_still_needs_its_parts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    own = [listener for listener in LISTENERS if ("up",) in listener.commands]
    assert own, "nabat up's web console has no Listener"
    assert without_battery(build_parser()) == []
    without_smtp = tuple(each for each in LISTENERS if ("sim", "smtp") not in each.commands)
    monkeypatch.setattr(sys.modules[__name__], "LISTENERS", without_smtp)
    assert without_battery(build_parser()) == ["up", "sim smtp"]


def test_a_new_simulator_without_a_listener_is_caught() -> None:
    parser = build_parser()
    sim = subcommands(parser)["sim"]
    action = next(a for a in sim._actions if isinstance(a, argparse._SubParsersAction))
    action.add_parser("future", help="a simulator the battery does not know yet")
    assert without_battery(parser) == ["sim future"]
