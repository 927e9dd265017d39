"""Run every conformance suite against every mutant of the catalogue; print the kill rate.

    python -m tests.mutation.campaign                 # every suite, default and --strict
    python -m tests.mutation.campaign --suite ats     # one suite
    python -m tests.mutation.campaign --mutant ATS-WINDOW-600 --keep

For each suite: first the unmutated implementation (it must conform, in the
default run and with ``--strict``, or the campaign stops: a kill would mean
nothing). Then for each mutant: copy the top folder holding the mutated file
to a temporary ``nabat/`` tree, rewrite the file (tests/mutation/mutant.py),
start the implementation from the copy (targets.py), run ``nabat conformance
SUITE`` against it and read the exit code. 1 ("does not conform") is a kill;
0 is a survivor; anything else (the mutant did not start, or the suite could
not test it: exit 3) is *stillborn* and counts neither way, but is listed,
since a catalogue entry that breaks start-up tests nothing.

Rates: the default run must kill every MUST-level mutant (a SHOULD-level one
may survive it: the suite only notes a missed SHOULD); the ``--strict`` run
must kill every mutant. The figure printed per suite is
``default: K of N MUST-level mutants killed (P%)`` and
``strict: K of N mutants killed (P%)``; the target is 95% for both.
Each mutant runs in its own processes and folder; ``--jobs`` runs that many
at once. Everything started is stopped on exit, Ctrl-C and SIGTERM.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from nabat.simulators.processes import ChildProcesses
from nabat.system.runtime.ready import ReadyFileError

from tests.mutation.catalogue import CATALOGUE
from tests.mutation.mutant import Mutant
from tests.mutation.targets import NABAT, start_target

ROOT = Path(__file__).resolve().parents[2]
SUITE_TIMEOUT = 300.0
TARGET_RATE = 95.0
KILLED, SURVIVED, STILLBORN = "killed", "survived", "stillborn"


@dataclass(frozen=True)
class Result:
    mutant: Mutant | None  # None: the unmutated implementation
    strict: bool
    exit_code: int | None
    verdict: str
    seconds: float
    detail: str = ""


def copy_with(mutant: Mutant, into: Path) -> Path:
    """``into`` holding ``nabat/<package>``: the mutant's folder, mutated."""
    destination = into / "nabat" / mutant.package
    shutil.copytree(ROOT / mutant.package, destination,
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".*"))
    mutant.apply_to(into / "nabat")
    return into


def _verdict(code: int | None) -> str:
    return {1: KILLED, 0: SURVIVED}.get(code if code is not None else -1, STILLBORN)


def run_one(children: ChildProcesses, suite: str, mutant: Mutant | None, strict: bool,
            keep: bool = False) -> Result:
    """Start the (mutated) implementation, run the suite once, stop both.

    ``children`` is the campaign's one supervisor (entered in the main thread,
    where signals arrive); workers start and stop their own processes in it."""
    started = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="nabat-mutant-"))
    log = work / "target.log"
    try:
        copy = copy_with(mutant, work / "tree") if mutant is not None else None
        try:
            target = start_target(suite, children, copy, work, log)
        except ReadyFileError as exc:
            tail = log.read_text(encoding="utf-8", errors="replace")[-400:]
            return Result(mutant, strict, None, STILLBORN, time.monotonic() - started,
                          f"did not start: {exc}; {tail.strip()}")
        try:
            args = [*NABAT, "conformance", suite, *target.suite_args,
                    *(["--strict"] if strict else [])]
            done = children.run(args, timeout=SUITE_TIMEOUT)
        except subprocess.TimeoutExpired:
            return Result(mutant, strict, None, STILLBORN, time.monotonic() - started,
                          f"the suite ran past {SUITE_TIMEOUT:.0f} s")
        finally:
            children.stop(target.process)
        summary = [line for line in done.stdout.splitlines() if line.startswith("  ")][:6]
        return Result(mutant, strict, done.returncode, _verdict(done.returncode),
                      time.monotonic() - started, "; ".join(s.strip() for s in summary))
    finally:
        if keep:
            print(f"  kept {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)


def _rate(results: Sequence[Result]) -> tuple[int, int]:
    valid = [r for r in results if r.verdict != STILLBORN]
    return sum(r.verdict == KILLED for r in valid), len(valid)


def _percent(killed: int, total: int) -> float:
    return 100.0 * killed / total if total else 100.0


def campaign(children: ChildProcesses, suite: str, mutants: Sequence[Mutant], jobs: int,
             keep: bool, modes: Sequence[bool]) -> bool:
    """Run one suite's campaign; print its table and rates; True when the targets hold."""
    print(f"== suite {suite}: {len(mutants)} mutants")
    for strict in modes:
        baseline = run_one(children, suite, None, strict)
        if baseline.exit_code != 0:
            print(f"  the unmutated implementation does not pass {'--strict ' if strict else ''}"
                  f"(exit {baseline.exit_code}): {baseline.detail}")
            return False
    ok = True
    for strict in modes:
        chosen = [m for m in mutants if strict or m.level == "MUST"]
        pool = ThreadPoolExecutor(max_workers=jobs)
        try:
            results = list(pool.map(
                lambda m, strict=strict: run_one(children, suite, m, strict, keep), chosen))
        except BaseException:
            children.stop_all()  # unblocks the workers waiting on their suites
            raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        mode = "strict" if strict else "default"
        for result in results:
            assert result.mutant is not None
            line = (f"  [{mode}] {result.verdict:9} {result.mutant.id} ({result.mutant.level}): "
                    f"{result.mutant.description} [{result.seconds:.1f} s]")
            print(line)
            if result.verdict != KILLED:
                print(f"      {result.detail[:300]}")
        killed, total = _rate(results)
        stillborn = sum(r.verdict == STILLBORN for r in results)
        what = "mutants" if strict else "MUST-level mutants"
        rate = _percent(killed, total)
        print(f"  {suite} {mode}: {killed} of {total} {what} killed ({rate:.1f}%)"
              + (f"; {stillborn} stillborn" if stillborn else ""))
        ok = ok and rate >= TARGET_RATE and not stillborn
    return ok


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.mutation.campaign",
                                     description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--suite", choices=sorted({m.suite for m in CATALOGUE}), action="append",
                        help="only this suite (repeatable; default: every suite)")
    parser.add_argument("--mutant", action="append", help="only this mutant id (repeatable)")
    parser.add_argument("--mode", choices=["default", "strict", "both"], default="both",
                        help="which suite runs (default: both)")
    parser.add_argument("--jobs", type=int, default=2, help="mutants run at once (default: 2)")
    parser.add_argument("--keep", action="store_true",
                        help="keep each mutant's folder and log (default: off)")
    args = parser.parse_args(argv)
    modes = {"default": [False], "strict": [True], "both": [False, True]}[args.mode]
    suites = args.suite or sorted({m.suite for m in CATALOGUE})
    started = time.monotonic()
    ok = True
    with ChildProcesses() as children:
        for suite in suites:
            mutants = [m for m in CATALOGUE if m.suite == suite
                       and (not args.mutant or m.id in args.mutant)]
            ok = campaign(children, suite, mutants, max(1, args.jobs), args.keep, modes) and ok
    print(f"campaign {'met' if ok else 'missed'} the {TARGET_RATE:.0f}% target "
          f"in {time.monotonic() - started:.0f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
