"""The task mix: which kinds of call a user makes, in what proportion.

How it works: a mix is a mapping action -> non-negative integer weight,
written on the command line as ``genuine=40,cross=20,spoofed=20,...``
(names not given keep their default weight; ``0`` disables an action).
``MixPicker`` draws the next action with ``random.choices`` over cumulative
weights, so one Locust task serves the whole mix and the weights can come
from the command line (Locust's ``@task`` weights are fixed at import time).
"""

from __future__ import annotations

import enum
import itertools
import random
from collections.abc import Iterable, Mapping


class Action(enum.Enum):
    GENUINE = "genuine"  # RegisterCall then CheckCall of the same pair, one operator
    CROSS = "cross"  # RegisterCall from operator 1, CheckCall from operator 2
    SPOOFED = "spoofed"  # CheckCall of a pair never registered: 404
    MALFORMED = "malformed"  # a malformed request: 400 with the right X-Error-Bits
    UPDATE = "update"  # callUpdate of an earlier CheckCall's CALL_ID: 200
    PING = "ping"  # ping: 200


DEFAULT_MIX: Mapping[Action, int] = {
    Action.GENUINE: 40,
    Action.CROSS: 20,
    Action.SPOOFED: 20,
    Action.MALFORMED: 5,
    Action.UPDATE: 10,
    Action.PING: 5,
}


class MixError(ValueError):
    """A mix specification that cannot be used."""


def parse_mix(text: str, base: Mapping[Action, int] = DEFAULT_MIX) -> dict[Action, int]:
    """``"genuine=40,cross=0"`` -> weights (unnamed actions keep ``base``)."""
    weights = dict(base)
    for item in filter(None, (part.strip() for part in text.split(","))):
        name, sep, value = item.partition("=")
        try:
            action = Action(name.strip())
        except ValueError:
            known = ", ".join(a.value for a in Action)
            raise MixError(f"unknown action {name.strip()!r} (known: {known})") from None
        if not sep or not value.strip().isdigit():
            raise MixError(f"weight of {action.value} must be a non-negative integer: {item!r}")
        weights[action] = int(value)
    if not any(weights.values()):
        raise MixError("every weight is 0: nothing to do")
    return weights


def format_mix(weights: Mapping[Action, int]) -> str:
    return ",".join(f"{action.value}={weight}" for action, weight in weights.items())


class MixPicker:
    """Draws actions in proportion to their weights."""

    def __init__(self, weights: Mapping[Action, int], only: Iterable[Action] | None = None) -> None:
        allowed = set(only) if only is not None else set(Action)
        chosen = [(a, w) for a, w in weights.items() if w > 0 and a in allowed]
        if not chosen:
            raise MixError("no action with a positive weight for this scenario")
        self.actions = [action for action, _ in chosen]
        self._cumulative = list(itertools.accumulate(weight for _, weight in chosen))
        self._random = random.Random()

    def pick(self) -> Action:
        return self._random.choices(self.actions, cum_weights=self._cumulative)[0]
