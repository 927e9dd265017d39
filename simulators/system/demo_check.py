"""The demo's proof: the engine's report, abonent by abonent, against what the world decided.

The report's rows come from the server's store (``TargetRecord``: one per
abonent, with every attempt). The ground truth comes from the simulators:
the GSM simulator's world journal lists one ``voice`` decision per call a
modem placed (in order, per number); the MFMS simulator lists every SMS it
accepted under the provider id the engine keeps as the attempt's
reference, with the world's decision. ``check_voice`` and ``check_sms``
pair them up and return one ``AbonentCheck`` per abonent with the
disagreements in words; ``check_remote_starts`` does the same for the
remote-start log (a spoofed call refused, a genuine one accepted). The
functions are pure: the demo hands them what it read, the tests hand them
doctored journals.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from nabat.system.engine.records import AttemptRecord, RemoteStartRecord, TargetRecord

NOT_PLACED = "not_attempted"  # an attempt the engine recorded but never handed to a channel
CONFIRMED_STATES = frozenset({"confirmed", "notified"})


@dataclass(frozen=True, slots=True)
class AbonentCheck:
    """One abonent of one task: what the engine reported, and whether the world agrees."""

    task: str
    abonent: str
    address: str
    engine: str  # the engine's verdict: the target's state and attempts, in words
    world: str  # the world's decisions, in words
    problems: tuple[str, ...] = ()

    @property
    def agrees(self) -> bool:
        return not self.problems


def digits(number: str) -> str:
    """A phone number as the world keys it: E.164 digits, no ``+``."""
    return number.strip().lstrip("+")


def placed(target: TargetRecord) -> list[AttemptRecord]:
    """The attempts the engine really handed to a channel, oldest first."""
    return [attempt for attempt in target.attempts if attempt.outcome != NOT_PLACED]


def _decisions(
    journal: Iterable[Mapping[str, Any]], kind: str
) -> dict[str, list[Mapping[str, Any]]]:
    found: dict[str, list[Mapping[str, Any]]] = {}
    for entry in journal:
        if entry.get("kind") == kind:
            found.setdefault(digits(str(entry.get("address", ""))), []).append(entry)
    return found


def _engine_words(target: TargetRecord) -> str:
    outcomes = ", ".join(attempt.outcome for attempt in placed(target)) or "no attempt"
    return f"{target.state.value} ({outcomes})"


def _voice_confirms(decision: Mapping[str, Any]) -> bool:
    return decision.get("outcome") == "answered" and decision.get("dtmf") == "confirm"


def _voice_words(decision: Mapping[str, Any]) -> str:
    outcome = str(decision.get("outcome", "?"))
    return f"{outcome}/{decision.get('dtmf')}" if outcome == "answered" else outcome


def check_voice(
    task: str, targets: Sequence[TargetRecord], journal: Iterable[Mapping[str, Any]]
) -> list[AbonentCheck]:
    """Calls with DTMF confirmation: one world ``voice`` decision per call placed, in
    order; an attempt is confirmed exactly when the person answered and pressed the key;
    the abonent is confirmed exactly when one of the calls was; every call registered."""
    world = _decisions(journal, "voice")
    checks = []
    for target in targets:
        number = digits(target.addresses[0]) if target.addresses else ""
        calls = placed(target)
        decided = world.get(number, [])
        problems: list[str] = []
        if len(decided) != len(calls):
            problems.append(f"the engine placed {len(calls)} call(s), the world saw {len(decided)}")
        for index, (attempt, decision) in enumerate(zip(calls, decided, strict=False), 1):
            if attempt.confirmed != _voice_confirms(decision):
                said = "confirmed" if attempt.confirmed else "not confirmed"
                problems.append(
                    f"call {index}: the engine says {said}, the world decided "
                    f"{_voice_words(decision)}"
                )
            if (attempt.outcome == "answered") != (decision.get("outcome") == "answered"):
                problems.append(
                    f"call {index}: the engine says {attempt.outcome}, the world decided "
                    f"{decision.get('outcome')}"
                )
            if attempt.verification != "registered":
                problems.append(
                    f"call {index}: not registered with the hub ({attempt.verification})"
                )
        should_confirm = any(_voice_confirms(decision) for decision in decided)
        if (target.state.value == "confirmed") != should_confirm:
            problems.append(
                f"the abonent is {target.state.value}, the world "
                f"{'confirmed' if should_confirm else 'never confirmed'}"
            )
        checks.append(
            AbonentCheck(
                task, target.name, number, _engine_words(target),
                ", ".join(_voice_words(decision) for decision in decided) or "no call",
                tuple(problems),
            )
        )  # fmt: skip
    return checks


def check_sms(
    task: str, targets: Sequence[TargetRecord], messages: Iterable[Mapping[str, Any]]
) -> list[AbonentCheck]:
    """SMS through a platform: every attempt's reference is a message the platform took,
    to the abonent's number, whose final status is the world's decision and the
    attempt's outcome; the abonent is notified exactly when its last SMS was delivered."""
    by_reference = {str(message.get("provider_id")): message for message in messages}
    checks = []
    for target in targets:
        number = digits(target.addresses[0]) if target.addresses else ""
        problems: list[str] = []
        decided: list[str] = []
        for index, attempt in enumerate(placed(target), 1):
            message = by_reference.get(attempt.reference)
            if message is None:
                problems.append(f"SMS {index}: the platform has no message {attempt.reference!r}")
                continue
            decision = message.get("decision") or {}
            outcome = str(decision.get("outcome", "?"))
            decided.append(outcome)
            if digits(str(message.get("address", ""))) != number:
                problems.append(f"SMS {index}: the platform sent it to {message.get('address')}")
            if not attempt.outcome == message.get("status") == outcome:
                problems.append(
                    f"SMS {index}: the engine says {attempt.outcome}, the platform "
                    f"{message.get('status')}, the world decided {outcome}"
                )
        delivered = bool(decided) and decided[-1] == "delivered"
        if (target.state.value in CONFIRMED_STATES) != delivered:
            problems.append(
                f"the abonent is {target.state.value}, the world "
                f"{'delivered' if delivered else 'did not deliver'} the last SMS"
            )
        checks.append(
            AbonentCheck(
                task, target.name, number, _engine_words(target),
                ", ".join(decided) or "no SMS", tuple(problems),
            )
        )  # fmt: skip
    return checks


def check_remote_starts(
    records: Sequence[RemoteStartRecord], caller: str, task_id: int
) -> list[str]:
    """The demo's two calls from ``caller``: the first (spoofed) refused as unverified,
    the second (genuine) accepted for ``task_id``. The problems, in words."""
    calls = [r for r in records if r.via == "call" and digits(r.caller) == digits(caller)]
    if len(calls) != 2:
        return [f"2 remote starts by call from {caller} expected, the log has {len(calls)}"]
    spoofed, genuine = calls
    problems = []
    if spoofed.accepted or "not verified" not in spoofed.reason:
        problems.append(f"the spoofed call was not refused as unverified: {spoofed.reason}")
    if not genuine.accepted or genuine.task_id != task_id:
        problems.append(f"the verified call did not start task {task_id}: {genuine.reason}")
    return problems


def summary_line(checks: Sequence[AbonentCheck]) -> str:
    agreeing = sum(1 for check in checks if check.agrees)
    return f"agrees with the world's journal: {agreeing} of {len(checks)} abonents"
