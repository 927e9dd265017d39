"""Translates a load plan into Locust command lines (pure: nothing is started here).

How it works: ``LoadPlan`` holds what ``nabat load ats`` was asked for.
``standalone_command`` is one headless Locust process; with workers,
``master_command`` is the headless master (it alone writes the CSV and HTML
reports, and waits for ``--expect-workers``) and ``worker_command`` one local
worker connecting to it. Locust runs as ``python -m locust`` with this
interpreter, so the venv's Locust and this package are the ones used. The
suite's own options become ``--ats-*`` flags on the master (or the single
process); Locust forwards them to every worker, local or remote.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

LOCUSTFILE = Path(__file__).resolve().with_name("locustfile.py")
BASELINE_LOCUSTFILE = Path(__file__).resolve().with_name("baseline_locustfile.py")
SCENARIOS: Mapping[str, str] = {"api": "AtsApiUser", "system": "SystemVerificationUser"}


@dataclass(frozen=True)
class LoadPlan:
    host: str
    users: int = 20
    spawn_rate: float | None = None  # None: all users at once
    run_time: str = "30s"
    workers: int = 0  # local worker processes; 0 = one standalone process
    remote_workers: int = 0  # workers started elsewhere that the master waits for too
    html: Path | None = None
    csv: str | None = None
    scenario: str = "api"
    suite_options: Mapping[str, str] = field(default_factory=dict)  # "--ats-mix" -> value
    master_bind_host: str = "127.0.0.1"
    master_port: int = 5557
    expect_workers_max_wait: int = 60
    loglevel: str = "INFO"
    worker_loglevel: str = "WARNING"
    progress: bool = False
    locustfile: Path = LOCUSTFILE

    @property
    def distributed(self) -> bool:
        return self.workers + self.remote_workers > 0

    @property
    def user_class(self) -> str:
        return SCENARIOS[self.scenario]


def locust_executable() -> list[str]:
    return [sys.executable, "-m", "locust"]


def _format_rate(rate: float) -> str:
    return str(int(rate)) if float(rate).is_integer() else str(rate)


def _run_arguments(plan: LoadPlan) -> list[str]:
    spawn_rate = plan.spawn_rate if plan.spawn_rate is not None else plan.users
    argv = [
        "-f", str(plan.locustfile),
        "--headless",
        "--host", plan.host,
        "--users", str(plan.users),
        "--spawn-rate", _format_rate(spawn_rate),
        "--run-time", plan.run_time,
        "--exit-code-on-error", "1",
        "--loglevel", plan.loglevel,
    ]  # fmt: skip
    if not plan.progress:
        argv.append("--only-summary")
    if plan.csv:
        argv += ["--csv", plan.csv]
    if plan.html:
        argv += ["--html", str(plan.html)]
    for flag, value in plan.suite_options.items():
        argv += [flag, value]
    return argv


def standalone_command(plan: LoadPlan) -> list[str]:
    return [*locust_executable(), *_run_arguments(plan), plan.user_class]


def master_command(plan: LoadPlan) -> list[str]:
    return [
        *locust_executable(),
        *_run_arguments(plan),
        "--master",
        "--master-bind-host", plan.master_bind_host,
        "--master-bind-port", str(plan.master_port),
        "--expect-workers", str(plan.workers + plan.remote_workers),
        "--expect-workers-max-wait", str(plan.expect_workers_max_wait),
        plan.user_class,
    ]  # fmt: skip


def worker_command(plan: LoadPlan, master_host: str = "127.0.0.1") -> list[str]:
    return [
        *locust_executable(),
        "-f", str(plan.locustfile),
        "--worker",
        "--master-host", master_host,
        "--master-port", str(plan.master_port),
        "--loglevel", plan.worker_loglevel,
        plan.user_class,
    ]  # fmt: skip


def remote_worker_hint(plan: LoadPlan) -> str:
    """The command to run on another machine to attach a worker to this master."""
    return (
        f"locust -f {plan.locustfile} --worker --master-host <THIS_MACHINE_IP> "
        f"--master-port {plan.master_port} {plan.user_class}"
    )
