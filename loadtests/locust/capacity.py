"""The Locust capacity figure: the ATS scenario vs a minimal FastHttpUser.

How it works, in one call against the caller's target (the ATS simulator,
which the caller starts and pins to another CPU):

1. Solo: two headless Locust processes, one after the other, each pinned
   to one CPU (default 1; ``Placement``, as the benchmarks pin): the minimal user of
   ``baseline_locustfile`` posting a fixed RegisterCall, then ``AtsApiUser``
   with its default mix. Same users, no think time, same duration. Their
   requests/s (the Aggregated row of Locust's own ``_stats.csv``) are the
   absolute figures: what one Locust process can generate.
2. Paired: the same two processes started together on that same CPU, so the
   kernel shares it between them and any background load hits both at the
   same moments. Their requests/s ratio is the ratio reported: the share of
   a Locust process's capacity the suite keeps after its own work (number
   drawing, validating every answer). On a quiet machine it matches the
   solo ratio; on a shared one the solo ratio drifts with whatever else runs
   while the paired one holds (measured: a plain-vs-plain pair gives
   0.99-1.01). ``rounds`` > 1 repeats the pair (alternating which starts
   first) and reports the median.

The target is ratio >= 0.85. Nothing is asserted here: the caller prints or
records the returned dict (``python -m nabat.loadtests.locust.capacity URL``).
"""

from __future__ import annotations

import contextlib
import json
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nabat.loadtests.bench.cpus import Placement, available_cpus
from nabat.loadtests.locust.command import BASELINE_LOCUSTFILE, LOCUSTFILE, locust_executable
from nabat.loadtests.locust.stats_csv import read_stats
from nabat.simulators.processes import ChildProcesses

TARGET_RATIO = 0.85


@dataclass(frozen=True)
class _Scenario:
    label: str
    locustfile: Path
    user_class: str


BASELINE = _Scenario("baseline", BASELINE_LOCUSTFILE, "MinimalPostUser")
ATS = _Scenario("ats", LOCUSTFILE, "AtsApiUser")


def _placement(cpu: int) -> tuple[Placement, str | None]:
    if cpu not in available_cpus():
        return Placement(), f"CPU {cpu} is not available to this process: not pinned"
    return Placement(cpu), None


class _Run:
    """One headless Locust process writing its CSV under ``directory``."""

    def __init__(
        self,
        children: ChildProcesses,
        scenario: _Scenario,
        placement: Placement,
        target_url: str,
        users: int,
        seconds: float,
        csv_prefix: Path,
    ) -> None:
        self.scenario = scenario
        self.csv_prefix = csv_prefix
        self.seconds = seconds
        self.argv = [
            *locust_executable(),
            "-f", str(scenario.locustfile),
            "--headless",
            "--host", target_url,
            "--users", str(users),
            "--spawn-rate", str(users),
            "--run-time", f"{max(1, round(seconds))}s",
            "--only-summary",
            "--loglevel", "WARNING",
            "--csv", str(csv_prefix),
            scenario.user_class,
        ]  # fmt: skip
        self.children = children
        self.process = children.start(
            self.argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
            preexec=placement.preexec(),
        )

    def finish(self) -> dict[str, Any]:
        try:
            _, stderr = self.process.communicate(timeout=self.seconds + 60)
        except subprocess.TimeoutExpired:
            self.children.stop(self.process)
            raise RuntimeError(f"locust did not finish: {' '.join(self.argv)}") from None
        self.children.stop(self.process)
        if self.process.returncode not in (0, 1):
            raise RuntimeError(f"locust exited {self.process.returncode}: {stderr.strip()[-800:]}")
        table = read_stats(self.csv_prefix)
        return {
            "run": self.scenario.label,
            "requests_per_s": round(table.aggregated.requests_per_s, 1),
            "requests": table.total_requests,
            "failures": table.total_failures,
            "command": " ".join(self.argv),
        }


def measure_locust_capacity(
    target_url: str,
    seconds: float,
    *,
    users: int = 32,
    cpu: int = 1,
    rounds: int = 1,
    children: ChildProcesses | None = None,
) -> dict[str, Any]:
    """Requests/s of the ATS scenario and of a minimal FastHttpUser in one Locust process each.

    Returns ``baseline_rps``/``ats_rps`` (solo runs), ``ratio`` (paired runs,
    median over ``rounds``), ``solo_ratio``, the target and every run's figures.
    The Locust processes are supervised by ``children`` (or by a
    ``ChildProcesses`` of its own): they end with the caller, whatever ends it.
    """
    placement, warning = _placement(cpu)
    runs: list[dict[str, Any]] = []
    pair_ratios: list[float] = []
    with contextlib.ExitStack() as stack:
        kids = children if children is not None else stack.enter_context(ChildProcesses())
        tmp = stack.enter_context(tempfile.TemporaryDirectory(prefix="nabat-capacity-"))

        def start(scenario: _Scenario, tag: str) -> _Run:
            return _Run(kids, scenario, placement, target_url, users, seconds, Path(tmp) / tag)

        solo = {}
        for scenario in (BASELINE, ATS):
            figures = start(scenario, f"solo-{scenario.label}").finish()
            solo[scenario.label] = figures["requests_per_s"]
            runs.append({**figures, "mode": "solo"})
        for round_index in range(rounds):
            order = (BASELINE, ATS) if round_index % 2 == 0 else (ATS, BASELINE)
            started = [start(s, f"pair{round_index}-{s.label}") for s in order]
            paired = {r.scenario.label: r.finish() for r in started}
            for figures in paired.values():
                runs.append({**figures, "mode": "paired", "round": round_index})
            base = paired["baseline"]["requests_per_s"]
            pair_ratios.append(paired["ats"]["requests_per_s"] / base if base else 0.0)
    ratio = statistics.median(pair_ratios)
    solo_ratio = solo["ats"] / solo["baseline"] if solo["baseline"] else 0.0
    return {
        "target_url": target_url,
        "seconds": seconds,
        "users": users,
        "cpu": placement.cpu,
        "rounds": rounds,
        "baseline_rps": solo["baseline"],
        "ats_rps": solo["ats"],
        "solo_ratio": round(solo_ratio, 3),
        "ratio": round(ratio, 3),
        "pair_ratios": [round(r, 3) for r in pair_ratios],
        "target_ratio": TARGET_RATIO,
        "meets_target": ratio >= TARGET_RATIO,
        "ats_failures": sum(r["failures"] for r in runs if r["run"] == "ats"),
        "warning": warning,
        "runs": runs,
    }


def main() -> int:
    """``python -m nabat.loadtests.locust.capacity URL [SECONDS] [ROUNDS]``: print the figure."""
    url = sys.argv[1]
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 10.0
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    print(json.dumps(measure_locust_capacity(url, seconds, rounds=rounds), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
