"""Short headless runs of `nabat load ats` against a real simulator subprocess.

Bounded (2-3 s of load each); the assertions are on Locust's own CSV report
and the exit code, never on timings.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from nabat.loadtests import load_cli as load_cmd
from nabat.loadtests.locust.stats_csv import read_failures, read_stats

pytestmark = pytest.mark.slow


def run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="nabat")
    load_cmd.register(parser.add_subparsers(dest="group"))
    args = parser.parse_args(["load", "ats", *argv])
    return int(args.handler(args))


def test_api_scenario_runs_clean(simulator_url: str, tmp_path: Path) -> None:
    prefix = tmp_path / "api"
    html = tmp_path / "api.html"
    code = run("--host", simulator_url, "--users", "5", "--spawn-rate", "5", "--run-time", "3s",
               "--csv", str(prefix), "--html", str(html))  # fmt: skip
    table = read_stats(prefix)
    assert read_failures(prefix) == []
    assert code == 0
    assert table.total_requests > 0
    assert table.total_failures == 0
    names = {row.name for row in table.rows if row.requests > 0}
    # cross-operator checks answered 200 only if their connections came from 127.0.0.2
    assert {"RegisterCall genuine", "CheckCall genuine", "CheckCall cross (op2)"} <= names
    assert any(name.startswith("CheckCall spoofed") for name in names)
    assert html.exists()


def test_distributed_run_with_two_workers(simulator_url: str, tmp_path: Path) -> None:
    prefix = tmp_path / "dist"
    code = run("--host", simulator_url, "--users", "4", "--run-time", "3s", "--workers", "2",
               "--csv", str(prefix))  # fmt: skip
    table = read_stats(prefix)
    assert code == 0
    assert table.total_requests > 0
    assert table.total_failures == 0


def test_wrong_answers_fail_the_run(simulator_url: str, tmp_path: Path) -> None:
    # Operator 2's traffic sent from operator 1's address: the hub refuses the checks.
    prefix = tmp_path / "wrong"
    code = run("--host", simulator_url, "--users", "2", "--run-time", "2s",
               "--op2-source", "127.0.0.1",
               "--mix", "genuine=0,spoofed=0,malformed=0,update=0,ping=0,cross=1",
               "--csv", str(prefix))  # fmt: skip
    assert code == 1
    assert read_stats(prefix).total_failures > 0
    errors = {row["Error"] for row in read_failures(prefix)}
    assert any("expected 200, got 400 (X-Error-Bits 0x00020000)" in e for e in errors)


def test_system_scenario_runs_clean(simulator_url: str, tmp_path: Path) -> None:
    prefix = tmp_path / "system"
    code = run("--host", simulator_url, "--scenario", "system", "--users", "4",
               "--run-time", "3s", "--budget", "2", "--csv", str(prefix))  # fmt: skip
    table = read_stats(prefix)
    assert read_failures(prefix) == []
    assert code == 0
    assert table.total_requests > 0
    assert {row.type for row in table.rows} == {"VERIFY"}
    assert "CheckCall cross (op2)" in {row.name for row in table.rows}
