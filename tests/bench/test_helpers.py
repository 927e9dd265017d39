"""Small pieces of the benchmark: report, targets, memory probe, CPU plan,
control-API helpers, the Python load generator and the CLI wiring."""

from __future__ import annotations

import asyncio
import math
import os
from pathlib import Path

import pytest
from nabat.loadtests.bench.ats import counter_delta, status_counters
from nabat.loadtests.bench.cpus import plan_cpus
from nabat.loadtests.bench.figures import LoadFigures
from nabat.loadtests.bench.loadgen import (
    RequestFactory,
    generate_load,
    percentile,
    spec_from_json,
    spec_to_json,
)
from nabat.loadtests.bench.memory import MemoryProbeError, parse_status_kb, rss_bytes
from nabat.loadtests.bench.reference_responder import ResponderProtocol
from nabat.loadtests.bench.report import (
    BenchReport,
    MemoryResult,
    RunResult,
    Target,
    render_text,
    summarize,
)
from nabat.loadtests.bench.wrk import RequestSpec
from nabat.system.cli.main import build_parser

SPEC = RequestSpec("POST", "/CheckCall", (("a", "79000000001"), ("b", "79000000002")), "t")


def figures(rps: float, p50: float, p99: float, statuses: dict[int, int]) -> LoadFigures:
    return LoadFigures(
        generator="wrk",
        requests=sum(statuses.values()),
        duration_s=5.0,
        requests_per_s=rps,
        percentiles_ms={"50": p50, "99": p99},
        statuses=statuses,
    )


# -- targets and report ----------------------------------------------------------


def test_targets() -> None:
    assert Target("ratio", 0.3, ">=", 0.25).verdict == "PASS"
    assert Target("ratio", 0.2, ">=", 0.25).verdict == "MISS"
    assert Target("p99", 10.0, "<=", 10.0, "ms").verdict == "PASS"
    assert Target("drop", 10.0, "<", 10.0, "%").verdict == "MISS"
    assert Target("drop", None, "<", 10.0, "%").verdict == "SKIP"
    assert Target("drop", math.nan, "<", 10.0, "%").verdict == "SKIP"


def test_summary_takes_medians_and_sums_answers() -> None:
    runs = [
        RunResult("sim", "simulator", figures(100.0, 1.0, 5.0, {200: 500}), round=1),
        RunResult("sim", "simulator", figures(300.0, 3.0, 9.0, {200: 1500}), round=2),
        RunResult("sim", "simulator", figures(200.0, 2.0, 7.0, {200: 1000}), round=3),
    ]
    summary = summarize(runs)
    assert summary.rounds == 3
    assert summary.requests_per_s == 200.0
    assert (summary.requests_per_s_min, summary.requests_per_s_max) == (100.0, 300.0)
    assert (summary.p50_ms, summary.p99_ms, summary.p99_ms_max) == (2.0, 7.0, 9.0)
    assert summary.statuses == {200: 3000}


def test_render_text_and_json() -> None:
    report = BenchReport(title="title", settings_line="settings", settings={"rounds": 1})
    report.runs.append(RunResult("reference", "reference responder",
                                 figures(100_000.0, 0.2, 0.5, {200: 500_000})))
    report.runs.append(RunResult("simulator", "simulator, empty store",
                                 figures(20_000.0, 2.0, 12.5, {200: 100_000})))
    report.ratios["throughput simulator/reference"] = 0.2
    report.memory = MemoryResult(1000, 50 * 2**20, 50 * 2**20 + 100_000, 1001, 0.5)
    report.targets += [
        Target("throughput simulator/reference", 0.2, ">=", 0.25),
        Target("simulator p99 at 50 connections", 12.5, "<=", 10.0, "ms"),
    ]
    text = render_text(report)
    assert "reference responder" in text and "100,000" in text
    assert "100 bytes per live registration" in text
    assert "MISS" in text and "12.50 ms" in text
    assert [t.name for t in report.missed] == [
        "throughput simulator/reference", "simulator p99 at 50 connections",
    ]
    data = report.to_json()
    assert data["summaries"]["simulator"]["requests_per_s_median"] == 20_000.0
    assert data["runs"][0]["statuses"] == {"200": 500_000}
    assert data["memory"]["bytes_per_registration"] == 100.0
    assert data["targets"][0]["result"] == "MISS"


# -- memory ----------------------------------------------------------------------------


def test_parse_status_kb() -> None:
    text = "Name:\tpython\nVmPeak:\t  20000 kB\nVmRSS:\t   12345 kB\n"
    assert parse_status_kb(text, "VmRSS") == 12345
    with pytest.raises(MemoryProbeError):
        parse_status_kb(text, "VmHWM")


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc")
def test_rss_of_this_process() -> None:
    assert rss_bytes(os.getpid()) > 1_000_000
    with pytest.raises(MemoryProbeError):
        rss_bytes(2**22 + 12345)  # above the default pid_max: no such process


# -- CPU plan --------------------------------------------------------------------------


def test_cpu_plan() -> None:
    assert plan_cpus(0, 1, {0, 1}).pinned
    same = plan_cpus(0, 0, {0, 1})
    assert not same.pinned and same.warning
    missing = plan_cpus(0, 1, {0})
    assert not missing.pinned and missing.warning and "[1]" in missing.warning


# -- control-API helpers ---------------------------------------------------------------


def test_state_helpers() -> None:
    state = {
        "server": "primary",
        "registrations": 5_000_001,
        "counters": {
            "primary": {"POST /CheckCall 200": 10, "POST /CheckCall 404": 2,
                        "POST /RegisterCall 201": 1},
            "reserve": {"POST /CheckCall 200": 99},
        },
    }
    assert status_counters(state, "POST", "/CheckCall") == {200: 10, 404: 2}
    flat = {"counters": {"POST /CheckCall 200": 3}}
    assert status_counters(flat, "POST", "/CheckCall") == {200: 3}
    assert counter_delta({200: 10, 404: 2}, {200: 25, 404: 2, 400: 1}) == {200: 15, 400: 1}


# -- Python load generator ---------------------------------------------------------------


def test_request_factory_matches_the_spec() -> None:
    factory = RequestFactory(SPEC, "127.0.0.1:1")
    first, second = factory.next(), factory.next()
    expected = (SPEC.head("127.0.0.1:1") + SPEC.body(1, 1)).encode("ascii")
    assert first == expected
    assert second.endswith(SPEC.body(1, 2).encode("ascii"))


def test_spec_json_round_trip() -> None:
    assert spec_from_json(spec_to_json(SPEC)) == SPEC


def test_percentile_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == 50.0
    assert percentile(values, 99) == 99.0
    assert percentile(values, 100) == 100.0
    assert math.isnan(percentile([], 50))


async def test_generator_against_the_reference_responder() -> None:
    loop = asyncio.get_running_loop()
    server = await loop.create_server(ResponderProtocol, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        result = await generate_load(f"http://127.0.0.1:{port}", SPEC, 4, 0.3)
    finally:
        server.close()
        await server.wait_closed()
    assert result.requests > 0
    assert result.statuses == {200: result.requests}
    assert result.p99_ms is not None
    assert result.total_socket_errors() == 0


# -- CLI wiring ---------------------------------------------------------------------


def test_cli_parses_bench_ats() -> None:
    args = build_parser().parse_args(
        ["bench", "ats", "--duration", "3s", "--registrations", "0", "--json", "out.json",
         "--check", "--rounds", "1"]
    )
    assert callable(args.handler)
    assert (args.duration, args.registrations, args.check, args.rounds) == (3, 0, True, 1)
    assert args.json == Path("out.json")
    defaults = build_parser().parse_args(["bench", "ats"])
    assert (defaults.duration, defaults.connections, defaults.threads) == (5, 50, 1)
    assert defaults.registrations == 5_000_000


def test_cli_rejects_fractional_duration() -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["bench", "ats", "--duration", "0.5"])


# -- CPU accounting ------------------------------------------------------------------


def test_parse_proc_stat_line_with_spaces_in_the_name() -> None:
    from nabat.loadtests.bench.cpuwatch import parse_proc_stat_line

    line = "1234 (my (odd) prog) S 1 1234 1234 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 1 0"
    assert parse_proc_stat_line(line) == (1, 300, 4194560)
    assert parse_proc_stat_line("garbage") is None


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_cpu_watch_reports_percentages() -> None:
    from nabat.loadtests.bench.cpuwatch import CpuWatch

    watch = CpuWatch(os.getpid())
    use = watch.finish(requests=10)
    assert use.other_processes_percent >= 0.0
    assert use.server_us_per_request is not None and use.server_us_per_request >= 0.0
    assert watch.finish(requests=0).server_us_per_request is None
