"""Scripted incoming traffic: calls and SMS from a subscriber to a modem or a PBX line.

An event happens at ``at`` simulated seconds after the world runtime started
(or was reset). Its target names a simulated system and a port of it:
``gsm:2`` is modem 2 of the GSM simulator, ``oktell:<line>`` a line of the
PBX; each simulator takes the events of its own system. A call carries the
keys the caller presses with their times after the answer, how long the caller
lets it ring, how long they stay on the line, and whether the caller id is
spoofed (then the originating operator never registers it with the ATS hub).
"""

from __future__ import annotations

import enum
import math
import re
from dataclasses import dataclass

from nabat.simulators.world.addresses import normalise_number
from nabat.simulators.world.decisions import DTMF_KEYS, KeyPress
from nabat.simulators.world.distributions import MAX_DELAY_SECONDS

MAX_SMS_TEXT = 10_000
_TARGET = re.compile(r"([a-z][a-z0-9_]*):([^\s:]{1,64})")


class EventError(ValueError):
    """A scripted event is invalid."""


class EventKind(enum.Enum):
    CALL = "call"
    SMS = "sms"


@dataclass(frozen=True, slots=True)
class Target:
    system: str  # "gsm", "oktell", ...
    port: str  # modem index, PBX line, ...

    @classmethod
    def parse(cls, text: str) -> Target:
        found = _TARGET.fullmatch(text) if isinstance(text, str) else None
        if found is None:
            raise EventError(f"target {text!r} is not 'system:port' (e.g. 'gsm:2', 'oktell:101')")
        return cls(found.group(1), found.group(2))

    def __str__(self) -> str:
        return f"{self.system}:{self.port}"


def check_seconds(value: float, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise EventError(f"{what} must be a finite number of seconds, got {value!r}")
    if not 0 <= value <= MAX_DELAY_SECONDS:
        raise EventError(f"{what} must be within [0, {MAX_DELAY_SECONDS:.0f}] seconds")
    return float(value)


def key_presses(keys: str, first_key: float = 2.0, key_gap: float = 0.5) -> tuple[KeyPress, ...]:
    """``"1 2 3 #"`` (spaces ignored) pressed from ``first_key`` s after the answer."""
    sequence = keys.replace(" ", "")
    first = check_seconds(first_key, "first_key")
    gap = check_seconds(key_gap, "key_gap")
    return tuple(KeyPress(key, round(first + i * gap, 3)) for i, key in enumerate(sequence))


@dataclass(frozen=True, slots=True)
class ScriptedEvent:
    at: float
    kind: EventKind
    source: str  # the subscriber's number (the caller id shown)
    target: Target
    keys: tuple[KeyPress, ...] = ()  # call: keys pressed after the answer
    text: str = ""  # sms: the message
    spoofed: bool = False  # call: the caller id is forged, nobody registers it
    ring_for: float = 60.0  # call: the caller hangs up unanswered after this
    talk_for: float = 30.0  # call: the caller hangs up this long after the answer

    def __post_init__(self) -> None:
        object.__setattr__(self, "at", check_seconds(self.at, "at"))
        object.__setattr__(self, "ring_for", check_seconds(self.ring_for, "ring_for"))
        object.__setattr__(self, "talk_for", check_seconds(self.talk_for, "talk_for"))
        if not isinstance(self.kind, EventKind):
            raise EventError(f"kind must be an EventKind, got {self.kind!r}")
        try:
            object.__setattr__(self, "source", normalise_number(self.source))
        except ValueError as error:
            raise EventError(f"from: {error}") from None
        if not isinstance(self.target, Target):
            raise EventError(f"target must be a Target, got {self.target!r}")
        if not isinstance(self.text, str) or len(self.text) > MAX_SMS_TEXT:
            raise EventError(f"text must be text of at most {MAX_SMS_TEXT} characters")
        if self.kind is EventKind.CALL:
            self._check_call()
        elif self.keys or self.spoofed:
            raise EventError("an sms has no keys and cannot be spoofed")

    def _check_call(self) -> None:
        if self.text:
            raise EventError("a call has no text")
        previous = 0.0
        for press in self.keys:
            if len(press.key) != 1 or press.key not in DTMF_KEYS:
                raise EventError(f"key {press.key!r} is not one of {DTMF_KEYS}")
            check_seconds(press.at, "a key's time")
            if press.at < previous:
                raise EventError("keys must be in time order")
            previous = press.at
        if self.keys and self.keys[-1].at > self.talk_for:
            raise EventError(
                f"the last key ({self.keys[-1].at} s) comes after the caller hangs up "
                f"(talk_for {self.talk_for} s)"
            )

    @property
    def pressed(self) -> str:
        return "".join(press.key for press in self.keys)

    def to_json(self) -> dict[str, object]:
        result: dict[str, object] = {
            "at": self.at,
            "kind": self.kind.value,
            "from": self.source,
            "to": str(self.target),
        }
        if self.kind is EventKind.CALL:
            result.update(
                keys=[press.to_json() for press in self.keys],
                spoofed=self.spoofed,
                ring_for=self.ring_for,
                talk_for=self.talk_for,
            )
        else:
            result["text"] = self.text
        return result


def call(
    at: float,
    source: str,
    target: str,
    keys: str = "",
    *,
    spoofed: bool = False,
    first_key: float = 2.0,
    key_gap: float = 0.5,
    ring_for: float = 60.0,
    talk_for: float = 30.0,
) -> ScriptedEvent:
    """``call(30, "79000000001", "gsm:2", "123#")``: a scripted incoming call."""
    presses = key_presses(keys, first_key, key_gap)
    return ScriptedEvent(
        at,
        EventKind.CALL,
        source,
        Target.parse(target),
        presses,
        spoofed=spoofed,
        ring_for=ring_for,
        talk_for=max(talk_for, presses[-1].at) if presses else talk_for,
    )


def sms(at: float, source: str, target: str, text: str) -> ScriptedEvent:
    """``sms(10, "79000000002", "gsm:0", "PIN 1234")``: a scripted incoming SMS."""
    return ScriptedEvent(at, EventKind.SMS, source, Target.parse(target), text=text)
