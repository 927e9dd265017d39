"""`nabat bench gsm`: the GSM modem simulator's speed, and the GSM driver's CPU cost.

How it works: every simulator is a real ``nabat sim gsm`` child process
(``ProcessSupervisor``: stopped however the benchmark ends), pinned to the
server CPU; this process, pinned to the load CPU, opens the printed
pseudo-terminals as any serial program would (gsm_line.py) and measures:

1. SMS submissions/s through one modem over its pty, one after the other
   (``AT+CMGS`` in text mode, ``> ``, the text, Ctrl-Z, ``+CMGS`` and
   ``OK``): with realistic timing (a network round trip of 2.5 s per SMS, as
   a SIM800 on a live network) and then with timing disabled (``PUT
   /__sim/timing {"preset": "instant"}``), each for ``--duration`` seconds
   (the SMS under way at the end is finished and counted);
2. 32 modems (``--modems``) in one simulator process, timing disabled, each
   with one command in flight at a time as a driver keeps it: ``AT`` ->
   ``OK`` round trips (commands/s, latency p50/p99, bytes/s both ways) and
   ``AT+CLAC`` (long replies: bytes/s), with the simulator's own CPU use
   from /proc;
3. when the system's GSM driver is installed, its CPU per SMS and per call
   attempt (gsm_driver.py) against a SIM800-profile simulator whose clock
   runs 100x (``DRIVER_SPEED``), so the world's ring and key times pass in
   tens of milliseconds.

Target: the driver's CPU per 1-part SMS <= 1 ms. Prints the figures and
PASS/MISS; ``--json`` writes them all.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nabat.loadtests.bench.cpus import CpuPlan, Placement
from nabat.loadtests.bench.cpuwatch import parse_proc_stat_line
from nabat.loadtests.bench.gsm_driver import driver_available, measure_driver
from nabat.loadtests.bench.gsm_line import LineTimeout, PtyLine
from nabat.loadtests.bench.printout import heading, target_table
from nabat.loadtests.bench.processes import ProcessSupervisor
from nabat.loadtests.bench.report import Target
from nabat.loadtests.bench.running import cpu_plan, run_pinned, say, write_figures
from nabat.system.runtime.ready import ReadyFileError, wait_for_ready_file

DRIVER_CPU_PER_SMS_MS = 1.0
# The driver phase's simulated clock speed. At 1000x the far end's key comes 1 ms of real
# time after the answer, and the driver then misses it now and then (keys "1", confirmed
# False): a race no real network produces, so the benchmark stays at 100x.
DRIVER_SPEED = 100
ANSWERS = "79000000003"  # answers after 2 s and presses 1 one second later
BUSY = "79000000002"
WORLD = f"""
seed = 11

[[override]]
number = "{ANSWERS}"
voice = {{ outcomes = {{ answered = 1 }}, ring = 2, listen = 10, dtmf = {{ confirm = 1 }}, \
first_key = 1, key_gap = 0.5 }}
sms = {{ outcomes = {{ delivered = 1 }}, delivery = 5 }}

[[override]]
number = "{BUSY}"
voice = {{ outcomes = {{ busy = 1 }} }}
"""
FINAL = (b"OK\r\n", b"ERROR\r\n", b"ERROR: ")
TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


@dataclass(frozen=True)
class GsmBenchOptions:
    duration_s: float = 3.0
    modems: int = 32
    sms: int = 300  # driver: SMS per figure at most
    calls: int = 50  # driver: call attempts per figure at most
    server_cpu: int = 0
    load_cpu: int = 1
    json_path: Path | None = None
    check: bool = False


class BenchFailed(RuntimeError):
    """A step of the benchmark could not be carried out."""


@dataclass
class Simulator:
    process: subprocess.Popen[Any]
    ready: dict[str, Any]
    log: Path

    @property
    def paths(self) -> list[str]:
        return [str(path) for path in self.ready["paths"]]

    def cpu_seconds(self) -> float | None:
        try:
            text = Path(f"/proc/{self.process.pid}/stat").read_text(encoding="ascii")
        except OSError:
            return None
        parsed = parse_proc_stat_line(text)
        return None if parsed is None else parsed[1] / TICKS


def start_simulator(
    supervisor: ProcessSupervisor, name: str, arguments: list[str], placement: Placement
) -> Simulator:
    ready_path = supervisor.workdir / f"{name}.ready.json"
    log_path = supervisor.workdir / f"{name}.log"
    command = [sys.executable, "-m", "nabat.system.cli.main", "sim", "gsm",
               "--control-port", "0", "--ready-file", str(ready_path), *arguments]  # fmt: skip
    with log_path.open("wb") as log:
        process = supervisor.start(
            command, stdout=log, stderr=subprocess.STDOUT, preexec=placement.preexec()
        )
    try:
        ready = wait_for_ready_file(ready_path, process, timeout=60)
    except ReadyFileError as error:
        supervisor.stop(process)
        output = log_path.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise BenchFailed(f"{name}: {error}\n--- its output ---\n{output}") from None
    return Simulator(process, ready, log_path)


def latency_figures(latencies: list[float]) -> dict[str, float | None]:
    if not latencies:
        return {"p50_ms": None, "p99_ms": None, "max_ms": None}
    ordered = sorted(latencies)

    def at(share: float) -> float:
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000

    return {"p50_ms": at(0.50), "p99_ms": at(0.99), "max_ms": ordered[-1] * 1000}


async def _prepare(line: PtyLine, *commands: bytes) -> None:
    for command in commands:
        answer = await line.exchange(command, FINAL)
        if not answer.endswith(b"OK\r\n"):
            raise BenchFailed(f"{line.path}: {command!r} answered {answer!r}")


async def sms_run(line: PtyLine, seconds: float) -> dict[str, Any]:
    """Submit SMS one after the other for ``seconds`` (the last one is finished)."""
    latencies: list[float] = []
    errors = 0
    start = time.perf_counter()
    deadline = start + seconds
    while time.perf_counter() < deadline:
        began = time.perf_counter()
        prompt = await line.exchange(f'AT+CMGS="+{ANSWERS}"\r'.encode(), (b"> ", *FINAL[1:]))
        if not prompt.endswith(b"> "):
            errors += 1
            continue
        answer = await line.exchange(b"Bench message\x1a", FINAL, timeout=30)
        if b"+CMGS: " in answer and answer.endswith(b"OK\r\n"):
            latencies.append(time.perf_counter() - began)
        else:
            errors += 1
    elapsed = time.perf_counter() - start
    return {
        "submitted": len(latencies),
        "errors": errors,
        "seconds": elapsed,
        "per_second": len(latencies) / elapsed,
        **latency_figures(latencies),
    }


async def round_trips(lines: list[PtyLine], command: bytes, seconds: float) -> dict[str, Any]:
    """Every line keeps one ``command`` in flight for ``seconds``."""
    latencies: list[float] = []
    errors = 0
    bytes_before = sum(line.sent + line.received for line in lines)
    cpu_before = time.process_time()
    start = time.perf_counter()
    deadline = start + seconds

    async def drive(line: PtyLine) -> None:
        nonlocal errors
        while time.perf_counter() < deadline:
            began = time.perf_counter()
            answer = await line.exchange(command, FINAL)
            if answer.endswith(b"OK\r\n"):
                latencies.append(time.perf_counter() - began)
            else:
                errors += 1

    await asyncio.gather(*(drive(line) for line in lines))
    elapsed = time.perf_counter() - start
    load_cpu = time.process_time() - cpu_before
    moved = sum(line.sent + line.received for line in lines) - bytes_before
    return {
        "modems": len(lines),
        "command": command.decode().strip(),
        "round_trips": len(latencies),
        "errors": errors,
        "seconds": elapsed,
        "per_second": len(latencies) / elapsed,
        "bytes_per_second": moved / elapsed,
        "load_cpu_percent": 100 * load_cpu / elapsed,
        **latency_figures(latencies),
    }


async def _one_modem(
    options: GsmBenchOptions, supervisor: ProcessSupervisor, plan: CpuPlan, world: Path
) -> dict[str, Any]:
    from nabat.simulators.gsm_modem.control_client import GsmControlClient

    simulator = start_simulator(
        supervisor, "gsm-one", ["--modems", "1", "--world", str(world)], plan.server
    )
    line = PtyLine(simulator.paths[0]).open()
    try:
        await _prepare(line, b"ATE0\r", b"AT+CMGF=1\r")
        say(f"SMS through one modem, realistic timing, {options.duration_s:g} s ...")
        realistic = await sms_run(line, options.duration_s)
        with GsmControlClient(simulator.ready["control"]) as control:
            control.set_timing("instant")
        say(f"SMS through one modem, timing disabled, {options.duration_s:g} s ...")
        instant = await sms_run(line, options.duration_s)
    finally:
        line.close()
        supervisor.stop(simulator.process)
    return {"realistic": realistic, "instant": instant}


async def _many_modems(
    options: GsmBenchOptions, supervisor: ProcessSupervisor, plan: CpuPlan
) -> dict[str, Any]:
    simulator = start_simulator(
        supervisor,
        "gsm-many",
        ["--modems", str(options.modems), "--timing", "instant"],
        plan.server,
    )
    lines = [PtyLine(path).open() for path in simulator.paths]
    figures: dict[str, Any] = {}
    try:
        await asyncio.gather(*(_prepare(line, b"ATE0\r") for line in lines))
        for name, command in (("at", b"AT\r"), ("clac", b"AT+CLAC\r")):
            say(f"{options.modems} modems, {command.decode().strip()} round trips, "
                f"{options.duration_s:g} s ...")  # fmt: skip
            cpu_before = simulator.cpu_seconds()
            run = await round_trips(lines, command, options.duration_s)
            cpu_after = simulator.cpu_seconds()
            if cpu_before is not None and cpu_after is not None:
                cpu = cpu_after - cpu_before
                run["simulator_cpu_percent"] = 100 * cpu / run["seconds"]
                run["simulator_cpu_us_per_round_trip"] = (
                    1e6 * cpu / run["round_trips"] if run["round_trips"] else None
                )
            figures[name] = run
    finally:
        for line in lines:
            line.close()
        supervisor.stop(simulator.process)
    return figures


async def _driver(
    options: GsmBenchOptions, supervisor: ProcessSupervisor, plan: CpuPlan, world: Path
) -> dict[str, Any] | None:
    if not driver_available():
        return None
    simulator = start_simulator(
        supervisor,
        "gsm-driver",
        [
            "--modems",
            "1",
            "--profile",
            "simcom",
            "--timing",
            "instant",
            "--speed",
            str(DRIVER_SPEED),
            "--world",
            str(world),
        ],
        plan.server,
    )
    say("the GSM driver's CPU per SMS and per call attempt ...")
    try:
        return await measure_driver(
            simulator.paths[0],
            sms=options.sms,
            calls=options.calls,
            seconds=max(options.duration_s, 1.0),
            answers=ANSWERS,
            busy=BUSY,
        )
    finally:
        supervisor.stop(simulator.process)


async def measure(
    options: GsmBenchOptions, supervisor: ProcessSupervisor, plan: CpuPlan
) -> dict[str, Any]:
    world = supervisor.workdir / "world.toml"
    world.write_text(WORLD, encoding="utf-8")
    return {
        "sms_one_modem": await _one_modem(options, supervisor, plan, world),
        "many_modems": await _many_modems(options, supervisor, plan),
        "driver": await _driver(options, supervisor, plan, world),
    }


def targets(figures: dict[str, Any]) -> list[Target]:
    driver = figures.get("driver") or {}
    per_sms = (driver.get("sms_1_part") or {}).get("cpu_ms")
    errors = sum(run["errors"] for run in figures["sms_one_modem"].values())
    errors += sum(run["errors"] for run in figures["many_modems"].values())
    errors += sum(run["errors"] for run in driver.values())
    return [
        Target("driver CPU per 1-part SMS", per_sms, "<=", DRIVER_CPU_PER_SMS_MS, "ms"),
        Target("failed operations (all runs)", float(errors), "<=", 0.0),
    ]


def _ms(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f} ms"


def render(figures: dict[str, Any], checks: list[Target], plan: CpuPlan) -> str:
    lines = heading("nabat bench gsm", plan, uvloop=True)
    for name, run in figures["sms_one_modem"].items():
        lines.append(
            f"SMS, one modem, {name + ' timing':<17} {run['per_second']:>8.2f} SMS/s  "
            f"({run['submitted']} in {run['seconds']:.2f} s; p50 {_ms(run['p50_ms'])}, "
            f"p99 {_ms(run['p99_ms'])}; {run['errors']} errors)"
        )
    for run in figures["many_modems"].values():
        cpu, per_trip = run.get("simulator_cpu_percent"), run.get("simulator_cpu_us_per_round_trip")
        shown_cpu = (
            "n/a"
            if cpu is None or per_trip is None
            else (f"{cpu:.0f}% ({per_trip:.0f} us per round trip)")
        )
        lines.append(
            f"{run['modems']} modems, {run['command']:<8} "
            f"{run['per_second']:>9,.0f} round trips/s, "
            f"{run['bytes_per_second'] / 1024:,.0f} KiB/s; p50 {_ms(run['p50_ms'])}, "
            f"p99 {_ms(run['p99_ms'])}; simulator CPU {shown_cpu}, this process "
            f"{run['load_cpu_percent']:.0f}%; {run['errors']} errors"
        )
    driver = figures.get("driver")
    if driver is None:
        lines.append("driver: nabat.system.channels.gsm is not installed; skipped")
    else:
        for name, run in driver.items():
            lines.append(
                f"driver {name:<28} CPU {_ms(run['cpu_ms'])} per operation "
                f"(wall {_ms(run['wall_ms'])}; {run['operations']} done, {run['errors']} errors)"
            )
            if run["error_example"]:
                lines.append(f"  first wrong result: {run['error_example'][:300]}")
    lines += target_table(checks, figure=".3f", threshold="g")
    return "\n".join(lines)


def run_gsm(options: GsmBenchOptions) -> int:
    cpus = cpu_plan(options.server_cpu, options.load_cpu)
    try:
        figures = run_pinned(cpus, lambda supervisor: measure(options, supervisor, cpus))
    except (BenchFailed, LineTimeout, ConnectionError, OSError) as error:
        print(f"nabat bench gsm: {error}", file=sys.stderr)
        return 2
    checks = targets(figures)
    say(render(figures, checks, cpus))
    write_figures(
        options.json_path, options, cpus, figures, targets=[check.to_json() for check in checks]
    )
    missed = [check for check in checks if check.passed is False]
    return 1 if options.check and missed else 0
