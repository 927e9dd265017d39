"""`nabat load ats` options -> LoadPlan -> Locust command lines (nothing is started)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pytest
from nabat.loadtests import load_cli as load_cmd
from nabat.loadtests.locust.command import (
    LOCUSTFILE,
    LoadPlan,
    master_command,
    remote_worker_hint,
    standalone_command,
    worker_command,
)
from nabat.loadtests.locust.settings import SettingsError


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="nabat")
    load_cmd.register(parser.add_subparsers(dest="group"))
    return parser.parse_args(["load", "ats", *argv])


def flag(argv: list[str], name: str) -> str:
    return argv[argv.index(name) + 1]


def test_standalone_command() -> None:
    plan = load_cmd.plan_from_args(
        parse("--host", "http://127.0.0.1:8085", "--users", "20", "--spawn-rate", "20",
              "--run-time", "8s", "--csv", "out/p", "--html", "out/r.html")
    )  # fmt: skip
    argv = standalone_command(plan)
    assert argv[:3] == [sys.executable, "-m", "locust"]
    assert flag(argv, "-f") == str(LOCUSTFILE)
    assert "--headless" in argv and "--only-summary" in argv
    assert flag(argv, "--host") == "http://127.0.0.1:8085"
    assert flag(argv, "--users") == "20"
    assert flag(argv, "--spawn-rate") == "20"
    assert flag(argv, "--run-time") == "8s"
    assert flag(argv, "--csv") == "out/p"
    assert flag(argv, "--html") == "out/r.html"
    assert flag(argv, "--exit-code-on-error") == "1"
    assert argv[-1] == "AtsApiUser"
    assert "--master" not in argv and "--ats-mix" not in argv


def test_defaults_spawn_everyone_at_once() -> None:
    plan = load_cmd.plan_from_args(parse("--host", "http://127.0.0.1:1", "--users", "7"))
    argv = standalone_command(plan)
    assert flag(argv, "--spawn-rate") == "7"
    assert flag(argv, "--run-time") == "30s"
    assert "--csv" not in argv and "--html" not in argv


def test_suite_options_become_ats_flags() -> None:
    args = parse("--host", "http://127.0.0.1:1", "--mix", "cross=0,ping=1", "--op2-source", "",
                 "--op1-numbers", "74950000000-74959999999", "--wait-min", "0.1",
                 "--wait-max", "0.2", "--scenario", "system", "--reserve", "http://127.0.0.1:2",
                 "--progress")  # fmt: skip
    argv = standalone_command(load_cmd.plan_from_args(args))
    assert flag(argv, "--ats-mix") == "cross=0,ping=1"
    assert flag(argv, "--ats-op2-source") == ""
    assert flag(argv, "--ats-op1-numbers") == "74950000000-74959999999"
    assert flag(argv, "--ats-wait-min") == "0.1"
    assert flag(argv, "--ats-reserve") == "http://127.0.0.1:2"
    assert "--only-summary" not in argv
    assert argv[-1] == "SystemVerificationUser"


def test_bad_suite_options_are_refused_before_locust_starts() -> None:
    with pytest.raises(SettingsError, match="cross"):
        load_cmd.plan_from_args(parse("--host", "http://127.0.0.1:1", "--op2-source", ""))
    with pytest.raises(SettingsError, match="unknown action"):
        load_cmd.plan_from_args(parse("--host", "http://127.0.0.1:1", "--mix", "x=1"))


def test_handler_exit_codes_without_running(capsys: pytest.CaptureFixture[str]) -> None:
    args = parse("--print-locustfile")
    assert args.handler(args) == 0
    assert Path(capsys.readouterr().out.strip()) == LOCUSTFILE
    assert LOCUSTFILE.exists()
    args = parse("--users", "2")
    assert args.handler(args) == 2  # --host missing
    args = parse("--host", "http://127.0.0.1:1", "--mix", "genuine=x")
    assert args.handler(args) == 2
    assert "weight of genuine" in capsys.readouterr().err


@pytest.mark.parametrize("bad", ["--run-time=8x", "--users=0", "--workers=-1", "--spawn-rate=0"])
def test_argument_validation(bad: str) -> None:
    with pytest.raises(SystemExit):
        parse("--host", "http://127.0.0.1:1", bad)


def test_distributed_commands() -> None:
    plan = load_cmd.plan_from_args(
        parse("--host", "http://127.0.0.1:8085", "--workers", "2", "--csv", "p",
              "--master-port", "5600", "--mix", "ping=9")
    )  # fmt: skip
    assert plan.distributed
    master = master_command(plan)
    assert "--master" in master and "--headless" in master
    assert flag(master, "--expect-workers") == "2"
    assert flag(master, "--master-bind-host") == "127.0.0.1"
    assert flag(master, "--master-bind-port") == "5600"
    assert flag(master, "--csv") == "p"
    assert flag(master, "--ats-mix") == "ping=9"  # Locust forwards it to the workers
    worker = worker_command(plan)
    assert "--worker" in worker
    assert flag(worker, "--master-host") == "127.0.0.1"
    assert flag(worker, "--master-port") == "5600"
    assert flag(worker, "-f") == str(LOCUSTFILE)
    assert "--csv" not in worker and "--host" not in worker and "--ats-mix" not in worker
    assert worker[-1] == master[-1] == "AtsApiUser"


def test_remote_workers_are_expected_too() -> None:
    plan = LoadPlan(host="http://127.0.0.1:1", workers=1, remote_workers=3, master_port=5600)
    assert flag(master_command(plan), "--expect-workers") == "4"
    hint = remote_worker_hint(plan)
    assert hint.startswith(f"locust -f {LOCUSTFILE} --worker --master-host ")
    assert "--master-port 5600" in hint
