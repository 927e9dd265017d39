"""`nabat bench engine`: the task engine end to end in simulated time.

How it works: three parts, each bounded by ``--timeout`` seconds (a part
that fails or runs out of time is reported and the next still runs), every
child process under the benchmark's ``ProcessSupervisor`` (stopped on exit,
Ctrl-C or SIGTERM):

1. voice (engine_parts.measure_voice): ``nabat serve`` alone on the server
   CPU with ``--channels`` GSM channels on the pseudo-terminals of one
   ``nabat sim gsm`` child (simcom profile, the default world, ``--speed``)
   and the ATS hub for verification; a voice task with DTMF confirmation over
   ``--abonents`` abonents. Figures: channel utilisation while work remains
   (GETCHANNELS BUSY sampled, target >= 95 %), the server's CPU per call
   attempt, wall and simulated time, attempts by outcome;
2. SMS (engine_parts.measure_sms): an SMS task over ``--sms-abonents``
   abonents through one MFMS channel into ``nabat sim mfms``: STARTTASK to
   every target processed, messages/s, the server's CPU per message and peak
   RSS (``VmHWM``);
3. recovery: ``engine_recovery.run_recovery`` (kill -9 in the middle of a
   task, restart, finish: abonents lost, notified twice, time to resume); it
   runs its own children and event loop, so it runs after the other two,
   unpinned, bounded by its own limits rather than ``--timeout``.

Prints the figures and a target table; ``--json`` writes them all; exit 1
when a target is missed, 2 when a part could not run.
"""

from __future__ import annotations

import importlib
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nabat.loadtests.bench.cpus import CpuPlan
from nabat.loadtests.bench.printout import heading, mib, num, target_table
from nabat.loadtests.bench.processes import ProcessSupervisor
from nabat.loadtests.bench.report import Target
from nabat.loadtests.bench.running import bounded, cpu_plan, run_pinned, say, write_figures

UTILISATION_TARGET = 0.95
DEADLINE_MARGIN = 10.0  # seconds of --timeout kept for reading the figures and stopping


@dataclass(frozen=True)
class EngineBenchOptions:
    abonents: int = 10_000
    channels: int = 60
    speed: float = 200.0
    sms_abonents: int = 100_000
    skip_voice: bool = False
    skip_sms: bool = False
    skip_recovery: bool = False
    seed: int | None = None
    timeout_s: float = 900.0
    server_cpu: int = 0
    load_cpu: int = 1
    json_path: Path | None = None


def recovery_lines(recovery: dict[str, Any]) -> list[str]:
    """The recovery part in words: counts as integers, times to the hundredth."""

    def count(key: str) -> str:
        return f"{int(recovery.get(key, 0)):,}"

    def seconds(key: str) -> str:
        return f"{float(recovery.get(key, 0.0)):.2f} s"

    return [
        f"recovery  {count('abonents')} abonents, kill -9 after {count('killed_at')} processed "
        f"(seed {int(recovery.get('seed', 0))}): {count('interrupted')} attempts in flight, "
        f"{count('unreconciled')} left unreconciled",
        f"          lost {count('lost')}, notified twice {count('notified_twice')}; resumed "
        f"{seconds('resume_seconds')} after the kill, whole task {seconds('total_seconds')}",
    ]


def _recovery(options: EngineBenchOptions) -> dict[str, Any]:
    """``engine_recovery.run_recovery`` (synchronous: its own supervisor and event loop)."""
    try:
        module = importlib.import_module("nabat.loadtests.bench.engine_recovery")
    except ImportError as error:
        return {"error": f"engine_recovery is not available: {error}"}
    try:
        result: dict[str, Any] = module.run_recovery(
            abonents=options.abonents, modems=options.channels, speed=options.speed,
            seed=options.seed,
        )  # fmt: skip
    except (RuntimeError, OSError, ValueError, TimeoutError) as error:
        return {"error": f"{type(error).__name__}: {error}"}
    return dict(result)


async def measure(
    options: EngineBenchOptions, supervisor: ProcessSupervisor, plan: CpuPlan
) -> dict[str, Any]:
    from nabat.loadtests.bench.engine_parts import measure_sms, measure_voice

    figures: dict[str, Any] = {}
    budget = max(options.timeout_s - DEADLINE_MARGIN, 1.0)
    if not options.skip_voice:
        say(f"voice: {options.abonents:,} abonents over {options.channels} GSM channels "
            f"at speed {options.speed:g} ...")  # fmt: skip
        figures["voice"] = await bounded(
            measure_voice(options.abonents, options.channels, options.speed, supervisor, plan,
                          time.monotonic() + budget),
            options.timeout_s,
        )  # fmt: skip
    if not options.skip_sms:
        say(f"SMS: {options.sms_abonents:,} abonents through MFMS ...")
        figures["sms"] = await bounded(
            measure_sms(options.sms_abonents, supervisor, plan, time.monotonic() + budget),
            options.timeout_s,
        )
    return figures


def targets(figures: dict[str, Any]) -> list[Target]:
    checks: list[Target] = []
    voice = figures.get("voice")
    if voice is not None:
        done = "error" not in voice and voice["finished"] and voice["processed"] == voice["total"]
        checks += [
            Target("voice channel utilisation while work remains",
                   None if "error" in voice else voice["utilisation"], ">=", UTILISATION_TARGET),
            Target("voice task finished, every abonent processed", float(done), ">=", 1.0),
        ]  # fmt: skip
    sms = figures.get("sms")
    if sms is not None:
        done = "error" not in sms and sms["finished"] and sms["processed"] == sms["total"]
        checks.append(Target("SMS task finished, every abonent processed", float(done), ">=", 1.0))
    recovery = figures.get("recovery")
    if recovery is not None and "error" not in recovery:
        for name in ("lost", "notified_twice"):
            if name in recovery:
                checks.append(Target(f"recovery: abonents {name.replace('_', ' ')}",
                                     float(recovery[name]), "<=", 0.0))  # fmt: skip
    return checks


def _voice_lines(voice: dict[str, Any]) -> list[str]:
    outcomes = ", ".join(f"{name} {count:,}" for name, count in sorted(voice["outcomes"].items()))
    ended = "finished" if voice["finished"] else f"NOT finished ({voice['status']}, deadline)"
    utilisation = voice["utilisation"]
    return [
        f"voice  {voice['abonents']:,} abonents, {voice['channels']} GSM channels "
        f"({voice['channels_up']} up), speed {voice['speed']:g}: {ended} in "
        f"{voice['seconds']:.1f} s wall (~{voice['simulated_seconds'] / 3600:.1f} h simulated)",
        f"       utilisation while work remains "
        f"{'n/a' if utilisation is None else f'{100 * utilisation:.1f} %'} "
        f"({voice['utilisation_samples']} samples; target >= {100 * UTILISATION_TARGET:.0f} %)",
        f"       {voice['attempts']:,} call attempts: {outcomes}",
        f"       {voice['processed']:,}/{voice['total']:,} processed, {voice['confirmed']:,} "
        f"confirmed, {voice['failed']:,} failed",
        f"       server CPU {num(voice['server_cpu_seconds'], '.1f')} s: "
        f"{num(voice['cpu_ms_per_attempt'], '.2f')} ms per attempt; peak RSS "
        f"{mib(voice['server_peak_rss_bytes'])}",
    ]


def _sms_lines(sms: dict[str, Any]) -> list[str]:
    outcomes = ", ".join(f"{name} {count:,}" for name, count in sorted(sms["outcomes"].items()))
    ended = "finished" if sms["finished"] else f"NOT finished ({sms['status']}, deadline)"
    return [
        f"SMS    {sms['abonents']:,} abonents through MFMS: every message handed over "
        f"{num(sms['sent_seconds'], '.1f')} s after STARTTASK "
        f"({num(sms['sent_per_second'])}/s); {ended} (every delivery report in) at "
        f"{sms['seconds']:.1f} s",
        f"       {sms['attempts']:,} attempts: {outcomes}",
        f"       server CPU {num(sms['server_cpu_seconds'], '.1f')} s: "
        f"{num(sms['cpu_us_per_message'], '.0f')} us per message; server peak RSS "
        f"{mib(sms['server_peak_rss_bytes'])} (simulator {mib(sms['simulator_peak_rss_bytes'])})",
    ]


def render(figures: dict[str, Any], checks: list[Target], plan: CpuPlan) -> str:
    lines = heading("nabat bench engine", plan, this="this process and the simulators")
    lines.insert(-1, "(the server under test, `nabat serve`, is the process on the simulator CPU)")
    for name, part_lines in (("voice", _voice_lines), ("sms", _sms_lines)):
        part = figures.get(name)
        if part is not None and "error" in part:
            lines.append(f"{name}: FAILED: {part['error']}")
        elif part is not None:
            lines += part_lines(part)
    recovery = figures.get("recovery")
    if recovery is not None and "error" in recovery:
        lines.append(f"recovery: FAILED: {recovery['error']}")
    elif recovery is not None:
        lines += recovery_lines(recovery)
    lines += target_table(checks)
    return "\n".join(lines)


def run_engine(options: EngineBenchOptions) -> int:
    cpus = cpu_plan(options.server_cpu, options.load_cpu)
    figures = run_pinned(cpus, lambda supervisor: measure(options, supervisor, cpus))
    if not options.skip_recovery:
        say(f"recovery: kill -9 in the middle of a {options.abonents:,}-abonent task ...")
        figures["recovery"] = _recovery(options)
    checks = targets(figures)
    say(render(figures, checks, cpus))
    write_figures(
        options.json_path, options, cpus, figures, targets=[check.to_json() for check in checks]
    )
    if any("error" in part for part in figures.values()):
        print("nabat bench engine: a part could not run (see above)", file=sys.stderr)
        return 2
    return 1 if any(check.passed is False for check in checks) else 0
