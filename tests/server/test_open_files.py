"""The open-files limit: raised as far as max_sessions needs, with a warning
when the hard limit does not allow it (rlimits faked: nothing is changed)."""

from __future__ import annotations

import resource

import pytest
from nabat.system.server import open_files


class FakeLimits:
    def __init__(self, soft: int, hard: int) -> None:
        self.soft, self.hard = soft, hard

    def get(self, which: int) -> tuple[int, int]:
        assert which == resource.RLIMIT_NOFILE
        return self.soft, self.hard

    def set(self, which: int, limits: tuple[int, int]) -> None:
        assert limits[1] == self.hard and limits[0] <= self.hard
        self.soft = limits[0]


@pytest.fixture
def limits(monkeypatch: pytest.MonkeyPatch) -> FakeLimits:
    fake = FakeLimits(1024, 1024)
    monkeypatch.setattr(resource, "getrlimit", fake.get)
    monkeypatch.setattr(resource, "setrlimit", fake.set)
    return fake


def test_the_soft_limit_is_raised_as_far_as_needed(limits: FakeLimits) -> None:
    limits.hard = 1_048_576
    limit = open_files.ensure(1000, 100)
    assert limits.soft == open_files.needed(1000, 100) == 2164 and limit.fits


def test_a_hard_limit_too_low_is_warned_about(
    limits: FakeLimits, caplog: pytest.LogCaptureFixture
) -> None:
    limits.hard = 1500
    limit = open_files.check(1000, 100)
    assert limits.soft == 1500 and not limit.fits
    assert "max_sessions = 1000" in caplog.text and "open-files limit is 1500" in caplog.text
    assert open_files.check(400, 100).fits
