"""Override precedence: number > narrowest range > domain > default, per kind."""

from __future__ import annotations

import pytest
from nabat.simulators.world import (
    Delay,
    EmailOutcome,
    Match,
    Override,
    RuleValueError,
    SmsOutcome,
    VoiceOutcome,
    Weights,
    World,
    parse_override,
)

VOICE = [o.value for o in VoiceOutcome]


def only(outcome: str, names: list[str] = VOICE) -> Weights:
    return Weights.of({outcome: 1}, names)


NUMBER = Override.of(Match.number("+79000000005"), voice={"outcomes": only("busy")})
WIDE = Override.of(Match.range("79000000000", "79000000999"), voice={"outcomes": only("rejected")})
NARROW = Override.of(
    Match.range(79000000000, 79000000009),
    voice={"outcomes": only("unreachable")},
    sms={"outcomes": Weights.of({"expired": 1}, [o.value for o in SmsOutcome])},
)
SMS_ONLY = Override.of(
    Match.number("79000000007"),
    sms={"delivery": Delay.fixed(1)},
)
DOMAIN = Override.of(
    Match.domain("Example.ORG"),
    email={"outcomes": Weights.of({"bounced": 1}, [o.value for o in EmailOutcome])},
)
MAILBOX = Override.of(
    Match.email("boss@example.org"),
    email={"outcomes": Weights.of({"rejected": 1}, [o.value for o in EmailOutcome])},
)
WORLD = World(overrides=(WIDE, NUMBER, NARROW, SMS_ONLY, DOMAIN, MAILBOX))


@pytest.mark.parametrize(
    ("number", "outcome", "rule"),
    [
        ("79000000005", VoiceOutcome.BUSY, "override number 79000000005"),
        ("79000000003", VoiceOutcome.UNREACHABLE, "override range 79000000000..79000000009"),
        ("79000000500", VoiceOutcome.REJECTED, "override range 79000000000..79000000999"),
        # An override that says nothing about voice does not hide the range's voice rules.
        ("79000000007", VoiceOutcome.UNREACHABLE, "override range 79000000000..79000000009"),
    ],
)
def test_the_most_specific_override_decides(number: str, outcome: VoiceOutcome, rule: str) -> None:
    for attempt in range(1, 20):
        decision = WORLD.decide_voice(number, attempt)
        assert (decision.outcome, decision.rule) == (outcome, rule)


def test_an_address_no_override_matches_gets_the_default() -> None:
    decision = WORLD.decide_voice("79000001000", 1)
    assert decision.rule == "default"
    assert decision == World().decide_voice("79000001000", 1)


def test_an_override_replaces_only_the_fields_it_names() -> None:
    decision = WORLD.decide_sms("79000000007", 1)
    assert decision.rule == "override number 79000000007"
    default = World().decide_sms("79000000007", 1)
    assert decision.outcome is default.outcome and decision.report is default.report
    if decision.outcome is SmsOutcome.DELIVERED:
        assert decision.after == 1.0
    # The narrow range decides the sms of its other numbers.
    assert WORLD.decide_sms("79000000001", 1).outcome is SmsOutcome.EXPIRED


def test_mailbox_beats_domain_beats_default() -> None:
    assert WORLD.decide_email("boss@EXAMPLE.org", 1).outcome is EmailOutcome.REJECTED
    # Local parts are case-sensitive (RFC 5321): Boss is another mailbox of the domain.
    assert WORLD.decide_email("Boss@example.org", 1).rule == "override domain example.org"
    assert WORLD.decide_email("boss@example.org", 1).rule == "override address boss@example.org"
    clerk = WORLD.decide_email("clerk@example.org", 1)
    assert (clerk.outcome, clerk.rule) == (EmailOutcome.BOUNCED, "override domain example.org")
    assert clerk.bounce_after is not None and 30 <= clerk.bounce_after <= 600
    assert WORLD.decide_email("clerk@sub.example.org", 1).rule == "default"


def test_equal_ranges_the_later_one_wins() -> None:
    first = Override.of(Match.range(1, 10), voice={"outcomes": only("busy")})
    second = Override.of(Match.range(11, 20), voice={"outcomes": only("rejected")})
    again = Override.of(Match.range(5, 14), voice={"outcomes": only("unreachable")})
    world = World(overrides=(first, second, again))
    assert world.decide_voice("5", 1).outcome is VoiceOutcome.UNREACHABLE
    assert world.decide_voice("14", 1).outcome is VoiceOutcome.UNREACHABLE
    assert world.decide_voice("15", 1).outcome is VoiceOutcome.REJECTED
    assert world.decide_voice("4", 1).outcome is VoiceOutcome.BUSY


def test_edits_return_new_worlds_keyed_by_the_match() -> None:
    world = World().with_override(NUMBER)
    assert world.decide_voice("79000000005", 1).outcome is VoiceOutcome.BUSY
    replaced = world.with_override(
        Override.of(Match.number("79000000005"), voice={"outcomes": only("rejected")})
    )
    assert len(replaced.overrides) == 1
    assert replaced.decide_voice("79000000005", 1).outcome is VoiceOutcome.REJECTED
    assert world.decide_voice("79000000005", 1).outcome is VoiceOutcome.BUSY  # unchanged
    removed = replaced.without_override("number 79000000005")
    assert removed.overrides == () and removed.decide_voice("79000000005", 1).rule == "default"
    with pytest.raises(KeyError):
        removed.without_override("number 79000000005")


def test_two_overrides_for_one_key_are_refused() -> None:
    with pytest.raises(RuleValueError, match="two overrides"):
        World(overrides=(NUMBER, NUMBER))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({}, "changes no rule"),
        ({"voice": {"ringg": Delay.fixed(1)}}, "unknown rule ringg"),
        ({"voice": {"ring": 5}}, "ring must be a Delay"),
        ({"voice": {"call_back": 1.5}}, r"within \[0, 1\]"),
        ({"sms": {"outcomes": Weights.of({"busy": 1}, VOICE)}}, "must weigh"),
    ],
)
def test_overrides_built_in_code_are_validated(
    changes: dict[str, dict[str, object]], message: str
) -> None:
    with pytest.raises(RuleValueError, match=message):
        Override.of(Match.number("1"), **changes)  # type: ignore[arg-type]


def test_control_api_json_overrides_parse_like_the_file() -> None:
    parsed = parse_override({"number": "+79000000005", "voice": {"outcomes": {"busy": 1}}})
    assert parsed == NUMBER
    assert parse_override(parsed.to_json()) == parsed
    ranged = parse_override(
        {"range": "79000000000..79000000999", "voice": {"outcomes": {"rejected": 2}}}
    )
    assert ranged.key == WIDE.key
