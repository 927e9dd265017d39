"""Decisions: pure, deterministic across processes, within the rules' bounds, at the right rates."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from collections import Counter
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nabat.simulators.world import (
    AddressError,
    Delay,
    Dtmf,
    SmsOutcome,
    VoiceOutcome,
    VoiceRules,
    Weights,
    World,
    default_world,
)
from nabat.simulators.world.decisions import PHONE_KEYS, ConfirmKeyError
from nabat.simulators.world.rules import EmailOutcome, SmsRules

NUMBERS = [f"7900{i:07d}" for i in range(4000)]


def voice_facts(world: World, attempt: int) -> list[dict[str, object]]:
    return [world.decide_voice(n, attempt, "1").fields() for n in NUMBERS[:300]]


def test_two_worlds_from_the_same_file_decide_the_same() -> None:
    first, second = default_world(), default_world()
    assert first is not second
    assert voice_facts(first, 1) == voice_facts(second, 1)
    assert [first.decide_sms(n, 3) for n in NUMBERS[:100]] == [
        second.decide_sms(n, 3) for n in NUMBERS[:100]
    ]


SCRIPT = """
import json, sys
from nabat.simulators.world import default_world
world = default_world()
numbers = [f"7900{i:07d}" for i in range(200)]
print(json.dumps([world.decide_voice(n, 2, "12#").fields() for n in numbers]
                 + [world.decide_email(f"u{i}@example.org", 1).fields() for i in range(50)]))
"""


def test_another_process_with_another_hash_seed_decides_the_same() -> None:
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    output = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True, env=env
    ).stdout
    world = default_world()
    here = [world.decide_voice(f"7900{i:07d}", 2, "12#").fields() for i in range(200)]
    here += [world.decide_email(f"u{i}@example.org", 1).fields() for i in range(50)]
    assert json.loads(output) == json.loads(json.dumps(here))


def test_another_seed_decides_otherwise() -> None:
    assert voice_facts(World(seed=1), 1) != voice_facts(World(seed=2), 1)


def test_the_next_attempt_is_a_fresh_draw_from_the_same_distribution() -> None:
    world = World()
    first = [world.decide_voice(n, 1).outcome for n in NUMBERS]
    second = [world.decide_voice(n, 2).outcome for n in NUMBERS]
    same = sum(a is b for a, b in zip(first, second, strict=True)) / len(NUMBERS)
    # Independent draws agree with probability sum(p^2) = 0.525, not 1.
    assert 0.48 < same < 0.57
    for outcomes in (first, second):
        assert 0.67 < Counter(outcomes)[VoiceOutcome.ANSWERED] / len(NUMBERS) < 0.73


def test_default_rates_match_the_documented_world() -> None:
    world = World()
    voice = [world.decide_voice(n, 1, "1") for n in NUMBERS]
    counts = Counter(d.outcome for d in voice)
    for outcome, share in [
        (VoiceOutcome.ANSWERED, 0.70),
        (VoiceOutcome.NO_ANSWER, 0.15),
        (VoiceOutcome.BUSY, 0.10),
        (VoiceOutcome.UNREACHABLE, 0.05),
    ]:
        assert abs(counts[outcome] / len(NUMBERS) - share) < 0.03, outcome
    assert counts[VoiceOutcome.REJECTED] == 0
    answered = [d for d in voice if d.outcome is VoiceOutcome.ANSWERED]
    confirmed = sum(d.dtmf is Dtmf.CONFIRM for d in answered) / len(answered)
    assert 0.76 < confirmed < 0.84
    sms = Counter(world.decide_sms(n, 1).outcome for n in NUMBERS)
    assert abs(sms[SmsOutcome.DELIVERED] / len(NUMBERS) - 0.95) < 0.015
    mail = Counter(world.decide_email(f"user{i}@example.org", 1).outcome for i in range(4000))
    assert abs(mail[EmailOutcome.ACCEPTED] / 4000 - 0.97) < 0.015


def test_a_changed_rule_moves_only_its_own_field() -> None:
    base = World()
    longer = World(voice=VoiceRules(listen=Delay(100, 200)))
    for number in NUMBERS[:300]:
        a, b = base.decide_voice(number, 1, "1"), longer.decide_voice(number, 1, "1")
        assert (a.outcome, a.ring, a.dtmf, a.keys, a.call_back) == (
            b.outcome,
            b.ring,
            b.dtmf,
            b.keys,
            b.call_back,
        )
        if b.outcome is VoiceOutcome.ANSWERED:
            assert 100 <= b.listen <= 200


def test_a_plus_sign_is_the_same_subscriber() -> None:
    world = World()
    assert world.decide_voice("+79000000001", 4) == world.decide_voice("79000000001", 4)
    assert world.decide_email("Ann@Example.ORG", 1) == world.decide_email("Ann@example.org", 1)


@pytest.mark.parametrize("address", ["", "+", "7900abc", "1" * 16, "++7900", "a@", "@b.c", "x@y"])
def test_bad_addresses_are_refused(address: str) -> None:
    with pytest.raises(AddressError):
        World().decide_voice(address, 1) if "@" not in address else World().decide_email(address, 1)


def test_bad_attempts_and_confirm_keys_are_refused() -> None:
    world = World()
    for attempt in (0, -1, 10**7):
        with pytest.raises(ValueError, match="attempt"):
            world.decide_sms("79000000001", attempt)
    for key in ("", "x", "1" * 33):
        with pytest.raises(ConfirmKeyError):
            world.decide_voice("79000000001", 1, key)
    with pytest.raises(AddressError):
        world.decide_email("79000000001", 1)


def test_wrong_keys_differ_from_the_expected_ones_and_confirm_keys_match() -> None:
    world = World(
        voice=VoiceRules(outcomes=Weights.of({"answered": 1}, [o.value for o in VoiceOutcome]))
    )
    seen = set()
    for number in NUMBERS[:800]:
        decision = world.decide_voice(number, 1, "12#")
        seen.add(decision.dtmf)
        if decision.dtmf is Dtmf.CONFIRM:
            assert decision.pressed == "12#"
        elif decision.dtmf is Dtmf.WRONG:
            assert len(decision.pressed) == 3 and decision.pressed != "12#"
            assert all(key in PHONE_KEYS for key in decision.pressed)
        else:
            assert decision.keys == ()
    assert seen == set(Dtmf)
    # Nothing asked: nothing pressed, whatever the person would have done.
    assert all(world.decide_voice(n, 1).keys == () for n in NUMBERS[:100])


# --- hypothesis: any address, any attempt, any rules: a valid decision ------------
bounds = st.tuples(st.floats(0, 1000, allow_nan=False), st.floats(0, 1000, allow_nan=False)).map(
    sorted
)


@st.composite
def delays(draw: st.DrawFn) -> Delay:
    low, high = draw(bounds)
    if draw(st.booleans()):
        return Delay(low, high, mode=draw(st.floats(low, high)))
    return Delay(low, high)


def weights(names: list[str]) -> st.SearchStrategy[Weights]:
    return (
        st.lists(st.integers(0, 10), min_size=len(names), max_size=len(names))
        .filter(lambda ws: sum(ws) > 0)
        .map(lambda ws: Weights(tuple(zip(names, map(float, ws), strict=True))))
    )


voice_rules = st.builds(
    VoiceRules,
    outcomes=weights([o.value for o in VoiceOutcome]),
    ring=delays(),
    reject_ring=delays(),
    give_up=delays(),
    listen=delays(),
    dtmf=weights([d.value for d in Dtmf]),
    first_key=delays(),
    key_gap=delays(),
    call_back=st.floats(0, 1),
    call_back_after=delays(),
)
numbers = st.from_regex(r"\+?[0-9]{1,15}", fullmatch=True)
confirm_keys = st.none() | st.text(alphabet="0123456789*#ABCD", min_size=1, max_size=6)


def within(value: float, delay: Delay) -> bool:
    return delay.low <= value <= delay.high


def test_key_presses_stay_in_order_when_the_first_comes_within_a_millisecond() -> None:
    # found by the property below: later presses are rounded to the millisecond, and a
    # first press at 0.4 ns was followed by one "at" 0.0
    rules = replace(
        VoiceRules(),
        outcomes=Weights(
            (("answered", 1.0), ("no_answer", 0.0), ("busy", 0.0), ("unreachable", 0.0),
             ("rejected", 0.0))
        ),
        dtmf=Weights((("confirm", 0.0), ("wrong", 1.0), ("none", 0.0))),
        first_key=Delay(4.0827556956282577e-10, 1.192092896e-07),
        key_gap=Delay(0.0, 0.0),
    )
    times = [press.at for press in World(seed=0, voice=rules).decide_voice("0", 1, "00").keys]
    assert len(times) == 2 and times == sorted(times)


@settings(max_examples=150, deadline=None)
@given(voice_rules, st.integers(0, 2**63 - 1), numbers, st.integers(1, 10**6), confirm_keys)
def test_any_voice_decision_is_within_its_rules(
    rules: VoiceRules, seed: int, number: str, attempt: int, key: str | None
) -> None:
    decision = World(seed=seed, voice=rules).decide_voice(number, attempt, key)
    assert decision.outcome.value in rules.outcomes.possible()
    assert decision.address == number.lstrip("+") and decision.attempt == attempt
    ring_rule = {
        VoiceOutcome.ANSWERED: rules.ring,
        VoiceOutcome.REJECTED: rules.reject_ring,
        VoiceOutcome.NO_ANSWER: rules.give_up,
    }.get(decision.outcome)
    assert within(decision.ring, ring_rule) if ring_rule else decision.ring == 0
    if decision.outcome is not VoiceOutcome.ANSWERED:
        assert (decision.listen, decision.dtmf, decision.keys) == (0, Dtmf.NONE, ())
    else:
        times = [press.at for press in decision.keys]
        assert times == sorted(times)
        if decision.keys:
            assert key is not None and len(decision.keys) == len(key)
            assert within(times[0], rules.first_key)
            gaps = [b - a for a, b in itertools.pairwise(times)]
            assert all(rules.key_gap.low - 0.002 <= g <= rules.key_gap.high + 0.002 for g in gaps)
            assert decision.listen == max(times[-1], decision.listen)
            assert decision.dtmf.value in rules.dtmf.possible()
        else:
            assert within(decision.listen, rules.listen)
    if decision.call_back is not None:
        assert decision.outcome in (
            VoiceOutcome.NO_ANSWER,
            VoiceOutcome.BUSY,
            VoiceOutcome.REJECTED,
        )
        assert rules.call_back > 0 and within(decision.call_back, rules.call_back_after)


sms_rules = st.builds(
    SmsRules,
    outcomes=weights([o.value for o in SmsOutcome]),
    delivery=delays(),
    failure_after=delays(),
    expire_after=delays(),
    report=st.floats(0, 1),
)


@settings(max_examples=100, deadline=None)
@given(sms_rules, numbers, st.integers(1, 10**6))
def test_any_sms_decision_is_within_its_rules(rules: SmsRules, number: str, attempt: int) -> None:
    decision = World(sms=rules).decide_sms(number, attempt)
    assert decision.outcome.value in rules.outcomes.possible()
    bound = {
        SmsOutcome.DELIVERED: rules.delivery,
        SmsOutcome.UNDELIVERED: rules.failure_after,
        SmsOutcome.EXPIRED: rules.expire_after,
    }[decision.outcome]
    assert within(decision.after, bound)
    assert (decision.reason is None) == (decision.outcome is SmsOutcome.DELIVERED)
    if decision.outcome is SmsOutcome.UNDELIVERED:
        assert decision.reason in rules.reasons.possible()
    if rules.report in (0.0, 1.0):
        assert decision.report is (rules.report == 1.0)


@settings(max_examples=100, deadline=None)
@given(st.emails(), st.integers(1, 10**6))
def test_any_email_address_gets_a_decision(address: str, attempt: int) -> None:
    try:
        decision = World().decide_email(address, attempt)
    except AddressError:
        return
    assert decision.address.rpartition("@")[2] == address.rpartition("@")[2].lower()
    assert (decision.bounce_after is not None) == (decision.outcome is EmailOutcome.BOUNCED)
