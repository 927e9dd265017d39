"""The CPU cost of a GETABONENTS listing, step by step, in one process.

``python -m nabat.loadtests.bench.listing_steps [--abonents N]`` fills a temporary
store the way ``nabat bench server`` does, then times the three steps the
server runs for each abonent of the listing, one after the other over the
whole set: reading the store's pages into records (``Abonents.iter``), the
records to the reply's lines (``abonent_lines``, i.e. ``to_params``), and
the lines to wire bytes (``encode_line``). No TLS, no sockets: it shows
where the server's CPU goes, which ``nabat bench server`` (end to end) does
not. Each step's figure is the best of ``--rounds`` runs, timed with the
garbage collector paused: this script holds the whole listing in memory
between steps, which the streaming server never does, and full collections
over it would be charged to whichever step triggered them.
"""

from __future__ import annotations

import argparse
import gc
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from nabat.loadtests.bench.server_data import prepare_store
from nabat.system.protocol import Abonent, Form, Line, encode_line
from nabat.system.protocol.messages import DATA, abonent_lines
from nabat.system.store import Store

T = TypeVar("T")
WORD = "GETABONENTS"


def _best(rounds: int, step: Callable[[], T]) -> tuple[float, T]:
    best, result = float("inf"), None
    for _ in range(rounds):
        gc.collect()
        gc.disable()
        try:
            started = time.perf_counter()
            result = step()
            best = min(best, time.perf_counter() - started)
        finally:
            gc.enable()
    assert result is not None
    return best, result


def measure(abonents: int, rounds: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="nabat-listing-") as tmp:
        data = prepare_store(Path(tmp), abonents)
        with Store.open(Path(tmp)) as store:
            read_s, records = _best(
                rounds, lambda: list(store.abonents.iter(data.listing_gid, None))
            )

            def to_lines(items: Sequence[Abonent] = records) -> list[Line]:
                return [ln for a in items for ln in abonent_lines(WORD, DATA, a, Form.FULL)]

            lines_s, lines = _best(rounds, to_lines)
            encode_s, wire = _best(
                rounds, lambda: [encode_line(ln.command, ln.params) for ln in lines]
            )
    assert len(records) == abonents and len(wire) == 3 * abonents
    return {"store_to_records_s": read_s, "records_to_lines_s": lines_s,
            "lines_to_bytes_s": encode_s}  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nabat.loadtests.bench.listing_steps",
                                     description=__doc__.split("\n\n")[0])  # fmt: skip
    parser.add_argument("--abonents", type=int, default=100_000, help="default 100000")
    parser.add_argument("--rounds", type=int, default=3, help="best of N (default 3)")
    args = parser.parse_args(argv)
    figures = measure(args.abonents, args.rounds)
    print(f"GETABONENTS steps for {args.abonents:,} abonents x 2 phones (best of {args.rounds}):")
    for name, seconds in figures.items():
        print(f"  {name:<20} {seconds:6.2f} s")
    print(f"  {'total CPU':<20} {sum(figures.values()):6.2f} s (before TLS and socket writes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
