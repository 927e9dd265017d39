"""`nabat bench oktell`: the Oktell simulator's calls/s, TTS per message, the channel's CPU.

How it works: three parts, each under a hard timeout (``--timeout``), every
simulator a child process of a ``ProcessSupervisor`` (stopped on exit,
Ctrl-C or SIGTERM) pinned to the server CPU while this process runs on the
load CPU:

1. simulator (oktell_sim.py): ``--calls`` notify runs, ``--concurrency`` in
   flight, through the HTTP API of a simulator whose clock runs at its top
   speed (realistic timing disabled): calls/s, p50/p99 of the requests,
   the simulator's CPU per call and peak RSS;
2. TTS: ``nabat.system.speech.measure.measure`` (the speech author's
   function) with the synthesiser the server would choose: seconds per
   message cold and cached (skipped, not failed, when no synthesiser is
   installed);
3. channel (oktell_channel.py): ``OktellLine.call`` against a simulator
   child, ``--channel-calls`` calls: this process's CPU per call attempt.

The issue sets no targets for Oktell: the figures are printed (``--json``
writes them), the exit code is 1 when a call was lost or a count does not
match, 2 when a part could not run, else 0.
"""

from __future__ import annotations

import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from nabat.loadtests.bench.cpus import CpuPlan
from nabat.loadtests.bench.printout import heading, mib, num
from nabat.loadtests.bench.processes import ProcessSupervisor
from nabat.loadtests.bench.running import bounded, cpu_plan, run_pinned, say, write_figures


@dataclass(frozen=True)
class OktellBenchOptions:
    calls: int = 5000
    concurrency: int = 32
    channel_calls: int = 200
    tts_messages: int = 3
    timeout_s: float = 300.0
    server_cpu: int = 0
    load_cpu: int = 1
    json_path: Path | None = None


async def _tts(messages: int) -> dict[str, Any]:
    from nabat.system.speech.choice import find_synthesiser
    from nabat.system.speech.measure import measure as measure_speech
    from nabat.system.speech.synthesiser import SynthesisError

    synthesiser = find_synthesiser(None)
    if synthesiser is None:
        return {"skipped": "no speech synthesiser installed (espeakng-loader or espeak-ng)"}
    try:
        figures = await measure_speech(synthesiser, messages)
    except SynthesisError as error:
        return {"skipped": f"the synthesiser cannot speak: {error}"}
    return {"synthesiser": synthesiser.source, **asdict(figures)}


async def measure(
    options: OktellBenchOptions, supervisor: ProcessSupervisor, plan: CpuPlan
) -> dict[str, Any]:
    from nabat.loadtests.bench.oktell_channel import measure_channel
    from nabat.loadtests.bench.oktell_sim import measure_simulator

    say(f"simulator: {options.calls:,} notify calls, {options.concurrency} in flight ...")
    simulator = await bounded(
        measure_simulator(options.calls, options.concurrency, supervisor, plan), options.timeout_s
    )
    say(f"TTS: {options.tts_messages} messages cold, then cached ...")
    tts = await bounded(_tts(options.tts_messages), options.timeout_s)
    say(f"channel: {options.channel_calls} calls through OktellLine ...")
    channel = await bounded(measure_channel(options.channel_calls, supervisor, plan),
                          options.timeout_s)  # fmt: skip
    return {"simulator": simulator, "tts": tts, "channel": channel}


def problems(figures: dict[str, Any]) -> list[str]:
    """Lost calls and count mismatches (each makes the exit code 1)."""
    found: list[str] = []
    sim = figures["simulator"]
    if "error" not in sim:
        if sim["lost"] or sim["done"] != sim["calls"] or sim["distinct_call_ids"] != sim["calls"]:
            found.append(
                f"simulator: {sim['calls']} calls asked, {sim['done']} answered, "
                f"{sim['distinct_call_ids']} distinct call ids, {sim['lost']} lost"
            )
        if sim["wrong"]:
            found.append(f"simulator: {sim['wrong']} wrong replies ({sim['wrong_example']})")
        if sim["still_up"] or sim["busy_lines"]:
            found.append(f"simulator: {sim['still_up']} calls still up, lines {sim['busy_lines']}")
    channel = figures["channel"]
    if "error" not in channel:
        if channel["wrong"]:
            found.append(f"channel: {channel['wrong']} wrong results ({channel['wrong_example']})")
        if channel["still_up"]:
            found.append(f"channel: {channel['still_up']} calls still up at the simulator")
    return found


def render(figures: dict[str, Any], found: list[str], plan: CpuPlan) -> str:
    rows: list[tuple[str, str, str]] = []
    sim = figures["simulator"]
    if "error" in sim:
        rows.append(("simulator", "FAILED", sim["error"]))
    else:
        outcomes = ", ".join(f"{word} {count}" for word, count in sim["outcomes"].items())
        rows += [
            ("simulator notify calls/s", num(sim["per_second"]),
             f"{sim['done']:,} of {sim['calls']:,} calls in {sim['seconds']:.2f} s, "
             f"{sim['concurrency']} in flight, clock x{sim['speed']:g}"),
            ("request latency p50 / p99", f"{num(sim['p50_ms'], '.2f')} / "
             f"{num(sim['p99_ms'], '.2f')} ms", f"max {num(sim['max_ms'], '.1f')} ms"),
            ("simulator CPU per call", f"{num(sim['simulator_cpu_us_per_call'])} us",
             f"{num(sim['simulator_cpu_percent'])}% of a CPU; the load (httpx) "
             f"{num(sim['load_cpu_us_per_call'])} us per call"),
            ("simulator peak RSS", mib(sim["simulator_peak_rss_bytes"]), ""),
            ("calls lost / wrong replies", f"{sim['lost']} / {sim['wrong']}", outcomes),
        ]  # fmt: skip
    tts = figures["tts"]
    if "error" in tts:
        rows.append(("TTS", "FAILED", tts["error"]))
    elif "skipped" in tts:
        rows.append(("TTS", "skipped", tts["skipped"]))
    else:
        rows += [
            ("TTS per message, cold", f"{tts['cold_seconds']:.3f} s",
             f"engine {tts['engine_seconds']:.3f} s, {tts['messages']} messages of "
             f"{tts['audio_seconds']:.1f} s audio ({tts['synthesiser']})"),
            ("TTS per message, cached", f"{tts['cached_seconds'] * 1e6:.1f} us", ""),
        ]  # fmt: skip
    channel = figures["channel"]
    if "error" in channel:
        rows.append(("channel", "FAILED", channel["error"]))
    else:
        rows += [
            ("channel CPU per call attempt", f"{channel['cpu_ms_per_call']:.2f} ms",
             f"{channel['calls']} calls, {channel['message_seconds']:g} s message; wall "
             f"{channel['wall_ms_per_call']:.1f} ms per call; {channel['wrong']} wrong"),
        ]  # fmt: skip
    width = max(len(row[0]) for row in rows)
    figure_width = max(len(row[1]) for row in rows)
    header = f"{'measure':<{width}}  {'figure':>{figure_width}}  notes"
    lines = [
        *heading("nabat bench oktell", plan),
        header,
        "-" * len(header),
        *(f"{name:<{width}}  {figure:>{figure_width}}  {notes}" for name, figure, notes in rows),
        "",
        "counts: " + ("match" if not found else "MISMATCH"),
        *(f"  {problem}" for problem in found),
    ]
    return "\n".join(lines)


def run_oktell(options: OktellBenchOptions) -> int:
    cpus = cpu_plan(options.server_cpu, options.load_cpu)
    figures = run_pinned(cpus, lambda supervisor: measure(options, supervisor, cpus))
    found = problems(figures)
    say(render(figures, found, cpus))
    write_figures(options.json_path, options, cpus, figures, problems=found)
    if any("error" in part for part in figures.values()):
        print("nabat bench oktell: a part could not run (see above)", file=sys.stderr)
        return 2
    return 1 if found else 0
