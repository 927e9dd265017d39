"""Per-process allocation of user slots (the local part of a user's number slot).

How it works: a user takes the lowest free local index when it starts and
gives it back when it stops, so a long run that ramps users up and down
never runs out of indexes while the number of live users stays within
``--ats-slots-per-worker``. All users of a process share one allocator
(``LOCAL_SLOTS``), whichever scenario they run. Greenlets switch only on I/O,
so no lock is needed.
"""

from __future__ import annotations

import heapq
import random
from typing import TYPE_CHECKING

from nabat.loadtests.locust.numbers import UserNumbers, slot_for

if TYPE_CHECKING:
    from nabat.loadtests.locust.settings import AtsSettings


class SlotAllocator:
    def __init__(self) -> None:
        self._free: list[int] = []
        self._next = 0

    def take(self) -> int:
        if self._free:
            return heapq.heappop(self._free)
        index = self._next
        self._next += 1
        return index

    def give_back(self, index: int) -> None:
        heapq.heappush(self._free, index)


LOCAL_SLOTS = SlotAllocator()


def claim_slot(worker_index: int, max_workers: int, slots_per_worker: int) -> tuple[int, int]:
    """Take a local index and turn it into a global slot: ``(local_index, slot)``.

    The local index goes back to the allocator if the slot is out of bounds.
    """
    local_index = LOCAL_SLOTS.take()
    try:
        return local_index, slot_for(worker_index, local_index, max_workers, slots_per_worker)
    except ValueError:
        LOCAL_SLOTS.give_back(local_index)
        raise


def claim_user_numbers(worker_index: int, settings: AtsSettings) -> tuple[int, int, UserNumbers]:
    """What every user takes when it starts: ``(local_index, slot, numbers)``.

    The numbers walk the user's private slices from a random start, so each
    run uses fresh pairs.
    """
    local_index, slot = claim_slot(worker_index, settings.max_workers, settings.slots_per_worker)
    numbers = UserNumbers(
        settings.op1_numbers,
        settings.op2_numbers,
        slot,
        settings.slots,
        start=random.randrange(1 << 30),
    )
    return local_index, slot, numbers
