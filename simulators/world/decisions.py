"""Decisions: the pure functions from (seed, address, attempt, rules) to an outcome.

Each decision draws its numbers from
``sha512(f"{seed}|{kind}|{address}|{attempt}" + block)`` (``Draws``), so it
depends on nothing else: two processes with the same world agree without
talking, and a rerun repeats exactly. Draws are taken in a fixed layout (one per field, every field
drawn whatever the outcome), so changing one rule moves only its own field.

Times are simulated seconds: ``ring`` from the start of ringing to the answer,
the rejection or the give-up (0 for busy and unreachable); key times and
``listen`` from the answer; ``call_back`` from the end of the call.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass

from nabat.simulators.world.rules import (
    Dtmf,
    EmailOutcome,
    EmailRules,
    Kind,
    SmsOutcome,
    SmsRules,
    VoiceOutcome,
    VoiceRules,
)

DTMF_KEYS = "0123456789*#ABCD"
PHONE_KEYS = "0123456789*#"  # what a person can press by mistake
MAX_CONFIRM_KEYS = 32
EXPIRED_REASON = "validity period expired"
_CALLS_BACK = (VoiceOutcome.NO_ANSWER, VoiceOutcome.BUSY, VoiceOutcome.REJECTED)


class ConfirmKeyError(ValueError):
    """The expected confirmation key is not a DTMF key sequence."""


def check_keys(keys: str) -> str:
    if not 0 < len(keys) <= MAX_CONFIRM_KEYS or any(key not in DTMF_KEYS for key in keys):
        raise ConfirmKeyError(f"{keys!r}: a key sequence is 1 to {MAX_CONFIRM_KEYS} of {DTMF_KEYS}")
    return keys


class Draws:
    """Uniform draws in [0, 1) from SHA-512 in counter mode, 53 bits each.

    Plain hashing rather than ``random.Random``: the same numbers on every
    Python version and platform, and seeding costs nothing (a Mersenne
    Twister seeded per decision cost more than the decision itself).
    """

    __slots__ = ("_block", "_material", "_pool")

    def __init__(self, material: bytes) -> None:
        self._material = material
        self._block = 0
        self._pool: list[float] = []

    def _refill(self) -> None:
        digest = hashlib.sha512(self._material + self._block.to_bytes(4, "big")).digest()
        self._block += 1
        # The eight 64-bit words in order, each cut to 53 bits; popped from the end.
        self._pool = [(word >> 11) * _TWO_TO_MINUS_53 for word in _WORDS.unpack(digest)][::-1]

    def random(self) -> float:
        if not self._pool:
            self._refill()
        return self._pool.pop()

    def take(self, count: int) -> list[float]:
        """The next ``count`` draws, in order (the same numbers ``random`` would give)."""
        taken: list[float] = []
        while len(taken) < count:
            if not self._pool:
                self._refill()
            wanted = min(count - len(taken), len(self._pool))
            taken.extend(self._pool[: -wanted - 1 : -1])
            del self._pool[-wanted:]
        return taken


_WORDS = struct.Struct(">8Q")
_TWO_TO_MINUS_53 = 2.0**-53


def draws(seed: int, kind: Kind, address: str, attempt: int) -> Draws:
    """The draws of one decision: ``f"{seed}|{kind}|{address}|{attempt}"`` is all they depend on."""
    return Draws(f"{seed}|{kind.value}|{address}|{attempt}".encode())


@dataclass(frozen=True, slots=True)
class KeyPress:
    key: str
    at: float  # seconds after the answer

    def to_json(self) -> dict[str, object]:
        return {"key": self.key, "at": self.at}


@dataclass(frozen=True, slots=True)
class VoiceDecision:
    address: str
    attempt: int
    outcome: VoiceOutcome
    ring: float
    listen: float
    dtmf: Dtmf
    keys: tuple[KeyPress, ...]
    call_back: float | None  # seconds after the call ended; None: does not call back
    rule: str

    @property
    def pressed(self) -> str:
        return "".join(press.key for press in self.keys)

    def fields(self) -> dict[str, object]:
        return {
            "outcome": self.outcome.value,
            "ring": self.ring,
            "listen": self.listen,
            "dtmf": self.dtmf.value,
            "keys": [press.to_json() for press in self.keys],
            "call_back": self.call_back,
        }


@dataclass(frozen=True, slots=True)
class SmsDecision:
    address: str
    attempt: int
    outcome: SmsOutcome
    after: float  # seconds to delivery, to the failure, or to expiry
    reason: str | None  # why undelivered or expired
    report: bool  # whether a status report comes back
    rule: str

    def fields(self) -> dict[str, object]:
        return {
            "outcome": self.outcome.value,
            "after": self.after,
            "reason": self.reason,
            "report": self.report,
        }


@dataclass(frozen=True, slots=True)
class EmailDecision:
    address: str
    attempt: int
    outcome: EmailOutcome
    bounce_after: float | None  # seconds after acceptance, for a bounce
    reason: str | None  # the SMTP reply text of a rejection or bounce
    rule: str

    def fields(self) -> dict[str, object]:
        return {
            "outcome": self.outcome.value,
            "bounce_after": self.bounce_after,
            "reason": self.reason,
        }


Decision = VoiceDecision | SmsDecision | EmailDecision


def _wrong_keys(expected: str, u: float) -> str:
    """``expected`` with one key replaced by another key a person could press."""
    scaled = u * len(expected)
    position = min(int(scaled), len(expected) - 1)
    others = [key for key in PHONE_KEYS if key != expected[position]]
    choice = others[min(int((scaled - position) * len(others)), len(others) - 1)]
    return expected[:position] + choice + expected[position + 1 :]


def decide_voice(
    seed: int,
    rules: VoiceRules,
    rule: str,
    address: str,
    attempt: int,
    confirm_key: str | None,
) -> VoiceDecision:
    rng = draws(seed, Kind.VOICE, address, attempt)
    u = rng.take(10)
    outcome = VoiceOutcome(rules.outcomes.pick(u[0]))
    ring = {
        VoiceOutcome.ANSWERED: rules.ring.value(u[1]),
        VoiceOutcome.REJECTED: rules.reject_ring.value(u[2]),
        VoiceOutcome.NO_ANSWER: rules.give_up.value(u[3]),
    }.get(outcome, 0.0)
    listen = 0.0
    dtmf = Dtmf.NONE
    keys: tuple[KeyPress, ...] = ()
    if outcome is VoiceOutcome.ANSWERED:
        listen = rules.listen.value(u[4])
        behaviour = Dtmf(rules.dtmf.pick(u[5]))
        if confirm_key is not None and behaviour is not Dtmf.NONE:
            dtmf = behaviour
            sequence = confirm_key if behaviour is Dtmf.CONFIRM else _wrong_keys(confirm_key, u[9])
            at = rules.first_key.value(u[6])
            presses = [KeyPress(sequence[0], at)]
            for key in sequence[1:]:
                # to the millisecond, never before the press it follows
                at = max(at, round(at + rules.key_gap.value(rng.random()), 3))
                presses.append(KeyPress(key, at))
            keys = tuple(presses)
            listen = max(listen, at)  # hangs up no earlier than the last key
    call_back = None
    if outcome in _CALLS_BACK and u[7] < rules.call_back:
        call_back = rules.call_back_after.value(u[8])
    return VoiceDecision(address, attempt, outcome, ring, listen, dtmf, keys, call_back, rule)


def decide_sms(seed: int, rules: SmsRules, rule: str, address: str, attempt: int) -> SmsDecision:
    rng = draws(seed, Kind.SMS, address, attempt)
    u = rng.take(6)
    outcome = SmsOutcome(rules.outcomes.pick(u[0]))
    reason: str | None = None
    if outcome is SmsOutcome.DELIVERED:
        after = rules.delivery.value(u[1])
    elif outcome is SmsOutcome.UNDELIVERED:
        reason = rules.reasons.pick(u[2])
        after = rules.failure_after.value(u[3])
    else:
        reason = EXPIRED_REASON
        after = rules.expire_after.value(u[4])
    return SmsDecision(address, attempt, outcome, after, reason, u[5] < rules.report, rule)


def decide_email(
    seed: int, rules: EmailRules, rule: str, address: str, attempt: int
) -> EmailDecision:
    rng = draws(seed, Kind.EMAIL, address, attempt)
    u = rng.take(2)
    outcome = EmailOutcome(rules.outcomes.pick(u[0]))
    if outcome is EmailOutcome.REJECTED:
        return EmailDecision(address, attempt, outcome, None, rules.reject_reason, rule)
    if outcome is EmailOutcome.BOUNCED:
        after = rules.bounce_after.value(u[1])
        return EmailDecision(address, attempt, outcome, after, rules.bounce_reason, rule)
    return EmailDecision(address, attempt, outcome, None, None, rule)
