"""The suite's settings and the task mix."""

from __future__ import annotations

import collections
from types import SimpleNamespace

import pytest
from nabat.loadtests.locust.mix import (
    DEFAULT_MIX,
    Action,
    MixError,
    MixPicker,
    format_mix,
    parse_mix,
)
from nabat.loadtests.locust.settings import AtsSettings, SettingsError


def test_parse_mix_overrides_defaults() -> None:
    weights = parse_mix("genuine=1, cross=0,ping=7")
    assert weights[Action.GENUINE] == 1
    assert weights[Action.CROSS] == 0
    assert weights[Action.PING] == 7
    assert weights[Action.SPOOFED] == DEFAULT_MIX[Action.SPOOFED]
    assert parse_mix("") == dict(DEFAULT_MIX)
    assert parse_mix(format_mix(weights)) == weights


@pytest.mark.parametrize("text", ["nope=1", "genuine", "genuine=-1", "genuine=x"])
def test_parse_mix_rejects(text: str) -> None:
    with pytest.raises(MixError):
        parse_mix(text)


def test_all_zero_is_rejected() -> None:
    with pytest.raises(MixError, match="every weight is 0"):
        parse_mix(",".join(f"{a.value}=0" for a in Action))


def test_picker_follows_weights_and_filters() -> None:
    picker = MixPicker({Action.GENUINE: 3, Action.PING: 1, Action.CROSS: 0})
    counts = collections.Counter(picker.pick() for _ in range(4000))
    assert set(counts) == {Action.GENUINE, Action.PING}
    assert counts[Action.GENUINE] > counts[Action.PING]
    only = MixPicker(DEFAULT_MIX, only=[Action.SPOOFED])
    assert {only.pick() for _ in range(50)} == {Action.SPOOFED}
    with pytest.raises(MixError):
        MixPicker({Action.PING: 1}, only=[Action.GENUINE])


def test_settings_defaults() -> None:
    settings = AtsSettings.from_options(SimpleNamespace())
    assert str(settings.op1_numbers) == "79000000000-79099999999"
    assert str(settings.op2_numbers) == "79100000000-79199999999"
    assert settings.op1_source is None
    assert settings.op2_source == "127.0.0.2"
    assert settings.slots == 16 * 2000
    assert settings.budget is None and settings.reserve is None
    assert settings.mix == dict(DEFAULT_MIX)


def test_settings_from_locust_style_options() -> None:
    options = SimpleNamespace(
        ats_mix="cross=0",
        ats_op2_source="",
        ats_wait_min="0.5",
        ats_wait_max="1.5",
        ats_op1_numbers="74950000000-74959999999",
        ats_budget="0.5",
    )
    settings = AtsSettings.from_options(options)
    assert settings.op2_source is None
    assert (settings.wait_min, settings.wait_max) == (0.5, 1.5)
    assert settings.op1_numbers.first == 74950000000
    assert settings.budget == 0.5


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"ats_op2_source": ""}, "cross"),
        ({"ats_op2_numbers": "79050000000-79150000000"}, "overlap"),
        ({"ats_op1_numbers": "79000000000-79000009999"}, "too small"),
        ({"ats_wait_min": "2", "ats_wait_max": "1"}, "wait-max"),
        ({"ats_timeout": "0"}, "timeout"),
        ({"ats_max_workers": "0"}, "max-workers"),
        ({"ats_user_rate": "fast"}, "user-rate"),
    ],
)
def test_settings_errors(options: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        AtsSettings.from_options(SimpleNamespace(**options))
