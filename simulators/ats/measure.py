"""Full-size figures of the ATS simulator under hostile load, printed:
``python -m nabat.simulators.ats.measure [call-records|never-readers|bulk|all]``.

The tests run the same attacks scaled down; this prints what docs/ats-simulator.md
quotes. ``call-records`` measures bytes per call record with tracemalloc;
``never-readers`` and ``bulk`` start ``nabat sim ats`` as a child process on a
loopback port, attack it, and print its RSS and /ping latency.
"""

from __future__ import annotations

import argparse
import json
import socket
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from nabat.simulators.ats.control_client import AtsControlClient
from nabat.simulators.ats.stores import CallStore, new_call_record


def call_record_bytes(count: int, call_id_length: int) -> float:
    """Bytes per stored call record (key, record, index slot), by tracemalloc."""
    store = CallStore(count + 1)
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for index in range(count):
            call_id = f"{index:0{call_id_length}d}"
            store.record("1", call_id, new_call_record(1000.0 + index / 1000, "79000000001", 200))
        after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    return (after - before) / count


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


@contextmanager
def simulator_process(*options: str) -> Iterator[tuple[str, int]]:
    with tempfile.TemporaryDirectory() as folder:
        ready = Path(folder) / "ready.json"
        command = [sys.executable, "-m", "nabat.system.cli.main", "sim", "ats", "--port", "0"]
        child = subprocess.Popen(
            [*command, "--ready-file", str(ready), *options], stdout=subprocess.DEVNULL
        )
        try:
            deadline = time.monotonic() + 30
            while not ready.exists() or not ready.read_text().strip():
                if time.monotonic() > deadline or child.poll() is not None:
                    raise RuntimeError("the simulator did not start")
                time.sleep(0.05)
            yield json.loads(ready.read_text())["primary"], child.pid
        finally:
            child.terminate()
            child.wait(timeout=10)


def ping_seconds(url: str) -> float:
    started = time.perf_counter()
    httpx.get(url + "/ping", timeout=30)
    return time.perf_counter() - started


def never_readers(clients: int) -> None:
    request = b"GET /help HTTP/1.1\r\nHost: x\r\n\r\n" * 2000
    with simulator_process() as (url, pid):
        host, port = url.removeprefix("http://").split(":")
        before = rss_mib(pid)
        sockets = []
        for _ in range(clients):
            sock = socket.create_connection((host, int(port)))
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            sock.setblocking(False)
            try:
                for _ in range(200):
                    sock.send(request)
            except BlockingIOError:
                pass
            sockets.append(sock)
        time.sleep(2)
        worst = max(ping_seconds(url) for _ in range(10))
        after = rss_mib(pid)
        print(
            f"never-readers: {clients} clients pipelining GET /help: RSS {before:.0f} -> "
            f"{after:.0f} MiB (+{(after - before) * 1024 / clients:.0f} KiB per client); "
            f"worst /ping of 10: {worst * 1000:.1f} ms"
        )
        for sock in sockets:
            sock.close()


def bulk(count: int) -> None:
    with simulator_process() as (url, pid):
        latencies: list[float] = []
        done = threading.Event()
        took: list[float] = []

        def register() -> None:
            started = time.perf_counter()
            with AtsControlClient(url, timeout=600) as control:
                control.bulk_register(count, 79000100000, 79010100000)
            took.append(time.perf_counter() - started)
            done.set()

        worker = threading.Thread(target=register)
        worker.start()
        while not done.is_set():
            latencies.append(ping_seconds(url))
        worker.join()
        latencies.sort()
        print(
            f"bulk: {count:,} registrations in {took[0]:.1f} s, RSS {rss_mib(pid):.0f} MiB; "
            f"/ping during it: {len(latencies)} answered, median "
            f"{latencies[len(latencies) // 2] * 1000:.1f} ms, worst {latencies[-1] * 1000:.1f} ms"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nabat.simulators.ats.measure")
    parser.add_argument(
        "what", nargs="?", default="all", choices=("call-records", "never-readers", "bulk", "all")
    )
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=40)
    parser.add_argument("--bulk", type=int, default=1_000_000)
    args = parser.parse_args(argv)
    if args.what in ("call-records", "all"):
        for length in (16, 36, 100):
            per_record = call_record_bytes(args.records, length)
            print(
                f"call records: {per_record:.0f} bytes each with {length}-character call_ids "
                f"({args.records:,} measured; 1,000,000 = {per_record:.0f} MB)"
            )
    if args.what in ("never-readers", "all"):
        never_readers(args.clients)
    if args.what in ("bulk", "all"):
        bulk(args.bulk)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
