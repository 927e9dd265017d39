"""`python -m nabat.loadtests.bench.listing_steps` runs and reports each step of a listing."""

from __future__ import annotations

import pytest
from nabat.loadtests.bench import listing_steps


def test_each_step_is_timed_on_the_whole_listing(capsys: pytest.CaptureFixture[str]) -> None:
    assert listing_steps.main(["--abonents", "300", "--rounds", "1"]) == 0
    out = capsys.readouterr().out
    for step in ("store_to_records_s", "records_to_lines_s", "lines_to_bytes_s", "total CPU"):
        assert step in out
    figures = listing_steps.measure(50, 1)  # asserts 50 records and 150 wire lines inside
    assert set(figures) == {"store_to_records_s", "records_to_lines_s", "lines_to_bytes_s"}
    assert all(seconds > 0 for seconds in figures.values())
