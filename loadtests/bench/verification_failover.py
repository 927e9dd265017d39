"""Failover figures for `nabat bench verification`.

A closed loop of verifications runs through the system's client against the
simulator pair while the primary, driven through the reserve's control API,
goes through: refusing connections -> answering 5xx -> answering 307 ->
recovered. Every verification issued is awaited, so "lost" is issued minus
answered; "wrong" counts answers other than VERIFIED (the pairs are all
registered). Reported: p99 latency of verifications issued after the first
failure, and how long after the recovery traffic was back on the primary,
next to the ping interval it should stay within.

Run as a module it prints one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from dataclasses import dataclass

from nabat.loadtests.bench.verification_loops import Pair, percentile, registered_pairs
from nabat.simulators.ats.control_client import AtsControlClient
from nabat.system.verification.client import VerificationClient
from nabat.system.verification.results import Outcome
from nabat.system.verification.settings import VerificationSettings


@dataclass
class Sample:
    issued: float
    done: float
    outcome: Outcome
    server: str | None


async def failover_run(
    primary: str,
    reserve: str,
    pairs: list[Pair],
    concurrency: int,
    phase_seconds: float,
    ping_interval: float,
    source: str = "127.0.0.1",
) -> dict[str, object]:
    control = AtsControlClient(reserve)  # the reserve's port stays reachable throughout
    settings = VerificationSettings(
        primary_url=primary,
        reserve_url=reserve,
        source_address=source,
        ping_interval=ping_interval,
        pool_size=concurrency,
    )
    samples: list[Sample] = []
    issued = 0
    stop = asyncio.Event()
    marks: dict[str, float] = {}

    async def call(function: object, *args: object, **kwargs: object) -> object:
        return await asyncio.to_thread(function, *args, **kwargs)  # type: ignore[arg-type]

    async with VerificationClient(settings) as client:

        async def worker(offset: int) -> None:
            nonlocal issued
            index = offset
            while not stop.is_set():
                a, b = pairs[index % len(pairs)]
                index += concurrency
                issued += 1
                started = time.perf_counter()
                result = await client.check_call(a, b, id_src="1")
                samples.append(Sample(started, time.perf_counter(), result.outcome, result.server))

        async def scenario() -> None:
            await asyncio.sleep(phase_seconds)
            marks["refusing"] = time.perf_counter()
            await call(control.set_listening, "primary", False)
            await asyncio.sleep(phase_seconds)
            marks["5xx"] = time.perf_counter()
            server_error = await call(control.add_fault, "status", server="primary", status=503)
            await call(control.set_listening, "primary", True)
            await asyncio.sleep(phase_seconds)
            marks["307"] = time.perf_counter()
            await call(control.add_fault, "redirect", server="primary")
            await call(control.remove_fault, server_error, server="primary")
            await asyncio.sleep(phase_seconds)
            marks["recovered"] = time.perf_counter()
            await call(control.clear_faults, server="primary")
            await asyncio.sleep(max(phase_seconds, 3 * ping_interval))
            stop.set()

        await asyncio.gather(scenario(), *(worker(i) for i in range(concurrency)))
        health = {"switches": client.health.switches, "returns": client.health.returns}
    control.close()

    failure_start, recovered = marks["refusing"], marks["recovered"]
    after_failure = sorted(s.done - s.issued for s in samples if s.issued >= failure_start)
    back = [s.done for s in samples if s.issued >= recovered and s.server == "primary"]
    by_server: dict[str, int] = {}
    for sample in samples:
        by_server[str(sample.server)] = by_server.get(str(sample.server), 0) + 1
    return {
        "issued": issued,
        "answered": len(samples),
        "lost": issued - len(samples),
        "wrong": sum(1 for s in samples if s.outcome is not Outcome.VERIFIED),
        "by_server": by_server,
        "p99_after_first_failure_ms": 1000 * percentile(after_failure, 0.99),
        "max_after_first_failure_ms": 1000 * (after_failure[-1] if after_failure else 0.0),
        "back_on_primary_after_s": (back[0] - recovered) if back else None,
        "ping_interval_s": ping_interval,
        "health": health,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--primary", required=True)
    parser.add_argument("--reserve", required=True)
    parser.add_argument("--a-first", type=int, required=True)
    parser.add_argument("--b-first", type=int, required=True)
    parser.add_argument("--pairs", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--phase-seconds", type=float, default=2.0)
    parser.add_argument("--ping-interval", type=float, default=0.5)
    args = parser.parse_args(argv)
    pairs = registered_pairs(args.a_first, args.b_first, args.pairs)
    figures = asyncio.run(
        failover_run(
            args.primary,
            args.reserve,
            pairs,
            args.concurrency,
            args.phase_seconds,
            args.ping_interval,
        )
    )
    json.dump(figures, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
