"""One interface over the two load generators (wrk, or the Python fallback).

How it works: ``choose_generator`` prefers wrk; when wrk is not on PATH (or
``python`` is asked for) it returns the Python generator together with a
warning to print, because ratios then measure the generator too. Both
generators run as supervised child processes pinned to the load CPU and return
``LoadFigures``.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from typing import Protocol

from nabat.loadtests.bench.cpus import Placement
from nabat.loadtests.bench.figures import LoadFigures
from nabat.loadtests.bench.loadgen import spec_to_json
from nabat.loadtests.bench.wrk import RequestSpec, WrkError, find_wrk, run_wrk
from nabat.simulators.processes import ChildProcesses

WRK_MISSING = (
    "wrk is not installed (install it with `apt-get install wrk`); falling back to the "
    "built-in Python load generator. It saturates its CPU sooner than wrk, so the "
    "figures and ratios below measure the generator as well as the servers."
)
PYTHON_CHOSEN = (
    "using the built-in Python load generator (--loadgen python): the figures and "
    "ratios below measure the generator as well as the servers."
)


class LoadGenerator(Protocol):
    name: str

    def describe(self, connections: int) -> str: ...

    def run(
        self, children: ChildProcesses, base_url: str, spec: RequestSpec, connections: int,
        duration_s: float,
    ) -> LoadFigures: ...


@dataclass
class WrkGenerator:
    path: str
    threads: int
    placement: Placement
    name: str = "wrk"

    def describe(self, connections: int) -> str:
        return f"wrk, {self.threads} thread(s), {connections} connections"

    def run(
        self, children: ChildProcesses, base_url: str, spec: RequestSpec, connections: int,
        duration_s: float,
    ) -> LoadFigures:
        return run_wrk(
            self.path,
            base_url,
            spec,
            children=children,
            connections=connections,
            threads=self.threads,
            duration_s=duration_s,
            placement=self.placement,
        )


@dataclass
class PythonGenerator:
    placement: Placement
    name: str = "python"

    def describe(self, connections: int) -> str:
        return f"built-in Python generator (uvloop), {connections} connections"

    def run(
        self, children: ChildProcesses, base_url: str, spec: RequestSpec, connections: int,
        duration_s: float,
    ) -> LoadFigures:
        command = [
            sys.executable, "-m", "nabat.loadtests.bench.loadgen",
            "--url", base_url,
            "--spec", spec_to_json(spec),
            "--connections", str(connections),
            "--duration", str(duration_s),
        ]
        completed = children.run(
            command, timeout=duration_s + 60, preexec=self.placement.preexec()
        )
        if completed.returncode != 0:
            raise WrkError(
                f"the Python load generator failed ({completed.returncode}):\n{completed.stderr}"
            )
        data = json.loads(completed.stdout)
        data["statuses"] = {int(code): n for code, n in data["statuses"].items()}
        return LoadFigures(**data)


def choose_generator(
    preference: str, threads: int, placement: Placement
) -> tuple[LoadGenerator, str | None]:
    """The generator to use and a warning to print (or ``None``)."""
    if preference == "python":
        return PythonGenerator(placement), PYTHON_CHOSEN
    wrk = find_wrk()
    if wrk is not None:
        return WrkGenerator(wrk, threads, placement), None
    if preference == "wrk":
        raise WrkError("--loadgen wrk was asked for but wrk is not on PATH (apt-get install wrk)")
    return PythonGenerator(placement), WRK_MISSING
