"""Numbering plan: CSV loading with located errors, lookups, edits."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from nabat.simulators.ats.plan import (
    NumberingPlan,
    NumberRange,
    PlanError,
    default_plan,
    load_plan_file,
    parse_plan_csv,
)

HEADER = "first,last,id_src,client_ips,inn,id_uvr_p\n"


def test_default_plan_is_the_documented_contract() -> None:
    plan = default_plan()
    assert plan.operator_of_client("127.0.0.1") == "1"
    assert plan.operator_of_client("127.0.0.2") == "2"
    assert plan.operator_of_client("127.0.0.3") is None
    for number, owner in [
        (79000000000, "1"),
        (79099999999, "1"),
        (79100000000, "2"),
        (79199999999, "2"),
    ]:
        found = plan.find(number)
        assert found is not None and found.id_src == owner
    assert plan.find(78999999999) is None
    assert plan.find(79200000000) is None


def test_csv_plan_loads_all_columns() -> None:
    plan = parse_plan_csv(
        "first,last,id_src,client_ips,inn,id_uvr_p,id_uvr_s,ip_uvr_p_p,created\n"
        "74950000000,74959999999,11469,10.0.0.1 127.0.0.5,7812014560,7,,1.1.1.1,"
        "2024-01-01 00:00:00\n"
    )
    found = plan.find(74951234567)
    assert found is not None
    assert (found.id_src, found.inn, found.id_uvr_p, found.id_uvr_s, found.ip_uvr_p_p) == (
        "11469",
        "7812014560",
        7,
        None,
        "1.1.1.1",
    )
    assert plan.operator_of_client("127.0.0.5") == "11469"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty file"),
        ("first,last,owner\n1,2,3\n", "unknown columns: owner"),
        ("first,last\n1,2\n", "missing columns: id_src"),
        (HEADER + "7900,7800,1,,,1\n", r":2: last \(7800\) is below first"),
        (HEADER + "79x,7900,1,,,1\n", ":2: first must be 1 to 15 digits"),
        (HEADER + "1,2,1,not-an-ip,,1\n", ":2: client_ips"),
        (HEADER + "1,2,1,,,one\n", ":2: id_uvr_p must be an integer"),
        (HEADER + "1,5,1,,,1\n3,9,2,,,1\n", "overlap"),
        (HEADER + "1,5,1\n", ":2: wrong number of fields"),
    ],
)
def test_bad_csv_is_rejected_with_its_location(text: str, message: str) -> None:
    with pytest.raises(PlanError, match=message):
        parse_plan_csv(text, "plan.csv")


def test_file_errors(tmp_path: Path) -> None:
    with pytest.raises(PlanError, match="cannot read"):
        load_plan_file(tmp_path / "missing.csv")
    bad = tmp_path / "latin1.csv"
    bad.write_bytes(HEADER.encode() + b"1,2,1,,\xe9,1\n")
    with pytest.raises(PlanError, match="not UTF-8"):
        load_plan_file(bad)
    good = tmp_path / "bom.csv"
    good.write_bytes(b"\xef\xbb\xbf" + HEADER.encode() + b"1,2,1,,,1\n")
    assert load_plan_file(good).find(2) is not None


@given(
    st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 100)), max_size=20),
    st.integers(0, 2 * 10**6),
)
def test_find_agrees_with_a_linear_scan(spans: list[tuple[int, int]], probe: int) -> None:
    ranges: list[NumberRange] = []
    cursor = 0
    for gap, width in spans:
        first = cursor + gap
        ranges.append(NumberRange(first, first + width, str(len(ranges))))
        cursor = first + width + 1
    plan = NumberingPlan()
    plan.add(ranges, {})
    expected = next((r for r in ranges if r.first <= probe <= r.last), None)
    assert plan.find(probe) == expected
