"""The world's numbering plan: the ATS plan's operators, plus regions and time zones."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from nabat.simulators.ats.plan import NumberingPlan, NumberRange, default_plan
from nabat.simulators.world import Region, WorldPlan
from nabat.simulators.world.numbering import NumberingError, format_utc_offset, parse_utc_offset


def test_default_operators_are_the_ats_default_plan() -> None:
    plan = WorldPlan()
    assert plan.numbers == default_plan()
    assert plan.operator_address("79000000001") == "127.0.0.1"
    assert plan.operator_address("+79000000001") is None  # callers normalise first
    assert plan.operator_address("79199999999") == "127.0.0.2"
    assert plan.operator("79100000000") == "2"
    assert plan.operator_address("79200000000") is None
    assert plan.operator_address("someone@example.org") is None


@pytest.mark.parametrize(
    ("number", "region", "offset"),
    [
        ("79000000000", "Moscow", 3),
        ("79049999999", "Moscow", 3),
        ("79050000000", "Samara", 4),
        ("79100000001", "Novosibirsk", 7),
        ("79199999999", "Vladivostok", 10),
    ],
)
def test_default_regions_and_time_zones(number: str, region: str, offset: int) -> None:
    plan = WorldPlan()
    found = plan.region(number)
    assert found is not None and found.name == region
    assert plan.timezone(number).utcoffset(None) == timedelta(hours=offset)


def test_local_time_uses_the_subscribers_zone_and_outside_numbers_the_default() -> None:
    plan = WorldPlan()
    noon_utc = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)
    assert plan.local_time("79150000001", noon_utc).hour == 22
    assert plan.local_time("79150000001", noon_utc.timestamp()).hour == 22
    assert plan.region("74950000000") is None
    assert plan.local_time("74950000000", noon_utc).hour == 15
    assert WorldPlan(default_utc_offset=-300).local_time("12125550000", noon_utc).hour == 7


def test_operator_address_falls_back_to_the_operators_table() -> None:
    numbers = NumberingPlan()
    numbers.add([NumberRange(100, 199, "9")], {"127.0.0.9": "9"})
    plan = WorldPlan(numbers)
    assert plan.operator_address("150") == "127.0.0.9"
    numbers.clear()  # the world keeps its own copy
    assert plan.operator_address("150") == "127.0.0.9"


def test_overlapping_regions_are_refused() -> None:
    with pytest.raises(NumberingError, match="overlap"):
        WorldPlan(regions=(Region(1, 10, "A", 0), Region(10, 20, "B", 60)))
    with pytest.raises(NumberingError):
        Region(5, 1, "A", 0)
    with pytest.raises(NumberingError):
        Region(1, 5, " ", 0)


@pytest.mark.parametrize(
    ("text", "minutes"), [("+03:00", 180), ("-05:30", -330), (3, 180), (5.5, 330), ("+14:00", 840)]
)
def test_utc_offsets(text: object, minutes: int) -> None:
    assert parse_utc_offset(text) == minutes


@pytest.mark.parametrize("text", ["+15:00", "-12:01", "3", "+3:60", 3.31, True, None, float("nan")])
def test_bad_utc_offsets(text: object) -> None:
    with pytest.raises(NumberingError):
        parse_utc_offset(text)


@given(st.integers(-12 * 60, 14 * 60))
def test_utc_offset_text_round_trips(minutes: int) -> None:
    assert parse_utc_offset(format_utc_offset(minutes)) == minutes
