"""Closed-loop drivers for `nabat bench verification`, measured in one process.

``bare_loop`` is the yardstick: N asyncio tasks posting CheckCall with a plain
aiohttp session, nothing else. ``client_loop`` does the same work through the
system's ``VerificationClient`` (budget, failover bookkeeping, header
decoding, stats). Both hit the same simulator with the same registered pairs
and the same concurrency, one after the other, so their ratio is the client's
overhead. ``failover_run`` keeps a client loop going while a scenario
callback breaks and heals the primary, and reports latency after the first
failure, lost verifications and the time traffic took to come back.

Run as a module (``python -m nabat.loadtests.bench.verification_loops MODE ...``)
it prints one JSON object, so the benchmark can pin it to its own CPU.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from urllib.parse import urlencode

import aiohttp
from nabat.system.runtime.loop import run
from nabat.system.verification.client import VerificationClient
from nabat.system.verification.results import Outcome
from nabat.system.verification.settings import VerificationSettings

Pair = tuple[str, str]


@dataclass
class LoopFigures:
    requests: int
    errors: int
    seconds: float
    per_second: float
    p50_ms: float
    p99_ms: float


def percentile(sorted_values: list[float], fraction: float) -> float:
    if not sorted_values:
        return 0.0
    rank = max(1, math.ceil(fraction * len(sorted_values)))
    return sorted_values[rank - 1]


def _figures(latencies: list[float], errors: int, seconds: float) -> LoopFigures:
    latencies.sort()
    return LoopFigures(
        requests=len(latencies),
        errors=errors,
        seconds=seconds,
        per_second=len(latencies) / seconds if seconds else 0.0,
        p50_ms=1000 * percentile(latencies, 0.50),
        p99_ms=1000 * percentile(latencies, 0.99),
    )


def registered_pairs(a_first: int, b_first: int, count: int) -> list[Pair]:
    return [(str(a_first + i), str(b_first + i)) for i in range(count)]


async def _drive(
    concurrency: int, seconds: float, one: Callable[[int], Awaitable[bool]]
) -> LoopFigures:
    latencies: list[float] = []
    errors = 0
    counter = 0
    stop_at = time.perf_counter() + seconds

    async def worker() -> None:
        nonlocal errors, counter
        while time.perf_counter() < stop_at:
            counter += 1
            started = time.perf_counter()
            ok = await one(counter)
            latencies.append(time.perf_counter() - started)
            if not ok:
                errors += 1

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return _figures(latencies, errors, time.perf_counter() - started)


async def bare_loop(
    url: str, pairs: list[Pair], concurrency: int, seconds: float, source: str
) -> LoopFigures:
    connector = aiohttp.TCPConnector(limit=concurrency, local_addr=(source, 0))
    bodies = [urlencode({"a": a, "b": b, "id_src": "1"}) for a, b in pairs]
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    async with aiohttp.ClientSession(connector=connector) as session:

        async def one(index: int) -> bool:
            async with session.post(
                url + "/CheckCall", data=bodies[index % len(bodies)], headers=headers
            ) as response:
                await response.read()
                return response.status == 200

        return await _drive(concurrency, seconds, one)


async def client_loop(
    settings: VerificationSettings, pairs: list[Pair], concurrency: int, seconds: float
) -> LoopFigures:
    async with VerificationClient(settings) as client:

        async def one(index: int) -> bool:
            a, b = pairs[index % len(pairs)]
            result = await client.check_call(a, b, id_src="1")
            return result.outcome is Outcome.VERIFIED

        return await _drive(concurrency, seconds, one)


def _combine(rounds: list[LoopFigures]) -> LoopFigures:
    seconds = sum(r.seconds for r in rounds)
    requests = sum(r.requests for r in rounds)
    return LoopFigures(
        requests=requests,
        errors=sum(r.errors for r in rounds),
        seconds=seconds,
        per_second=requests / seconds if seconds else 0.0,
        p50_ms=sorted(r.p50_ms for r in rounds)[len(rounds) // 2],
        p99_ms=sorted(r.p99_ms for r in rounds)[len(rounds) // 2],
    )


async def throughput(
    url: str, pairs: list[Pair], concurrency: int, seconds: float, source: str, rounds: int = 5
) -> dict[str, object]:
    """Alternate bare and client rounds; the ratio is the median of per-round ratios.

    Alternating short rounds means both sides see the same background noise,
    so the ratio holds even on a busy machine where absolute numbers drift.
    Both sides are warmed up first, and which one goes first flips every
    round, so neither gains from going second.
    """
    settings = VerificationSettings(primary_url=url, source_address=source, pool_size=concurrency)
    per_round = seconds / rounds
    warmup = min(1.0, per_round)
    await bare_loop(url, pairs, concurrency, warmup, source)
    await client_loop(settings, pairs, concurrency, warmup)
    bare_rounds: list[LoopFigures] = []
    client_rounds: list[LoopFigures] = []
    for index in range(rounds):
        if index % 2:
            client_rounds.append(await client_loop(settings, pairs, concurrency, per_round))
            bare_rounds.append(await bare_loop(url, pairs, concurrency, per_round, source))
        else:
            bare_rounds.append(await bare_loop(url, pairs, concurrency, per_round, source))
            client_rounds.append(await client_loop(settings, pairs, concurrency, per_round))
    ratios = sorted(
        c.per_second / b.per_second
        for b, c in zip(bare_rounds, client_rounds, strict=True)
        if b.per_second
    )
    bare, client = _combine(bare_rounds), _combine(client_rounds)
    added = sorted(c.p99_ms - b.p99_ms for b, c in zip(bare_rounds, client_rounds, strict=True))
    return {
        "bare": asdict(bare),
        "client": asdict(client),
        "ratio": ratios[len(ratios) // 2] if ratios else 0.0,
        "round_ratios": ratios,
        "added_p99_ms": added[len(added) // 2],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True)
    parser.add_argument("--a-first", type=int, required=True)
    parser.add_argument("--b-first", type=int, required=True)
    parser.add_argument("--pairs", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=10.0, help="total, split into rounds")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--source", default="127.0.0.1")
    args = parser.parse_args(argv)
    pairs = registered_pairs(args.a_first, args.b_first, args.pairs)
    figures = run(
        throughput(args.url, pairs, args.concurrency, args.seconds, args.source, args.rounds)
    )
    json.dump(figures, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
