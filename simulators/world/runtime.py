"""One simulator process's view of a world: attempts, the journal, the timeline.

A ``WorldRuntime`` wraps an immutable ``World`` with the state a simulator
needs: attempt counters per (kind, address), so the k-th call to a number is
attempt k; the bounded decisions journal; and which scripted events have been
handed out. Time is the injected ``SimClock``: ``elapsed()`` is simulated
seconds since the runtime started (or was reset), the clock of the timeline.
Control-API edits (overrides, events) swap in a new ``World``; the counters
and the journal carry on. Single-threaded, like the simulators' event loops.
"""

from __future__ import annotations

from collections.abc import Mapping

from nabat.simulators.control.clock import SimClock
from nabat.simulators.world.addresses import normalise_address, normalise_number
from nabat.simulators.world.decisions import (
    Decision,
    EmailDecision,
    SmsDecision,
    VoiceDecision,
)
from nabat.simulators.world.events import ScriptedEvent
from nabat.simulators.world.journal import DEFAULT_JOURNAL_SIZE, DecisionJournal, JournalEntry
from nabat.simulators.world.rules import Kind, Override
from nabat.simulators.world.world import World

_SMS = Kind.SMS.value  # an Enum's .value is a Python-level property: read once


class WorldRuntime:
    def __init__(
        self,
        world: World | None = None,
        clock: SimClock | None = None,
        journal_size: int = DEFAULT_JOURNAL_SIZE,
    ) -> None:
        self._world = world if world is not None else World()
        self.clock = clock if clock is not None else SimClock()
        self.journal = DecisionJournal(journal_size)
        # Keyed by the kind's value: a str hashes in C, an Enum member in Python.
        self._attempts: dict[tuple[str, str], int] = {}
        self._fired: set[int] = set()
        self._start = self.clock.now()

    @property
    def world(self) -> World:
        return self._world

    def elapsed(self) -> float:
        """Simulated seconds since the runtime started or was reset."""
        return self.clock.now() - self._start

    # --- decisions ----------------------------------------------------------
    def attempts(self, kind: Kind, address: str) -> int:
        """How many attempts of ``kind`` to ``address`` were decided so far."""
        return self._attempts.get((kind.value, normalise_address(address)), 0)

    def _next_attempt(self, kind: Kind, address: str) -> int:
        key = (kind.value, address)
        attempt = self._attempts.get(key, 0) + 1
        self._attempts[key] = attempt
        return attempt

    def _journal(self, kind: Kind, decision: Decision) -> None:
        entry = JournalEntry(
            round(self.elapsed(), 3),
            kind.value,
            decision.address,
            decision.attempt,
            decision.fields(),
            decision.rule,
        )
        self.journal.append(entry)

    def voice(self, address: str, confirm_key: str | None = None) -> VoiceDecision:
        """The next attempt to call ``address``: what the person does."""
        number = normalise_number(address)
        attempt = self._attempts.get((Kind.VOICE.value, number), 0) + 1
        decision = self._world.decide_voice(number, attempt, confirm_key)
        self._next_attempt(Kind.VOICE, number)
        self._journal(Kind.VOICE, decision)
        return decision

    def sms(self, address: str) -> SmsDecision:
        number = normalise_number(address)
        decision = self._world.decide_sms(
            number, self._attempts.get((Kind.SMS.value, number), 0) + 1
        )
        self._next_attempt(Kind.SMS, number)
        self._journal(Kind.SMS, decision)
        return decision

    def reserve_sms(self, address: str) -> tuple[str, int]:
        """Number the next SMS attempt to ``address`` now, to decide it later.

        For platforms taking many messages at once (``decide_reserved_sms``):
        the attempt's number, hence its outcome, is fixed by the order of
        acceptance, and deciding costs nothing until someone looks."""
        number = normalise_number(address)
        key = (_SMS, number)
        attempt = self._attempts[key] = self._attempts.get(key, 0) + 1
        return number, attempt

    def decide_reserved_sms(
        self, world: World, number: str, attempt: int, at: float
    ) -> SmsDecision:
        """Decide a reserved attempt under the ``world`` of its acceptance; journal it
        at ``at``, the simulated instant of acceptance."""
        decision = world.decide_sms(number, attempt)
        entry = JournalEntry(
            round(at - self._start, 3), Kind.SMS.value, number, attempt, decision.fields(),
            decision.rule,
        )  # fmt: skip
        self.journal.append(entry)
        return decision

    def email(self, address: str) -> EmailDecision:
        normalised = normalise_address(address)
        attempt = self._attempts.get((Kind.EMAIL.value, normalised), 0) + 1
        decision = self._world.decide_email(normalised, attempt)
        self._next_attempt(Kind.EMAIL, normalised)
        self._journal(Kind.EMAIL, decision)
        return decision

    def record(self, kind: str, address: str, fields: Mapping[str, object], rule: str) -> None:
        """Journal a fact a simulator learnt from the world (e.g. an anti-fraud verdict)."""
        self.journal.append(
            JournalEntry(round(self.elapsed(), 3), kind, address, 0, dict(fields), rule)
        )

    # --- the timeline ---------------------------------------------------------
    def _waiting(self, system: str | None) -> list[tuple[int, ScriptedEvent]]:
        waiting = [
            (index, event)
            for index, event in enumerate(self._world.events)
            if index not in self._fired and (system is None or event.target.system == system)
        ]
        waiting.sort(key=lambda item: (item[1].at, item[0]))
        return waiting

    def pending(self, system: str | None = None) -> list[ScriptedEvent]:
        """Scripted events not handed out yet (of ``system``), in time order."""
        return [event for _, event in self._waiting(system)]

    def next_event_at(self, system: str | None = None) -> float | None:
        """When (elapsed seconds) the next waiting event is due; None when none waits."""
        waiting = self._waiting(system)
        return waiting[0][1].at if waiting else None

    def due(self, system: str | None = None, at: float | None = None) -> list[ScriptedEvent]:
        """The events (of ``system``) due by now (or by elapsed time ``at``), each
        handed out once, in time order."""
        now = self.elapsed() if at is None else at
        taken = []
        for index, event in self._waiting(system):
            if event.at > now:
                break
            self._fired.add(index)
            taken.append(event)
            fields = event.to_json()
            del fields["from"]
            fields["event"] = fields.pop("kind")
            self.record("event", event.source, fields, f"script event {index}")
        return taken

    # --- control --------------------------------------------------------------
    def set_world(self, world: World) -> None:
        """Use ``world`` from now on; counters, handed-out events and journal stay."""
        self._world = world

    def add_override(self, override: Override) -> None:
        self._world = self._world.with_override(override)

    def remove_override(self, key: str) -> None:
        """Remove the override whose ``key`` is e.g. ``number 79000000001``; KeyError if none."""
        self._world = self._world.without_override(key)

    def add_event(self, event: ScriptedEvent) -> int:
        """Append a scripted event; returns its index in the timeline."""
        self._world = self._world.with_event(event)
        return len(self._world.events) - 1

    def reset(self) -> None:
        """Start over: attempts, handed-out events and journal cleared; time 0 is now."""
        self._attempts.clear()
        self._fired.clear()
        self.journal.clear()
        self._start = self.clock.now()

    # --- JSON for control APIs ------------------------------------------------
    def rules_json(self) -> dict[str, object]:
        return self._world.to_json()

    def journal_json(self, limit: int = 100) -> list[dict[str, object]]:
        return self.journal.tail(limit)

    def state_json(self) -> dict[str, object]:
        return {
            "seed": self._world.seed,
            "elapsed": round(self.elapsed(), 3),
            "subscribers_seen": len(self._attempts),
            "events": {
                "total": len(self._world.events),
                "handed_out": len(self._fired),
                "next_at": self.next_event_at(),
            },
            "journal": {
                "kept": len(self.journal),
                "appended": self.journal.appended,
                "size": self.journal.size,
            },
        }
