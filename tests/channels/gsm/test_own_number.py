"""The calling number of a voice channel: +CNUM parsing and the ``number=`` settings key."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from nabat.system.channels.gsm.initialise import parse_own_number
from nabat.system.channels.gsm.settings import GsmModemSettings
from nabat.system.channels.oktell.settings import OktellLineSettings


@pytest.mark.parametrize(
    ("lines", "number"),
    [
        (['"","+79160000001",145'], "79160000001"),
        (['"Own","79160000002",129,7,4'], "79160000002"),  # SIMCom's service fields
        (['"","",129', '"","+79160000003",145'], "79160000003"),  # first usable one
        ([], None),
        (['"",""'], None),
        (['"","+7916abc",145'], None),
        (['"unterminated'], None),
        (['"","+٧٩١٦",145'], None),  # Arabic-Indic digits are not E.164
    ],
)
def test_cnum_lines(lines: list[str], number: str | None) -> None:
    assert parse_own_number(lines) == number


@given(st.lists(st.text(max_size=60), max_size=3))
def test_any_cnum_text_gives_digits_or_none(lines: list[str]) -> None:
    number = parse_own_number(lines)
    assert number is None or (number.isascii() and number.isdigit() and len(number) <= 32)


@pytest.mark.parametrize("settings", [GsmModemSettings, OktellLineSettings])
def test_number_key_is_stored_without_plus_and_checked(
    settings: type[GsmModemSettings] | type[OktellLineSettings],
) -> None:
    assert settings.from_pairs("number=+74951234567").number == "74951234567"
    assert settings.from_pairs("number=112").number == "112"
    assert settings.from_pairs("").number is None
    assert settings.from_pairs("number=").number is None  # empty: not configured
    for bad in ("+", "12-34", "1" * 33, "+7 495"):
        with pytest.raises(ValueError, match="number: 1 to 32 digits"):
            settings.from_pairs(f"number={bad}")
