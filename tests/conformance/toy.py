"""A tiny protocol-free suite for testing the framework without a network:
three clauses, a binding whose environment is a dict, cases built on demand."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from nabat.conformance.framework import (
    AllowList,
    CaseContext,
    ClauseRegistry,
    Note,
    RunConfig,
    Suite,
)
from nabat.conformance.framework.clauses import untestable
from nabat.conformance.framework.setup import SetupError

TODAY = dt.date(2026, 1, 15)


def toy_registry() -> ClauseRegistry:
    registry = ClauseRegistry("TOY", "Toy protocol")
    registry.must("TOY-MUST-ONE", "§1", "the first must")
    registry.should("TOY-SHOULD-ONE", "§2", "the first should")
    registry.may("TOY-MAY-ONE", "§3", "the first may")
    registry.must("TOY-NEVER", "§4", "a clause no case declares")
    registry.may("TOY-UNCHECKED", "§5", "a statement no case checks, for a reason",
                 unchecked=untestable("it is internal state"))
    return registry


class ToyBinding:
    def __init__(self, absent: Mapping[str, str] | None = None,
                 setup_problem: str | None = None) -> None:
        self.absent = dict(absent or {})
        self.setup_problem = setup_problem
        self.preflights = 0
        self.opened = 0
        self.closed = False

    def preflight(self) -> None:
        self.preflights += 1
        if self.setup_problem is not None:
            raise SetupError(self.setup_problem)

    def absent_capabilities(self) -> Mapping[str, str]:
        return self.absent

    @contextmanager
    def open(self, ctx: CaseContext) -> Iterator[dict[str, Any]]:
        self.opened += 1
        ctx.record(Note("opened"))
        yield {"value": 1}

    def describe(self) -> Mapping[str, Any]:
        return {"target": "toy://"}

    def close(self) -> None:
        self.closed = True


def toy_suite(binding: ToyBinding | None = None) -> Suite[dict[str, Any]]:
    chosen = binding or ToyBinding()
    return Suite("toy", toy_registry(), {"feature": "an optional feature"},
                 lambda config: chosen)


def toy_config(allowlist: AllowList | None = None, **values: Any) -> RunConfig:
    return RunConfig(target="toy://", allowlist=allowlist or AllowList(), today=TODAY, **values)
