"""``python -m nabat.loadtests.bench.store_bench``: insert and stream 100,000 abonents
with 2 phones each, through the store alone (no server).

Creates a store in a temporary directory, adds the abonents one ADDABONENT
transaction at a time (as the server would), then streams them all back with
``abonents.iter()``. Prints the insert rate, the streaming time, and the
process's peak RSS (``ru_maxrss``) before and after streaming: streaming must
not raise the peak, because it never holds the whole listing. No assertions;
the targets (>= 1,000 abonents/s, <= 5 s) are printed next to the figures.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time

from nabat.loadtests.bench.server_data import bench_abonent
from nabat.system.protocol.records import Group
from nabat.system.store.store import Store


def _peak_rss_mib() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux, bytes on macOS
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def run(count: int) -> None:
    with tempfile.TemporaryDirectory() as data_dir, Store.open(data_dir) as store:
        gid = store.groups.add(Group(name="bench")).id
        assert gid is not None
        start = time.perf_counter()
        for n in range(count):
            store.abonents.add(bench_abonent(gid, n))
        insert_s = time.perf_counter() - start
        print(f"insert: {count} abonents x 2 phones in {insert_s:.2f} s "
              f"= {count / insert_s:,.0f} abonents/s (target >= 1,000)")  # fmt: skip
        before = _peak_rss_mib()
        start = time.perf_counter()
        streamed = phones = 0
        for abonent in store.abonents.iter():
            streamed += 1
            phones += len(abonent.phones)
        stream_s = time.perf_counter() - start
        after = _peak_rss_mib()
        print(f"stream: {streamed} abonents, {phones} phones in {stream_s:.2f} s (target <= 5 s)")
        print(f"peak RSS: {before:.1f} MiB before streaming, {after:.1f} MiB after")
        print(f"database: {store.db.path.stat().st_size / 1e6:.1f} MB")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--count", type=int, default=100_000)
    args = parser.parse_args(argv)
    run(args.count)


if __name__ == "__main__":
    main()
