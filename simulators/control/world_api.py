"""The control APIs' world routes (``/__sim/world``...), one set for every simulator.

Each function takes the simulator's ``WorldRuntime`` and the request's
strict JSON body and query, and returns the JSON answer or raises
``ControlError``: the rules and state, the decision journal, adding an
override (at most ``MAX_OVERRIDES`` distinct keys; a replaced key does not
count) and removing one by key (``?key=`` or ``{"key": ...}``).
"""

from __future__ import annotations

from collections.abc import Mapping

from nabat.simulators.control.json_api import Body, ControlError, only, query_whole, text
from nabat.simulators.world import WorldError, parse_override
from nabat.simulators.world.runtime import WorldRuntime

MAX_OVERRIDES = 10_000


def world_json(runtime: WorldRuntime) -> dict[str, object]:
    """``GET world``: the rules as in a world file and the runtime state."""
    return {"rules": runtime.rules_json(), "state": runtime.state_json()}


def world_journal_json(
    runtime: WorldRuntime, query: Mapping[str, str], max_limit: int
) -> dict[str, object]:
    """``GET world/journal?limit=N``: the newest decisions and how many were ever made."""
    limit = query_whole(query, "limit", 100, max_limit)
    return {"entries": runtime.journal_json(limit), "appended": runtime.journal.appended}


def add_override(runtime: WorldRuntime, body: Body) -> dict[str, object]:
    """``POST world/overrides``: add (or replace) the override ``body`` describes."""
    try:
        override = parse_override(body)
    except WorldError as error:
        raise ControlError(str(error)) from None
    known = {existing.key for existing in runtime.world.overrides}
    if override.key not in known and len(known) >= MAX_OVERRIDES:
        raise ControlError(f"the world holds at most {MAX_OVERRIDES} overrides")
    runtime.add_override(override)
    return {"key": override.key, "override": override.to_json()}


def remove_override(
    runtime: WorldRuntime,
    body: Body,
    query: Mapping[str, str],
    example: str = 'number%2079000000001 or {"key": ...}',
) -> dict[str, object]:
    """``DELETE world/overrides``: remove the override named by ``key``.

    ``example`` shows a key in the error when none is given.
    """
    only(body, ("key",))
    key = text(query.get("key") or body.get("key") or "", "key", 200)
    if not key:
        raise ControlError(f"name the override: ?key={example}")
    try:
        runtime.remove_override(key)
    except KeyError:
        raise ControlError(f"no override {key!r}", 404) from None
    return {"removed": key}
