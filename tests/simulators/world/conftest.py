"""Shared helpers of the world tests: a simulated clock that only moves when told."""

from __future__ import annotations

import pytest
from nabat.simulators.control.clock import SimClock


@pytest.fixture
def clock() -> SimClock:
    """A clock standing still at 1000 s until a test advances it."""
    return SimClock(monotonic=lambda: 1000.0, wall=lambda: 1_700_000_000.0)
