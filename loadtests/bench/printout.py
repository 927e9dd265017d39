"""The text the channel benches print: figures, the heading and the table of targets.

How it works: ``num`` and ``mib`` show a figure that may be missing
(``n/a``); ``heading`` is the title, the machine and where the processes ran
(from ``describe_environment`` and the ``CpuPlan``), between blank lines;
``target_table`` lines up each ``Target`` with its figure, its threshold and
its verdict under a ``measure / figure / target / result`` header.
"""

from __future__ import annotations

from nabat.loadtests.bench.cpus import CpuPlan
from nabat.loadtests.bench.environment import describe_environment
from nabat.loadtests.bench.report import Target


def num(value: float | None, spec: str = ",.0f") -> str:
    return "n/a" if value is None else format(value, spec)


def mib(value: int | None) -> str:
    return "n/a" if value is None else f"{value / (1 << 20):,.0f} MiB"


def heading(
    title: str, plan: CpuPlan, *, this: str = "this process", uvloop: bool = False
) -> list[str]:
    """``""``, the title, the machine line (``this``: the pinned load process), ``""``."""
    environment = describe_environment(None)
    placement = (
        f"simulator pinned to CPU {plan.server_cpu}, {this} to CPU {plan.load_cpu}"
        if plan.pinned
        else f"unpinned ({plan.warning})"
    )
    python = f"{environment.get('python')}"
    if uvloop:
        python += f" (uvloop {environment.get('uvloop') or 'no'})"
    machine = (
        f"machine: {environment.get('cpu_model') or '?'}, {environment.get('cpu_count')} CPUs; "
        f"{placement}; Python {python}; code {environment.get('git') or '?'}"
    )
    return ["", title, machine, ""]


def target_table(checks: list[Target], *, figure: str = ",.2f", threshold: str = ",g") -> list[str]:
    """A blank line, the header, a rule and one line per target."""
    width = max((len(check.name) for check in checks), default=10)
    header = f"{'measure':<{width}}  {'figure':>10}  {'target':>10}  result"
    lines = ["", header, "-" * len(header)]
    for check in checks:
        shown = "n/a" if check.measured is None else format(check.measured, figure)
        wanted = f"{check.comparison} {format(check.threshold, threshold)}"
        lines.append(f"{check.name:<{width}}  {shown:>10}  {wanted:>10}  {check.verdict}")
    return lines
