"""A world: a seed plus rules, immutable; every decision is a method of it.

``World.decide_voice/sms/email(address, attempt)`` normalise the address,
find the rules that apply (rules.py: exact address > narrowest range >
domain > default, per kind) and call the pure functions of decisions.py.
Edits (``with_override``, ``without_override``, ``with_event``) return a new
world, so a runtime swaps worlds and a decision never sees half an edit.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import cast

from nabat.simulators.world.addresses import (
    AddressError,
    domain_of,
    normalise_address,
    normalise_number,
)
from nabat.simulators.world.decisions import (
    EmailDecision,
    SmsDecision,
    VoiceDecision,
    check_keys,
    decide_email,
    decide_sms,
    decide_voice,
)
from nabat.simulators.world.distributions import RuleValueError
from nabat.simulators.world.events import ScriptedEvent
from nabat.simulators.world.numbering import WorldPlan
from nabat.simulators.world.rules import (
    AnyRules,
    EmailRules,
    Kind,
    MatchKind,
    Override,
    ResolvedRules,
    SmsRules,
    VoiceRules,
)

MAX_SEED = 2**63 - 1
MAX_ATTEMPT = 1_000_000


@dataclass(frozen=True)
class World:
    seed: int = 1
    voice: VoiceRules = field(default_factory=VoiceRules)
    sms: SmsRules = field(default_factory=SmsRules)
    email: EmailRules = field(default_factory=EmailRules)
    overrides: tuple[Override, ...] = ()
    events: tuple[ScriptedEvent, ...] = ()
    plan: WorldPlan = field(default_factory=WorldPlan)
    _exact: dict[str, Override] = field(init=False, repr=False, compare=False, default_factory=dict)
    _domains: dict[str, Override] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )
    _ranges: tuple[Override, ...] = field(init=False, repr=False, compare=False, default=())
    _merged: dict[tuple[str, Kind], AnyRules] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        if isinstance(self.seed, bool) or not isinstance(self.seed, int):
            raise RuleValueError(f"seed must be an integer, got {self.seed!r}")
        if not 0 <= self.seed <= MAX_SEED:
            raise RuleValueError(f"seed must be within [0, 2**63 - 1], got {self.seed}")
        seen: set[str] = set()
        ranges: list[tuple[int, int, Override]] = []
        for position, override in enumerate(self.overrides):
            if override.key in seen:
                raise RuleValueError(f"two overrides for {override.key}")
            seen.add(override.key)
            for kind in Kind:
                if override.changes(kind):
                    self._merged[override.key, kind] = override.apply(kind, self._default(kind))
            match = override.match
            if match.kind is MatchKind.RANGE:
                ranges.append((match.last - match.first, -position, override))
            elif match.kind is MatchKind.DOMAIN:
                self._domains[match.value] = override
            else:
                self._exact[match.value] = override
        # Narrowest first; on equal width the later override first.
        object.__setattr__(self, "_ranges", tuple(o for _, _, o in sorted(ranges)))

    # --- rules --------------------------------------------------------------
    def _default(self, kind: Kind) -> AnyRules:
        if kind is Kind.VOICE:
            return self.voice
        if kind is Kind.SMS:
            return self.sms
        return self.email

    def _candidates(self, address: str) -> list[Override]:
        found: list[Override] = []
        exact = self._exact.get(address)
        if exact is not None:
            found.append(exact)
        domain = domain_of(address)
        if domain is None:
            number = int(address)
            found.extend(o for o in self._ranges if o.match.first <= number <= o.match.last)
        else:
            by_domain = self._domains.get(domain)
            if by_domain is not None:
                found.append(by_domain)
        return found

    def resolve(self, kind: Kind, address: str) -> ResolvedRules:
        """The rules for ``kind`` that apply to the (normalised) ``address``."""
        for override in self._candidates(address):
            merged = self._merged.get((override.key, kind))
            if merged is not None:
                return ResolvedRules(merged, override.label, override)
        return ResolvedRules(self._default(kind))

    # --- decisions ----------------------------------------------------------
    def decide_voice(
        self, address: str, attempt: int, confirm_key: str | None = None
    ) -> VoiceDecision:
        """Attempt ``attempt`` (1, 2, ...) to call ``address``; ``confirm_key``
        is what the message asks the person to press (None: nothing asked)."""
        number = normalise_number(address)
        _check_attempt(attempt)
        key = None if confirm_key is None else check_keys(confirm_key)
        resolved = self.resolve(Kind.VOICE, number)
        rules = cast(VoiceRules, resolved.rules)
        return decide_voice(self.seed, rules, resolved.label, number, attempt, key)

    def decide_sms(self, address: str, attempt: int) -> SmsDecision:
        number = normalise_number(address)
        _check_attempt(attempt)
        resolved = self.resolve(Kind.SMS, number)
        rules = cast(SmsRules, resolved.rules)
        return decide_sms(self.seed, rules, resolved.label, number, attempt)

    def decide_email(self, address: str, attempt: int) -> EmailDecision:
        normalised = normalise_address(address)
        if domain_of(normalised) is None:
            raise AddressError(f"{address!r} is not an e-mail address")
        _check_attempt(attempt)
        resolved = self.resolve(Kind.EMAIL, normalised)
        rules = cast(EmailRules, resolved.rules)
        return decide_email(self.seed, rules, resolved.label, normalised, attempt)

    # --- edits --------------------------------------------------------------
    def with_override(self, override: Override) -> World:
        """This world plus ``override`` (replacing one with the same key)."""
        kept = tuple(o for o in self.overrides if o.key != override.key)
        return replace(self, overrides=(*kept, override))

    def without_override(self, key: str) -> World:
        kept = tuple(o for o in self.overrides if o.key != key)
        if len(kept) == len(self.overrides):
            raise KeyError(f"no override for {key}")
        return replace(self, overrides=kept)

    def with_event(self, event: ScriptedEvent) -> World:
        return replace(self, events=(*self.events, event))

    def to_json(self) -> dict[str, object]:
        """The world as the TOML/JSON loader reads it back (loader.world_from_mapping)."""
        return {
            "seed": self.seed,
            "voice": self.voice.to_json(),
            "sms": self.sms.to_json(),
            "email": self.email.to_json(),
            "override": [override.to_json() for override in self.overrides],
            "event": [event.to_json() for event in self.events],
            "plan": self.plan.to_json(),
        }


def _check_attempt(attempt: int) -> None:
    if isinstance(attempt, bool) or not isinstance(attempt, int):
        raise ValueError(f"attempt must be an integer, got {attempt!r}")
    if not 1 <= attempt <= MAX_ATTEMPT:
        raise ValueError(f"attempt must be within [1, {MAX_ATTEMPT}], got {attempt}")
