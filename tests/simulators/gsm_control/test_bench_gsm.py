"""`nabat bench gsm`'s measuring parts, briefly, against a simulator in this process."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from nabat.loadtests.bench.gsm import (
    BUSY,
    GsmBenchOptions,
    latency_figures,
    round_trips,
    sms_run,
    targets,
)
from nabat.loadtests.bench.gsm_line import LineTimeout, PtyLine
from nabat.simulators.gsm_modem import Timing
from nabat.simulators.gsm_modem.runner import BackgroundGsmSimulator, GsmSimConfig
from nabat.system.cli.main import build_parser


@pytest.fixture(scope="module")
def paths() -> Iterator[list[str]]:
    config = GsmSimConfig(modems=3, control_port=0, timing=Timing.instant())
    with BackgroundGsmSimulator(config) as running:
        yield list(running.bank.paths)


def test_sms_run_counts_submissions(paths: list[str]) -> None:
    async def run() -> dict[str, object]:
        line = PtyLine(paths[0]).open()
        try:
            answer = await line.exchange(b"ATE0;+CMGF=1\r", (b"OK\r\n",))
            assert answer.endswith(b"OK\r\n")
            return await sms_run(line, 0.3)
        finally:
            line.close()

    figures = asyncio.run(run())
    assert figures["errors"] == 0 and figures["submitted"] > 1  # type: ignore[operator]
    assert figures["p50_ms"] <= figures["p99_ms"]  # type: ignore[operator]


def test_round_trips_over_many_lines(paths: list[str]) -> None:
    async def run() -> dict[str, object]:
        lines = [PtyLine(path).open() for path in paths]
        try:
            for line in lines:
                await line.exchange(b"ATE0\r", (b"OK\r\n",))
            return await round_trips(lines, b"AT\r", 0.3)
        finally:
            for line in lines:
                line.close()

    figures = asyncio.run(run())
    trips = figures["round_trips"]
    assert figures["modems"] == 3 and figures["errors"] == 0 and trips > 3  # type: ignore[operator]
    # Each round trip moves "AT\r" out and "\r\nOK\r\n" back; the last ones may be in flight.
    # bytes/s x seconds gives the byte count back up to float rounding (16343.999...).
    moved = round(figures["bytes_per_second"] * figures["seconds"])  # type: ignore[operator]
    assert 9 * trips <= moved <= 9 * (trips + 3)


def test_a_silent_modem_times_out(paths: list[str]) -> None:
    async def run() -> None:
        line = PtyLine(paths[1]).open()
        try:
            await line.exchange(b"AT+NOTHING=\r", (b"never",), timeout=0.2)
        finally:
            line.close()

    with pytest.raises(LineTimeout):
        asyncio.run(run())


def test_latency_figures() -> None:
    figures = latency_figures([0.001 * n for n in range(1, 101)])
    assert figures["p50_ms"] == pytest.approx(51) and figures["p99_ms"] == pytest.approx(100)
    assert latency_figures([]) == {"p50_ms": None, "p99_ms": None, "max_ms": None}


def test_targets_skip_what_was_not_measured() -> None:
    run = {"errors": 0}
    checks = targets({"sms_one_modem": {"x": run}, "many_modems": {"y": run}, "driver": None})
    assert [c.verdict for c in checks] == ["SKIP", "PASS"]
    assert BUSY.isdigit()


def test_the_cli_takes_the_bench_options(tmp_path: Path) -> None:
    args = build_parser().parse_args(
        ["bench", "gsm", "--seconds", "2", "--modems", "8", "--json", str(tmp_path / "f.json")]
    )
    assert (args.duration, args.modems, args.sms, args.calls) == (2.0, 8, 300, 50)
    assert GsmBenchOptions().modems == 32
