"""Number partitioning: users never share numbers; spoofed numbers are never registered."""

from __future__ import annotations

import itertools

import pytest
from nabat.loadtests.locust.numbers import (
    CallIds,
    NumberCursor,
    NumberRange,
    PartitionError,
    UserNumbers,
    genuine_third,
    slot_for,
    spoofed_third,
    user_share,
)
from nabat.loadtests.locust.slots import SlotAllocator

OP1 = NumberRange.parse("79000000000-79099999999")
OP2 = NumberRange.parse("79100000000-79199999999")


def test_parse_and_errors() -> None:
    assert NumberRange(79000000000, 79099999999) == OP1
    assert OP1.size == 100_000_000
    for bad in ("79000000000", "a-b", "5-3", "1-1234567890123456"):
        with pytest.raises(PartitionError):
            NumberRange.parse(bad)


def test_slices_are_disjoint_and_inside() -> None:
    slices = [OP1.slice(i, 7) for i in range(7)]
    for left, right in itertools.pairwise(slices):
        assert left.last < right.first
    assert slices[0].first == OP1.first and slices[-1].last <= OP1.last
    with pytest.raises(PartitionError):
        OP1.slice(7, 7)
    with pytest.raises(PartitionError):
        NumberRange(1, 3).slice(0, 4)


def test_user_shares_never_overlap_and_keep_their_roles() -> None:
    slots = 32_000
    shares = [user_share(OP1, slot, slots) for slot in (0, 1, 2, slots - 1)]
    genuine, spoofed = genuine_third(OP1), spoofed_third(OP1)
    for share in shares:
        assert share.genuine_a.first in genuine and share.genuine_a.last in genuine
        assert share.spoofed_a.first in spoofed and share.spoofed_a.last in spoofed
        assert share.b.first > spoofed.last and share.b.last <= OP1.last
    for one, other in itertools.pairwise(shares):
        for field in ("genuine_a", "spoofed_a", "b"):
            mine, theirs = getattr(one, field), getattr(other, field)
            assert mine.last < theirs.first


def test_spoofed_third_is_the_same_whatever_the_slot_count() -> None:
    # A spoofed pair of one run can never have been registered by another run,
    # even one with other partition bounds: registered a's come from another third.
    for slots in (1, 16, 32_000):
        share = user_share(OP1, 0, slots)
        assert share.spoofed_a.first in spoofed_third(OP1)
        assert share.genuine_a.last < spoofed_third(OP1).first


def test_slot_for_is_unique_within_bounds() -> None:
    seen = {slot_for(w, u, 4, 10) for w in range(4) for u in range(10)}
    assert seen == set(range(40))
    with pytest.raises(PartitionError, match="max-workers"):
        slot_for(4, 0, 4, 10)
    with pytest.raises(PartitionError, match="slots-per-worker"):
        slot_for(0, 10, 4, 10)


def test_cursor_walks_and_wraps() -> None:
    cursor = NumberCursor(NumberRange(10, 12), start=1)
    assert [cursor.next() for _ in range(5)] == ["11", "12", "10", "11", "12"]


def test_user_numbers_of_two_users_are_disjoint() -> None:
    slots = 100
    one = UserNumbers(OP1, OP2, 3, slots)
    two = UserNumbers(OP1, OP2, 4, slots)
    first = {one.a.next() for _ in range(1000)}
    second = {two.a.next() for _ in range(1000)}
    assert not first & second
    spoofed = {one.spoofed_a.next() for _ in range(1000)}
    assert not spoofed & first
    assert all(int(n) in OP2 for n in (one.b2.next(), one.foreign_a))
    assert all(int(n) in OP1 for n in (one.b1.next(), one.a.next()))


def test_call_ids_are_unique_and_short() -> None:
    ids = CallIds("deadbeef", 31_999)
    made = [ids.next() for _ in range(1000)]
    assert len(set(made)) == 1000
    assert made[0] == "lddeadbeef-31999-1"
    assert max(len(i) for i in made) <= 100
    assert not set(made) & {CallIds("deadbeef", 3).next() for _ in range(1000)}


def test_slot_allocator_reuses_the_lowest_free_index() -> None:
    slots = SlotAllocator()
    assert [slots.take() for _ in range(3)] == [0, 1, 2]
    slots.give_back(1)
    slots.give_back(0)
    assert slots.take() == 0
    assert slots.take() == 1
    assert slots.take() == 3
