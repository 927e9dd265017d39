"""How long a task report takes to render, and the memory it needs, per format.

``python -m nabat.loadtests.bench.report_render [--abonents N] [--attempts K]
[--formats HTML,XLS,XLSX]`` builds a ``ReportData`` of N abonents with K voice
attempts each (Cyrillic names, every field filled) and renders it in each
format, each in a fresh child process so the figures do not mix: wall time,
CPU time, the file's size and the peak memory the writer needs on top of the
data (the process's high-water mark after rendering less the one after
building the data, from /proc on Linux). Prints one line per format; the
figures in docs/reports.md come from it.
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import time
from datetime import datetime, timedelta
from pathlib import Path

from nabat.system.engine.records import (
    AttemptKind,
    AttemptRecord,
    AttemptState,
    ReportData,
    TargetRecord,
    TargetState,
)
from nabat.system.engine.report import parse_format, render

MiB = 1024 * 1024


def build(abonents: int, attempts: int) -> ReportData:
    start = datetime(2026, 12, 1, 9, 0, 0)
    targets = []
    for index in range(abonents):
        phone = f"79100{index:06d}"
        tried = tuple(
            AttemptRecord(
                id=index * attempts + k + 1,
                abonent_id=index + 1,
                round=k + 1,
                kind=AttemptKind.VOICE,
                address=phone,
                channel=f"gsm{k % 60 + 1}",
                state=AttemptState.DONE,
                outcome="answered" if k else "busy",
                started=start + timedelta(seconds=index + k),
                ended=start + timedelta(seconds=index + k + 30),
                ring_seconds=6.0,
                talk_seconds=20.0 if k else 0.0,
                keys="1" if k else "",
                confirmed=bool(k),
                verification="registered",
                detail="far end hung up" if k else "BUSY",
            )
            for k in range(attempts)
        )
        targets.append(TargetRecord(
            abonent_id=index + 1, name=f"Сотрудник {index} Иванов", priority=index % 3,
            state=TargetState.CONFIRMED, rounds=attempts, confirm_key="1", addresses=(phone,),
            attempts=tried,
        ))  # fmt: skip
    return ReportData(
        task_id=1, task_name="Учебная тревога", ttype=0, status=3, message_name="Тревога",
        list_name="Все", started=start, ended=start + timedelta(hours=1), generated=start,
        total=abonents, processed=abonents, confirmed=abonents, failed=0, targets=tuple(targets),
    )  # fmt: skip


def high_water_bytes() -> int:
    """The process's peak resident memory so far (VmHWM; ru_maxrss elsewhere)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def measure(fmt: str, abonents: int, attempts: int) -> dict[str, float]:
    data = build(abonents, attempts)
    before = high_water_bytes()
    wall, cpu = time.perf_counter(), time.process_time()
    body = render(data, parse_format(fmt))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {"bytes": len(body), "wall": wall, "cpu": cpu,
            "peak_over_data": max(0, high_water_bytes() - before)}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--abonents", type=int, default=100_000)
    parser.add_argument("--attempts", type=int, default=2, help="attempts per abonent")
    parser.add_argument("--formats", default="HTML,XLS,XLSX")
    args = parser.parse_args(argv)
    formats = [part.strip().upper() for part in args.formats.split(",") if part.strip()]
    for fmt in formats:
        parse_format(fmt)  # a bad name stops here, with the allowed ones named
    print(f"report rendering: {args.abonents:,} abonents x {args.attempts} attempts")
    context = multiprocessing.get_context("spawn")
    with context.Pool(1, maxtasksperchild=1) as pool:
        for fmt in formats:
            got = pool.apply(measure, (fmt, args.abonents, args.attempts))
            print(f"{fmt:5} {got['bytes'] / MiB:8.1f} MiB file  {got['wall']:7.2f} s wall  "
                  f"{got['cpu']:7.2f} s CPU  +{got['peak_over_data'] / MiB:.0f} MiB peak over "
                  f"the data")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
