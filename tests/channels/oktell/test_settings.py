"""Oktell line settings from the channel's settings text, and the script-result grammar."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nabat.system.channels import CallOutcome
from nabat.system.channels.oktell import OktellLineSettings
from nabat.system.channels.oktell.outcomes import is_confirmed, read_outcome
from nabat.system.protocol import ChannelType
from nabat.system.server.channelconfig import check_settings, oktell_line_settings


def test_the_documented_example_parses() -> None:
    text = "url=http://127.0.0.1:4055;line=16038;password=abc;script=notify"
    parsed = oktell_line_settings(text, "oktell3")
    assert parsed is not None
    assert (parsed.name, parsed.base_url, parsed.line, parsed.password, parsed.script) == (
        "oktell3", "http://127.0.0.1:4055", "16038", "abc", "notify")  # fmt: skip
    assert oktell_line_settings("line=16038", "oktell3") is None  # no url: not driven
    assert check_settings(text, ChannelType.OKTELL) == text


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("url=ftp://127.0.0.1", "url"),
        ("url=http://127.0.0.1:99999", "port"),
        ("url=http://u:p@127.0.0.1", "url"),
        ("url=http://127.0.0.1;line=", "line"),
        ("url=http://127.0.0.1;auth=token", "auth"),
        ("url=http://127.0.0.1;direction=moon", "direction"),
        ("url=http://127.0.0.1;ring_timeout=0", "ring_timeout"),
        ("url=http://127.0.0.1;ring_timeout=nan", "ring_timeout"),
        ("url=http://127.0.0.1;colour=blue", "colour"),
        ("url=http://127.0.0.1;name=x", "name"),
        ("url=http://127.0.0.1;port", "key=value"),
    ],
)
def test_bad_settings_name_the_key(text: str, complaint: str) -> None:
    with pytest.raises(ValueError, match=complaint):
        check_settings(text, ChannelType.OKTELL)


def test_a_bad_password_is_refused_without_being_quoted() -> None:
    with pytest.raises(ValueError) as caught:
        OktellLineSettings.from_pairs("url=http://127.0.0.1;password=se\x01cret")
    assert "se" not in str(caught.value).replace("settings", "").replace("seconds", "")
    assert "password" in str(caught.value)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_hostile_settings_text_is_accepted_or_a_clear_value_error(text: str) -> None:
    try:
        parsed = oktell_line_settings(text, "oktell1")
    except ValueError as error:
        assert str(error).startswith("settings:")
    else:
        assert parsed is None or parsed.base_url.startswith(("http://", "https://"))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_any_return_value_reads_as_an_outcome_or_none(text: str) -> None:
    outcome = read_outcome(text)
    if outcome is not None:
        assert outcome.keys == "" or outcome.outcome is CallOutcome.ANSWERED


def test_return_values_of_the_contract() -> None:
    assert read_outcome("key:1#") is not None
    assert read_outcome("key:") is None
    assert read_outcome("busy;ring=3;talk=0") is not None
    assert read_outcome("busy;ring=x") is None
    assert read_outcome("answered") is None
    assert is_confirmed("12", "1") and not is_confirmed("21", "1")
    assert is_confirmed("5", "") and not is_confirmed("", "") and not is_confirmed("1", None)
