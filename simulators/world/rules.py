"""The rules of a world: per-channel defaults and the overrides that change them.

``VoiceRules``, ``SmsRules`` and ``EmailRules`` hold the outcome weights and
the delay distributions of one channel kind; their defaults are the embedded
default world (docs/world.md). An ``Override`` matches a number, an e-mail
address, a number range (first..last) or an e-mail domain and replaces some
fields of some kinds; everything it does not name keeps the default.

Precedence, per kind: an exact number or e-mail address, then the narrowest
matching range (the later one on a tie), then the domain, then the default. An
override that changes nothing for a kind does not hide a less specific one
that does. Every rules object validates its field types and bounds on
construction, so an override built in code is checked like one from a file.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any, ClassVar

from nabat.simulators.world.addresses import normalise_address, normalise_domain, normalise_number
from nabat.simulators.world.distributions import Delay, RuleValueError, Weights, probability


class Kind(enum.Enum):
    VOICE = "voice"
    SMS = "sms"
    EMAIL = "email"


class VoiceOutcome(enum.Enum):
    ANSWERED = "answered"
    NO_ANSWER = "no_answer"
    BUSY = "busy"
    UNREACHABLE = "unreachable"
    REJECTED = "rejected"


class Dtmf(enum.Enum):
    """What an answering person does about the confirmation key."""

    CONFIRM = "confirm"  # presses the expected key
    WRONG = "wrong"  # presses another key
    NONE = "none"  # presses nothing


class SmsOutcome(enum.Enum):
    DELIVERED = "delivered"
    UNDELIVERED = "undelivered"
    EXPIRED = "expired"


class EmailOutcome(enum.Enum):
    ACCEPTED = "accepted"
    REJECTED = "rejected"  # at RCPT TO
    BOUNCED = "bounced"  # accepted, then a bounce after ``bounce_after``


def _values(kind: type[enum.Enum]) -> tuple[str, ...]:
    return tuple(str(member.value) for member in kind)


def _weights(outcomes: Mapping[str, float], kind: type[enum.Enum]) -> Weights:
    return Weights.of(outcomes, _values(kind))


class _Rules:
    """Shared validation: each field's type from the class's ``SPEC``."""

    SPEC: ClassVar[Mapping[str, str]]
    WEIGHTED: ClassVar[Mapping[str, type[enum.Enum]]] = {}

    def _validate(self) -> None:
        for item in fields(self):  # type: ignore[arg-type]
            name, value = item.name, getattr(self, item.name)
            kind = self.SPEC[name]
            if kind == "delay" and not isinstance(value, Delay):
                raise RuleValueError(f"{name} must be a Delay, got {value!r}")
            if kind == "weights":
                if not isinstance(value, Weights):
                    raise RuleValueError(f"{name} must be Weights, got {value!r}")
                expected = self.WEIGHTED.get(name)
                if expected is not None and value.names != _values(expected):
                    raise RuleValueError(f"{name} must weigh {', '.join(_values(expected))}")
            if kind == "probability":
                probability(value, name)
            if kind == "text" and (not isinstance(value, str) or not value):
                raise RuleValueError(f"{name} must be non-empty text")

    def to_json(self) -> dict[str, object]:
        result: dict[str, object] = {}
        for item in fields(self):  # type: ignore[arg-type]
            value = getattr(self, item.name)
            result[item.name] = value.to_json() if hasattr(value, "to_json") else value
        return result


# The embedded default world (default.toml spells the same values out).
_VOICE_OUTCOMES = _weights(
    {"answered": 70, "no_answer": 15, "busy": 10, "unreachable": 5}, VoiceOutcome
)
_VOICE_RING = Delay(2, 25, mode=6)
_VOICE_REJECT_RING = Delay(2, 10)
_VOICE_GIVE_UP = Delay(40, 60)
_VOICE_LISTEN = Delay(5, 60, mode=25)
_VOICE_DTMF = _weights({"confirm": 80, "wrong": 5, "none": 15}, Dtmf)
_VOICE_FIRST_KEY = Delay(3, 20, mode=8)
_VOICE_KEY_GAP = Delay(0.3, 1.2)
_VOICE_CALL_BACK_AFTER = Delay(30, 900, mode=120)
_SMS_OUTCOMES = _weights({"delivered": 95, "undelivered": 4, "expired": 1}, SmsOutcome)
_SMS_DELIVERY = Delay(5, 30)
_SMS_REASONS = Weights(
    (
        ("absent subscriber", 50),
        ("unknown subscriber", 20),
        ("memory capacity exceeded", 15),
        ("call barred", 10),
        ("network failure", 5),
    )
)
_SMS_FAILURE_AFTER = Delay(5, 120)
_SMS_EXPIRE_AFTER = Delay.fixed(86400)
_EMAIL_OUTCOMES = _weights({"accepted": 97, "rejected": 2, "bounced": 1}, EmailOutcome)
_EMAIL_BOUNCE_AFTER = Delay(30, 600)


@dataclass(frozen=True, slots=True)
class VoiceRules(_Rules):
    SPEC: ClassVar[Mapping[str, str]] = {
        "outcomes": "weights",
        "ring": "delay",
        "reject_ring": "delay",
        "give_up": "delay",
        "listen": "delay",
        "dtmf": "weights",
        "first_key": "delay",
        "key_gap": "delay",
        "call_back": "probability",
        "call_back_after": "delay",
    }
    WEIGHTED: ClassVar[Mapping[str, type[enum.Enum]]] = {"outcomes": VoiceOutcome, "dtmf": Dtmf}

    outcomes: Weights = _VOICE_OUTCOMES
    ring: Delay = _VOICE_RING  # rings before answering
    reject_ring: Delay = _VOICE_REJECT_RING  # rings before rejecting
    give_up: Delay = _VOICE_GIVE_UP  # rings before the network gives up (no answer)
    listen: Delay = _VOICE_LISTEN  # seconds on the line after answering
    dtmf: Weights = _VOICE_DTMF
    first_key: Delay = _VOICE_FIRST_KEY  # seconds after answer to the first key
    key_gap: Delay = _VOICE_KEY_GAP  # between keys of a multi-key confirmation
    call_back: float = 0.1  # probability of calling back after a missed call
    call_back_after: Delay = _VOICE_CALL_BACK_AFTER  # seconds after the call ended

    def __post_init__(self) -> None:
        self._validate()


@dataclass(frozen=True, slots=True)
class SmsRules(_Rules):
    SPEC: ClassVar[Mapping[str, str]] = {
        "outcomes": "weights",
        "delivery": "delay",
        "reasons": "weights",
        "failure_after": "delay",
        "expire_after": "delay",
        "report": "probability",
    }
    WEIGHTED: ClassVar[Mapping[str, type[enum.Enum]]] = {"outcomes": SmsOutcome}

    outcomes: Weights = _SMS_OUTCOMES
    delivery: Delay = _SMS_DELIVERY  # seconds to delivery
    reasons: Weights = _SMS_REASONS
    failure_after: Delay = _SMS_FAILURE_AFTER  # seconds to the undelivered report
    expire_after: Delay = _SMS_EXPIRE_AFTER  # the SMSC's validity period
    report: float = 0.98  # probability that a status report comes back

    def __post_init__(self) -> None:
        self._validate()


@dataclass(frozen=True, slots=True)
class EmailRules(_Rules):
    SPEC: ClassVar[Mapping[str, str]] = {
        "outcomes": "weights",
        "reject_reason": "text",
        "bounce_after": "delay",
        "bounce_reason": "text",
    }
    WEIGHTED: ClassVar[Mapping[str, type[enum.Enum]]] = {"outcomes": EmailOutcome}

    outcomes: Weights = _EMAIL_OUTCOMES
    reject_reason: str = "550 5.1.1 mailbox unavailable"
    bounce_after: Delay = _EMAIL_BOUNCE_AFTER
    bounce_reason: str = "552 5.2.2 mailbox full"

    def __post_init__(self) -> None:
        self._validate()


AnyRules = VoiceRules | SmsRules | EmailRules
RULES_CLASSES: Mapping[Kind, type[VoiceRules] | type[SmsRules] | type[EmailRules]] = {
    Kind.VOICE: VoiceRules,
    Kind.SMS: SmsRules,
    Kind.EMAIL: EmailRules,
}


class MatchKind(enum.Enum):
    NUMBER = "number"
    EMAIL = "address"  # an exact e-mail address
    RANGE = "range"
    DOMAIN = "domain"


@dataclass(frozen=True, slots=True)
class Match:
    """What an override applies to; build with the class methods."""

    kind: MatchKind
    value: str = ""  # number, e-mail address or domain
    first: int = 0  # range bounds, inclusive
    last: int = 0

    @classmethod
    def number(cls, number: str) -> Match:
        return cls(MatchKind.NUMBER, normalise_number(number))

    @classmethod
    def email(cls, address: str) -> Match:
        value = normalise_address(address)
        if "@" not in value:
            raise RuleValueError(f"{address!r} is not an e-mail address")
        return cls(MatchKind.EMAIL, value)

    @classmethod
    def range(cls, first: str | int, last: str | int) -> Match:
        low, high = int(normalise_number(str(first))), int(normalise_number(str(last)))
        if high < low:
            raise RuleValueError(f"range last ({high}) is below first ({low})")
        return cls(MatchKind.RANGE, first=low, last=high)

    @classmethod
    def domain(cls, domain: str) -> Match:
        return cls(MatchKind.DOMAIN, normalise_domain(domain))

    @property
    def key(self) -> str:
        """Unique per override: the control API removes overrides by it."""
        if self.kind is MatchKind.RANGE:
            return f"range {self.first}..{self.last}"
        return f"{self.kind.value} {self.value}"

    def to_json(self) -> dict[str, object]:
        if self.kind is MatchKind.RANGE:
            return {"range": [str(self.first), str(self.last)]}
        return {self.kind.value: self.value}


Changes = tuple[tuple[str, Any], ...]


def _check_changes(kind: Kind, changes: Changes) -> None:
    rules_class = RULES_CLASSES[kind]
    unknown = sorted({name for name, _ in changes} - set(rules_class.SPEC))
    if unknown:
        raise RuleValueError(f"{kind.value}: unknown rule {', '.join(unknown)}")
    replace(rules_class(), **dict(changes))  # validates every changed field


@dataclass(frozen=True, slots=True)
class Override:
    """Rules for some subscribers: fields of each kind that replace the default."""

    match: Match
    voice: Changes = ()
    sms: Changes = ()
    email: Changes = ()
    note: str = ""

    def __post_init__(self) -> None:
        for kind in Kind:
            _check_changes(kind, self.changes(kind))
        if not (self.voice or self.sms or self.email):
            raise RuleValueError(f"override {self.match.key} changes no rule")

    @classmethod
    def of(
        cls,
        match: Match,
        *,
        voice: Mapping[str, Any] | None = None,
        sms: Mapping[str, Any] | None = None,
        email: Mapping[str, Any] | None = None,
        note: str = "",
    ) -> Override:
        """An override from mappings of typed field values (``Delay``, ``Weights``, ...)."""
        return cls(
            match,
            tuple((voice or {}).items()),
            tuple((sms or {}).items()),
            tuple((email or {}).items()),
            note,
        )

    @property
    def key(self) -> str:
        return self.match.key

    @property
    def label(self) -> str:
        """How the journal names the rule: ``override number 79000000001``."""
        return f"override {self.match.key}"

    def changes(self, kind: Kind) -> Changes:
        if kind is Kind.VOICE:
            return self.voice
        if kind is Kind.SMS:
            return self.sms
        return self.email

    def apply(self, kind: Kind, base: AnyRules) -> AnyRules:
        return replace(base, **dict(self.changes(kind)))

    def to_json(self) -> dict[str, object]:
        result = self.match.to_json()
        for kind in Kind:
            changes = self.changes(kind)
            if changes:
                result[kind.value] = {
                    name: value.to_json() if hasattr(value, "to_json") else value
                    for name, value in changes
                }
        if self.note:
            result["note"] = self.note
        return result


@dataclass(frozen=True, slots=True)
class ResolvedRules:
    """The rules that apply to one address for one kind, and where they came from."""

    rules: AnyRules
    label: str = "default"
    override: Override | None = field(default=None, compare=False)
