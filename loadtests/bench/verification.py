"""`nabat bench verification`: the call-verification path, side by side in one run.

How it works: one ATS simulator pair (primary + reserve) is started pinned to
the server CPU and filled with registered pairs. Then, each measurement
pinned to the load CPU:

1. Load generator capacity — the Locust ATS scenario vs a minimal
   FastHttpUser against the same simulator (nabat.loadtests.locust.capacity).
2. In-system throughput — the system's ``VerificationClient`` vs a bare
   aiohttp loop, alternating rounds (verification_loops.py).
3. Failover — a client loop while the primary refuses connections, answers
   5xx, answers 307 and recovers (verification_failover.py).

Every figure and ratio is printed with its target and written to ``--json``.
Every child (the simulator, Locust, the measuring processes) is supervised:
SIGTERM, Ctrl-C or an error stops them all before the command exits.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nabat.loadtests.bench.cpus import Placement
from nabat.loadtests.bench.processes import ProcessSupervisor, python_module_command
from nabat.loadtests.bench.report import Target
from nabat.simulators.ats.control_client import AtsControlClient
from nabat.simulators.processes import ChildProcesses

A_FIRST, B_FIRST = 79000500000, 79000600000  # operator 1's range in the default plan


@dataclass(frozen=True)
class VerificationBenchOptions:
    seconds: float = 10.0
    rounds: int = 5
    concurrency: int = 50
    pairs: int = 10_000
    locust_seconds: float = 8.0
    locust_users: int = 32
    phase_seconds: float = 2.0
    ping_interval: float = 0.5
    server_cpu: int | None = 0
    load_cpu: int | None = 1
    json_path: Path | None = None
    check: bool = False


def say(message: str) -> None:
    print(message, flush=True)


def _run_json(
    children: ChildProcesses, command: list[str], placement: Placement, timeout: float
) -> dict[str, Any]:
    completed = children.run(command, timeout=timeout, preexec=placement.preexec())
    if completed.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:4])} failed:\n{completed.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(completed.stdout)
    return result


def measure(options: VerificationBenchOptions) -> dict[str, Any]:
    from nabat.loadtests.locust.capacity import measure_locust_capacity

    load = Placement(options.load_cpu)
    figures: dict[str, Any] = {}
    with ProcessSupervisor() as supervisor:
        simulator = supervisor.start_server(
            "simulator",
            python_module_command(
                "nabat.system.cli.main",
                "sim",
                "ats",
                "--port",
                "0",
                "--reserve-port",
                "0",
                "--window",
                "86400",
            ),
            Placement(options.server_cpu),
        )
        primary, reserve = simulator.url, str(simulator.ready["reserve"])
        control = AtsControlClient(primary, timeout=120.0)
        try:
            control.bulk_register(options.pairs, A_FIRST, B_FIRST)
        finally:
            control.close()
        say(f"simulator: primary {primary}, reserve {reserve}; {options.pairs} pairs registered")

        say("1/3 Locust capacity: ATS scenario vs minimal FastHttpUser ...")
        figures["locust"] = measure_locust_capacity(
            primary,
            options.locust_seconds,
            users=options.locust_users,
            cpu=options.load_cpu if options.load_cpu is not None else 1,
            children=supervisor,
        )
        say("2/3 in-system verification vs bare aiohttp loop ...")
        figures["in_system"] = _run_json(
            supervisor,
            python_module_command(
                "nabat.loadtests.bench.verification_loops",
                "--url",
                primary,
                "--a-first",
                str(A_FIRST),
                "--b-first",
                str(B_FIRST),
                "--pairs",
                str(options.pairs),
                "--concurrency",
                str(options.concurrency),
                "--seconds",
                str(options.seconds),
                "--rounds",
                str(options.rounds),
            ),
            load,
            timeout=options.seconds * 4 + 60,
        )
        say("3/3 failover: refused -> 5xx -> 307 -> recovered ...")
        figures["failover"] = _run_json(
            supervisor,
            python_module_command(
                "nabat.loadtests.bench.verification_failover",
                "--primary",
                primary,
                "--reserve",
                reserve,
                "--a-first",
                str(A_FIRST),
                "--b-first",
                str(B_FIRST),
                "--pairs",
                str(options.pairs),
                "--phase-seconds",
                str(options.phase_seconds),
                "--ping-interval",
                str(options.ping_interval),
            ),
            load,
            timeout=options.phase_seconds * 6 + 60,
        )
    return figures


def targets(figures: dict[str, Any]) -> list[Target]:
    in_system, failover = figures["in_system"], figures["failover"]
    back = failover["back_on_primary_after_s"]
    if back is None:
        back = math.inf  # traffic never came back: a miss, not a skip
    return [
        Target(
            "Locust ATS scenario / minimal FastHttpUser", figures["locust"]["ratio"], ">=", 0.85
        ),
        Target("in-system client / bare aiohttp loop", in_system["ratio"], ">=", 0.8),
        Target(
            "in-system verifications/s (one core)", in_system["client"]["per_second"], ">=", 5000.0
        ),
        Target("added p99 latency", in_system["added_p99_ms"], "<=", 5.0, "ms"),
        Target(
            "failover p99 after the first failure",
            failover["p99_after_first_failure_ms"],
            "<=",
            50.0,
            "ms",
        ),
        Target("failover verifications lost", float(failover["lost"]), "<=", 0.0),
        Target("failover wrong answers", float(failover["wrong"]), "<=", 0.0),
        Target("back on the primary after recovery (s)", back, "<=", failover["ping_interval_s"]),
    ]


def render(figures: dict[str, Any], checks: list[Target]) -> str:
    locust, in_system, failover = figures["locust"], figures["in_system"], figures["failover"]
    bare, client = in_system["bare"], in_system["client"]
    rounds = ", ".join(f"{r:.2f}" for r in in_system["round_ratios"])
    back = failover["back_on_primary_after_s"]
    lines = [
        "",
        f"Locust capacity: minimal FastHttpUser {locust['baseline_rps']:,.0f}/s, "
        f"ATS scenario {locust['ats_rps']:,.0f}/s (solo runs); "
        f"paired ratio {locust['ratio']:.3f}, solo ratio {locust['solo_ratio']:.3f}",
        f"in-system: bare aiohttp {bare['per_second']:,.0f}/s p50 {bare['p50_ms']:.2f} ms "
        f"p99 {bare['p99_ms']:.2f} ms; client {client['per_second']:,.0f}/s "
        f"p50 {client['p50_ms']:.2f} ms p99 {client['p99_ms']:.2f} ms; "
        f"ratio {in_system['ratio']:.3f} (rounds {rounds}); "
        f"errors {bare['errors']}/{client['errors']}",
        f"failover: {failover['issued']:,} issued, {failover['answered']:,} answered, "
        f"{failover['lost']} lost, {failover['wrong']} wrong; by server {failover['by_server']}; "
        f"p99 after first failure {failover['p99_after_first_failure_ms']:.2f} ms "
        f"(max {failover['max_after_first_failure_ms']:.2f} ms); back on primary "
        f"{'never' if back is None else f'{back:.3f} s'} after recovery (ping interval "
        f"{failover['ping_interval_s']} s)",
        "",
        f"{'target':<46}{'measured':>12}  {'wanted':>12}  result",
    ]
    for check in checks:
        wanted = f"{check.comparison} {check.format_value(check.threshold)}"
        measured = check.format_value(check.measured)
        lines.append(f"{check.name:<46}{measured:>12}  {wanted:>12}  {check.verdict}")
    return "\n".join(lines)


def run_verification(options: VerificationBenchOptions) -> int:
    try:
        figures = measure(options)
    except (RuntimeError, subprocess.TimeoutExpired, OSError) as error:
        print(f"nabat bench verification: {error}", file=sys.stderr)
        return 2
    checks = targets(figures)
    say(render(figures, checks))
    if options.json_path is not None:
        options.json_path.parent.mkdir(parents=True, exist_ok=True)
        payload = {"figures": figures, "targets": [t.to_json() for t in checks]}
        options.json_path.write_text(json.dumps(payload, indent=1), encoding="utf-8")
        say(f"figures written to {options.json_path}")
    missed = [t for t in checks if t.passed is False]
    return 1 if options.check and missed else 0
