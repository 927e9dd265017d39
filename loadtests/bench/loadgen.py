"""Built-in Python load generator, used only when wrk is absent.

How it works: like wrk, each of N keep-alive connections keeps exactly one
request in flight. Requests are pre-built bytes (head with a fixed
Content-Length + body prefix) followed by a zero-padded counter, so building
one is a single ``%`` on bytes. Answers are read with httptools'
response parser; on each complete answer the connection records the
latency and status and sends the next request. A connection the server
closes is reopened (counted as a read error unless the answer said
``Connection: close``). The run lasts ``duration`` seconds after all
connections are open; percentiles come from the sorted latencies.

It runs as its own process, pinned by the benchmark to the load CPU:
``python -m nabat.loadtests.bench.loadgen --url URL --spec JSON --connections N
--duration S`` prints one JSON object (the ``LoadFigures`` fields). Being
Python it saturates its CPU sooner than wrk (here it reached ~85-90% of
wrk's rate against the reference responder), so figures it produces measure
the generator as well as the server.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import json
import math
import sys
import time
from array import array
from collections.abc import Sequence
from typing import cast
from urllib.parse import urlsplit

import httptools
from nabat.loadtests.bench.figures import LoadFigures
from nabat.loadtests.bench.wrk import COUNTER_DIGITS, THREAD_DIGITS, RequestSpec
from nabat.system.runtime.loop import run

PERCENTILES = (50.0, 75.0, 90.0, 99.0)


class RequestFactory:
    """Pre-built request bytes with a per-request counter in the call_id."""

    def __init__(self, spec: RequestSpec, host: str) -> None:
        self._fixed = (spec.head(host) + spec.body_prefix()).encode("ascii")
        self._with_counter = spec.call_id_prefix is not None
        self._suffix_format = f"{1:0{THREAD_DIGITS}d}-%0{COUNTER_DIGITS}d".encode("ascii")
        self._counter = 0

    def next(self) -> bytes:
        if not self._with_counter:
            return self._fixed
        self._counter += 1
        return self._fixed + self._suffix_format % self._counter


class Recorder:
    """Latencies and statuses of answers received while measuring."""

    def __init__(self) -> None:
        self.measuring = False
        self.stopping = False
        self.latencies = array("d")
        self.statuses: dict[int, int] = {}
        self.socket_errors = {"connect": 0, "read": 0, "write": 0, "timeout": 0}

    def record(self, status: int, latency_s: float) -> None:
        if self.measuring:
            self.latencies.append(latency_s)
            self.statuses[status] = self.statuses.get(status, 0) + 1


class LoadConnection(asyncio.Protocol):
    """One keep-alive connection with one request in flight."""

    def __init__(self, factory: RequestFactory, recorder: Recorder, closed: asyncio.Future[bool]):
        self._factory = factory
        self._recorder = recorder
        self._closed = closed
        self._transport: asyncio.Transport | None = None
        self._parser = httptools.HttpResponseParser(self)
        self._sent_at = 0.0
        self._expect_close = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = cast(asyncio.Transport, transport)
        self._send()

    def data_received(self, data: bytes) -> None:
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserError:
            self._recorder.socket_errors["read"] += 1
            if self._transport is not None:
                self._transport.close()

    def connection_lost(self, exc: Exception | None) -> None:
        self._transport = None
        if not self._closed.done():
            self._closed.set_result(self._expect_close or self._recorder.stopping)

    def on_message_complete(self) -> None:
        self._recorder.record(self._parser.get_status_code(), time.perf_counter() - self._sent_at)
        if not self._parser.should_keep_alive():
            self._expect_close = True
            if self._transport is not None:
                self._transport.close()
            return
        self._send()

    def _send(self) -> None:
        transport = self._transport
        if transport is None:
            return
        if self._recorder.stopping:
            transport.close()
            return
        self._sent_at = time.perf_counter()
        transport.write(self._factory.next())


async def _drive_connection(
    host: str, port: int, factory: RequestFactory, recorder: Recorder
) -> None:
    """Keep one connection busy until the run stops, reopening it when closed."""
    loop = asyncio.get_running_loop()
    while not recorder.stopping:
        closed: asyncio.Future[bool] = loop.create_future()
        try:
            await loop.create_connection(
                functools.partial(LoadConnection, factory, recorder, closed), host, port
            )
        except OSError:
            recorder.socket_errors["connect"] += 1
            await asyncio.sleep(0.01)
            continue
        expected = await closed
        if not expected:
            recorder.socket_errors["read"] += 1


async def generate_load(
    base_url: str, spec: RequestSpec, connections: int, duration_s: float
) -> LoadFigures:
    parts = urlsplit(base_url)
    host = parts.hostname or "127.0.0.1"
    port = parts.port or 80
    factory = RequestFactory(spec, parts.netloc)
    recorder = Recorder()
    tasks = [
        asyncio.create_task(_drive_connection(host, port, factory, recorder))
        for _ in range(connections)
    ]
    await asyncio.sleep(0.2)  # let the connections open before measuring
    recorder.measuring = True
    started = time.perf_counter()
    await asyncio.sleep(duration_s)
    recorder.measuring = False
    elapsed = time.perf_counter() - started
    recorder.stopping = True
    _, pending = await asyncio.wait(tasks, timeout=5.0)
    for task in pending:
        task.cancel()
    return summarize(recorder, elapsed)


def percentile(sorted_values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile of already sorted values (q in 0..100)."""
    if not sorted_values:
        return math.nan
    rank = max(1, math.ceil(q / 100.0 * len(sorted_values)))
    return sorted_values[rank - 1]


def summarize(recorder: Recorder, elapsed_s: float) -> LoadFigures:
    latencies = sorted(recorder.latencies)
    count = len(latencies)
    figures = LoadFigures(
        generator="python",
        requests=count,
        duration_s=round(elapsed_s, 3),
        requests_per_s=round(count / elapsed_s, 2) if elapsed_s > 0 else 0.0,
        statuses=dict(recorder.statuses),
        socket_errors=dict(recorder.socket_errors),
    )
    figures.non_2xx_3xx = sum(n for code, n in recorder.statuses.items() if code >= 400)
    if count:
        figures.latency_avg_ms = round(sum(latencies) / count * 1000.0, 6)
        figures.latency_max_ms = round(latencies[-1] * 1000.0, 6)
        for q in PERCENTILES:
            figures.percentiles_ms[f"{q:g}"] = round(percentile(latencies, q) * 1000.0, 6)
    return figures


def spec_to_json(spec: RequestSpec) -> str:
    return json.dumps(
        {
            "method": spec.method,
            "path": spec.path,
            "params": [list(pair) for pair in spec.params],
            "call_id_prefix": spec.call_id_prefix,
            "content_type": spec.content_type,
        }
    )


def spec_from_json(text: str) -> RequestSpec:
    data = json.loads(text)
    return RequestSpec(
        method=data["method"],
        path=data["path"],
        params=tuple((str(k), str(v)) for k, v in data["params"]),
        call_id_prefix=data["call_id_prefix"],
        content_type=data["content_type"],
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m nabat.loadtests.bench.loadgen",
        description="Keep-alive HTTP load generator (the benchmark's fallback when wrk is absent).",
    )
    parser.add_argument("--url", required=True, help="base URL, e.g. http://127.0.0.1:8085")
    parser.add_argument("--spec", required=True, help="request spec as JSON")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--duration", type=float, default=5.0, help="seconds")
    args = parser.parse_args(argv)
    spec = spec_from_json(args.spec)
    figures = run(generate_load(args.url, spec, args.connections, args.duration))
    json.dump(figures.to_json(), sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
