"""`nabat bench oktell`, simulator part: notification calls/s the Oktell simulator sustains.

How it works: ``nabat sim oktell`` runs as a child process (free loopback
port, ``--config`` giving it as many trunks as calls in flight and no call
recordings) pinned to the server CPU; its simulated clock is set to
``SPEED`` (the control API), so the world's ring, message and key times
pass in microseconds: realistic timing disabled, every call still goes
through the whole notify script (dial, world decision, play, keys,
hang-up). This process, on the load CPU, keeps ``concurrency`` synchronous
``execsvcscriptplain?name=notify`` runs in flight (one keep-alive
connection each) until ``calls`` calls are done, each to its own number.
Figures: calls/s, p50/p99 of the requests, the simulator's CPU per call
(/proc ticks) and peak RSS (``VmHWM``), this process's CPU per call (httpx:
on two cores the load side, not the simulator, is the limit), outcomes by word. Counts are
checked: every request answered 200 with a contract word and a call id,
as many distinct call ids as calls, and afterwards no call up and every
line free at the simulator (``lost`` counts what is missing).
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter
from typing import Any

import httpx
from nabat.loadtests.bench.cpus import CpuPlan, Placement
from nabat.loadtests.bench.gsm import latency_figures
from nabat.loadtests.bench.processes import ProcessSupervisor
from nabat.loadtests.bench.sms_children import Simulator, reset_own_peak, start_simulator
from nabat.simulators.oktell.control_client import OktellControlClient

SPEED = 10_000.0  # the control API's top clock speed: a minute-long call in 6 ms
DTMF_WINDOW = 5  # startparam4: seconds for the key after the message
WORDS = frozenset({"key", "nokey", "hungup", "noanswer", "busy", "unreachable", "rejected",
                   "blocked"})  # fmt: skip


def start_oktell(
    supervisor: ProcessSupervisor, arguments: list[str], placement: Placement
) -> Simulator:
    """``nabat sim oktell --port 0 ARGUMENTS`` (a fresh ready file: parts run one by one)."""
    (supervisor.workdir / "oktell.ready.json").unlink(missing_ok=True)
    return start_simulator(supervisor, "oktell", ["--port", "0", *arguments], placement,
                           needs="http")  # fmt: skip


def simulator_config(trunks: int) -> str:
    return f"external_lines = {trunks}\nrecord_calls = false\n"


def number(index: int) -> str:
    return f"79{index:09d}"


async def _drive(
    base: str, calls: int, concurrency: int
) -> tuple[list[float], Counter[str], set[str], list[str], float]:
    latencies: list[float] = []
    words: Counter[str] = Counter()
    call_ids: set[str] = set()
    wrong: list[str] = []
    next_index = 0
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60.0) as client:

        async def worker() -> None:
            nonlocal next_index
            while next_index < calls:
                index = next_index
                next_index += 1
                params = {"name": "notify", "startparam1": number(index), "startparam2": "x",
                          "startparam3": "1", "startparam4": str(DTMF_WINDOW)}  # fmt: skip
                began = time.perf_counter()
                try:
                    response = await client.get("/execsvcscriptplain", params=params)
                except httpx.HTTPError as error:
                    wrong.append(f"{type(error).__name__}: {error}")
                    continue
                latencies.append(time.perf_counter() - began)
                try:
                    output = json.loads(response.text) if response.status_code == 200 else {}
                except ValueError:
                    output = {}
                word = str(output.get("result", "")).partition(":")[0]
                if word not in WORDS or not output.get("call"):
                    wrong.append(f"HTTP {response.status_code}: {response.text[:200]}")
                    continue
                words[word] += 1
                call_ids.add(str(output["call"]))

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return latencies, words, call_ids, wrong, elapsed


async def measure_simulator(
    calls: int, concurrency: int, supervisor: ProcessSupervisor, plan: CpuPlan
) -> dict[str, Any]:
    reset_own_peak()
    config = supervisor.workdir / "oktell-bench.toml"
    config.write_text(simulator_config(concurrency), encoding="utf-8")
    simulator = start_oktell(supervisor, ["--config", str(config)], plan.server)
    base = str(simulator.ready["http"])
    control = OktellControlClient(base)
    try:
        control.set_clock(speed=SPEED)
        await _drive(base, min(50, calls), concurrency)  # warm-up: connections, imports
        cpu_before, own_before = simulator.cpu_seconds(), time.process_time()
        latencies, words, call_ids, wrong, elapsed = await _drive(base, calls, concurrency)
        cpu_after, own_cpu = simulator.cpu_seconds(), time.process_time() - own_before
        state = control.state()
        up = state["active_calls"]
        busy_lines = sorted(n for n, label in state["lines"].items() if label != "lsFree")
        cpu = None if cpu_before is None or cpu_after is None else cpu_after - cpu_before
        done = sum(words.values())
        return {
            "calls": calls,
            "concurrency": concurrency,
            "speed": SPEED,
            "done": done,
            "distinct_call_ids": len(call_ids),
            "lost": calls - len(call_ids) + up,
            "wrong": len(wrong),
            "wrong_example": wrong[0] if wrong else "",
            "still_up": up,
            "busy_lines": busy_lines,
            "outcomes": dict(sorted(words.items())),
            "seconds": elapsed,
            "per_second": done / elapsed if elapsed > 0 else None,
            **latency_figures(latencies),
            "simulator_cpu_us_per_call": None if cpu is None or not done else 1e6 * cpu / done,
            "simulator_cpu_percent": None if cpu is None else 100 * cpu / elapsed,
            "load_cpu_us_per_call": 1e6 * own_cpu / done if done else None,
            "simulator_peak_rss_bytes": simulator.peak_rss(),
        }
    finally:
        control.close()
        supervisor.stop(simulator.process)
