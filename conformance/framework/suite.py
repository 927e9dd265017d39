"""A suite: the clause registry of one spec, its capabilities and its cases.

Cases are plain functions ``(ctx, env) -> None`` registered with
``@suite.case("CLAUSE-ID", ..., needs={"control"})``. The decorator resolves
every clause id against the registry and every capability against the suite's
declared capabilities at import time, so a typo is an import (collection)
error. ``env`` is whatever the suite's :class:`Binding` opens for the case (for
ATS: clients bound to operator addresses, fresh numbers, the control API).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from nabat.conformance.framework.clauses import Clause, ClauseRegistry
from nabat.conformance.framework.config import RunConfig
from nabat.conformance.framework.context import CaseContext
from nabat.conformance.framework.options import OptionSpec

EnvT = TypeVar("EnvT")
EnvT_co = TypeVar("EnvT_co", covariant=True)


class Binding(Protocol[EnvT_co]):
    """Connects a suite to one target for one run."""

    def preflight(self) -> None:
        """Check once, before any case, that the target can be tested at all
        (reachable, speaks the transport, accepts the credentials); raise
        :class:`~nabat.conformance.framework.setup.SetupError` with one line
        naming the cause otherwise."""
        ...

    def absent_capabilities(self) -> Mapping[str, str]:
        """Capabilities found missing (name -> why), for example by probing."""
        ...

    def open(self, ctx: CaseContext) -> AbstractContextManager[EnvT_co]:
        """The environment of one case; its exchanges are recorded into ``ctx``."""
        ...

    def describe(self) -> Mapping[str, Any]:
        """What the reports should say about the target."""
        ...

    def close(self) -> None: ...


CaseFunc = Callable[[CaseContext, EnvT], None]


@dataclass(frozen=True)
class Case(Generic[EnvT]):
    name: str
    func: CaseFunc[EnvT]
    clauses: tuple[Clause, ...]
    needs: frozenset[str]
    doc: str

    @property
    def clause_ids(self) -> frozenset[str]:
        return frozenset(clause.id for clause in self.clauses)


class Suite(Generic[EnvT]):
    """Registry of the cases of one protocol's conformance suite."""

    def __init__(
        self,
        name: str,
        registry: ClauseRegistry,
        capabilities: Mapping[str, str],
        binding_factory: Callable[[RunConfig], Binding[EnvT]],
        options: Sequence[OptionSpec] = (),
        target_errors: tuple[type[BaseException], ...] = (),
    ) -> None:
        self.name = name
        self.registry = registry
        self.capabilities = dict(capabilities)
        self.binding_factory = binding_factory
        self.options = tuple(options)
        # Exceptions that come from the target or the transport (besides OSError):
        # anything else escaping a case is a bug of the suite, reported as such.
        self.target_errors: tuple[type[BaseException], ...] = (OSError, *target_errors)
        self._cases: dict[str, Case[EnvT]] = {}

    def case(
        self, *clause_ids: str, needs: Iterable[str] = ()
    ) -> Callable[[CaseFunc[EnvT]], CaseFunc[EnvT]]:
        """Register the decorated function as a case checking ``clause_ids``."""
        if not clause_ids:
            raise ValueError("a case must declare at least one clause")
        clauses = self.registry.resolve(clause_ids)
        explained = [c.id for c in clauses if c.unchecked is not None]
        if explained:
            raise ValueError(
                f"clauses {explained} are inventoried as unchecked but a case of suite "
                f"{self.name} checks them: drop their Unchecked reason"
            )
        needed = frozenset(needs)
        unknown = needed - set(self.capabilities)
        if unknown:
            raise ValueError(f"unknown capabilities {sorted(unknown)} in suite {self.name}")

        def register(func: CaseFunc[EnvT]) -> CaseFunc[EnvT]:
            name = func.__name__
            if name in self._cases:
                raise ValueError(f"case {name} registered twice in suite {self.name}")
            doc = " ".join((func.__doc__ or "").split())
            self._cases[name] = Case(name, func, clauses, needed, doc)
            return func

        return register

    @property
    def cases(self) -> list[Case[EnvT]]:
        return list(self._cases.values())

    def get(self, name: str) -> Case[EnvT]:
        return self._cases[name]

    def __iter__(self) -> Iterator[Case[EnvT]]:
        return iter(self._cases.values())

    def __len__(self) -> int:
        return len(self._cases)
